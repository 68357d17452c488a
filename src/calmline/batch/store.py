"""The output's working folder, which makes a batch run resumable: results are written in
small Parquet parts, and a part counts only once the ledger names it.

Next to ``OUT.parquet`` lives ``OUT.parquet.parts/``: the parts, their JSONL reports, and
``ledger.jsonl`` with one line per committed part (its file, the playbook fingerprint, the
keys of the transcripts it holds). A run killed at any moment leaves at worst a part that
the ledger does not name: the next run deletes it and scores those transcripts again, so
every call ends up in the output exactly once. The output itself is written last, from the
committed parts of the current playbook.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from calmline.batch.parquet import rows_table
from calmline.batch.row import Row

LEDGER = "ledger.jsonl"
_PART = re.compile(r"^part-(\d{6})\.(?:parquet|reports\.jsonl)(?:\.tmp)?$")


def key_digest(key: str) -> int:
    """A transcript key as 8 bytes, so a million done keys fit in a few tens of MB."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


@dataclass(frozen=True, slots=True)
class Commit:
    """One ledger line: a part and what it holds."""

    part: str
    playbook: str
    keys: tuple[str, ...]
    rows: int


@dataclass
class PartStore:
    """Committed parts and the ledger for one output file and one playbook fingerprint."""

    out: Path
    fingerprint: str
    schema: pa.Schema
    commits: list[Commit] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return self.out.with_name(self.out.name + ".parts")

    def open(self) -> set[int]:
        """Recover from an interrupted run and return the digests of the keys already
        scored with this playbook."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.commits = _read_ledger(self.folder / LEDGER)
        _remove_uncommitted(self.folder, {c.part for c in self.commits})
        return {key_digest(k) for c in self.commits if c.playbook == self.fingerprint for k in c.keys}

    def next_part(self) -> str:
        numbers = [int(m.group(1)) for p in self.folder.iterdir() if (m := _PART.match(p.name))]
        return f"part-{max(numbers, default=0) + 1:06d}"

    def commit(self, part: str, rows: Sequence[Row], reports: Sequence[str], keys: Sequence[str]) -> None:
        """Write a part durably, then name it in the ledger: the ledger line is the commit."""
        _write_durably(self.folder / f"{part}.parquet", lambda f: pq.write_table(
            rows_table(rows, self.schema), f))
        if reports:
            _write_durably(self.folder / f"{part}.reports.jsonl",
                           lambda f: f.write("".join(r + "\n" for r in reports).encode("utf-8")))
        done = Commit(part, self.fingerprint, tuple(keys), len(rows))
        with (self.folder / LEDGER).open("a", encoding="utf-8") as ledger:
            ledger.write(json.dumps({"part": done.part, "playbook": done.playbook,
                                     "rows": done.rows, "keys": list(done.keys)}) + "\n")
            ledger.flush()
            os.fsync(ledger.fileno())
        self.commits.append(done)

    def current(self) -> list[Commit]:
        return [c for c in self.commits if c.playbook == self.fingerprint and c.rows]

    def merge(self, reports_out: Path | None) -> int:
        """Write the output (and the reports file) from this playbook's committed parts,
        one part at a time; return the number of rows."""
        total = 0
        tmp = self.out.with_name(self.out.name + ".tmp")
        with pq.ParquetWriter(tmp, self.schema) as writer:
            for commit in self.current():
                table = pq.read_table(self.folder / f"{commit.part}.parquet", schema=self.schema)
                writer.write_table(table)
                total += table.num_rows
        os.replace(tmp, self.out)
        if reports_out is not None:
            self._merge_reports(reports_out)
        return total

    def _merge_reports(self, reports_out: Path) -> None:
        tmp = reports_out.with_name(reports_out.name + ".tmp")
        with tmp.open("wb") as target:
            for commit in self.current():
                part = self.folder / f"{commit.part}.reports.jsonl"
                if part.exists():
                    with part.open("rb") as source:
                        while chunk := source.read(1 << 20):
                            target.write(chunk)
        os.replace(tmp, reports_out)


def _read_ledger(path: Path) -> list[Commit]:
    """The committed parts; a line torn by a kill is dropped, and the ledger rewritten
    without it so later lines start clean."""
    if not path.exists():
        return []
    commits, good, torn = [], [], False
    for line in _ledger_lines(path):
        record = _parse(line)
        if record is None:
            torn = True
            continue
        commits.append(Commit(record["part"], record["playbook"], tuple(record["keys"]), record["rows"]))
        good.append(line)
    if torn:
        _write_durably(path, lambda f: f.write(b"".join(good)))
    return commits


def _ledger_lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        yield from stream


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    fields_ok = isinstance(record, dict) and {"part", "playbook", "keys", "rows"} <= record.keys()
    return record if fields_ok and line.endswith(b"\n") else None


def _remove_uncommitted(folder: Path, committed: set[str]) -> None:
    for path in folder.iterdir():
        match = _PART.match(path.name)
        if match and (path.name.endswith(".tmp") or path.name.split(".")[0] not in committed):
            path.unlink()


def _write_durably(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write to a temporary file, flush it to disk, then rename it into place."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as handle:
        write(handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


__all__ = ["LEDGER", "Commit", "PartStore", "key_digest"]
