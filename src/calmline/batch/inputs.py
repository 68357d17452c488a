"""Where an archive's transcripts come from: folders, globs, JSONL files and Parquet tables,
streamed one transcript at a time so memory stays flat however large the archive is."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from calmline.batch.transcript import Transcript
from calmline.errors import CalmlineError, ErrorCode
from calmline.formats import FORMATS, MAX_FILE_BYTES, MAX_RECORD_BYTES

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
TRANSCRIPT_SUFFIXES = frozenset(ext for info in FORMATS.values() for ext in info.extensions)
# Columns of a Parquet table of transcripts: the content, and optionally its key, name, format.
CONTENT_COLUMN = "transcript"
OPTIONAL_COLUMNS = ("key", "name", "format")
PARQUET_BATCH_ROWS = 256
_GLOB_CHARS = frozenset("*?[")


def archive_files(inputs: Iterable[str]) -> Iterator[Path]:
    """Every input file: a file as given, a folder's transcript and Parquet files
    (recursively, in name order) and a glob's matches."""
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            yield from _folder(path)
        elif path.exists() or not _GLOB_CHARS & set(given):
            yield path
        else:
            yield from _glob(given)


def transcripts(files: Iterable[Path]) -> Iterator[Transcript]:
    """The transcripts in the files, one at a time: one per JSONL line or Parquet row, else
    one per file. A file that cannot be opened becomes a transcript that fails to parse."""
    for path in files:
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl(path)
        elif suffix in PARQUET_SUFFIXES:
            yield from _parquet(path)
        else:
            yield _whole_file(path)


def count_transcripts(files: Iterable[Path]) -> int:
    """How many transcripts :func:`transcripts` will yield (a cheap pass for the ETA)."""
    return sum(_count(path) for path in files)


def _count(path: Path) -> int:
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            return sum(1 for _, line in _lines(path) if line.strip())
        if suffix in PARQUET_SUFFIXES:
            return _parquet_rows(path)
    except (OSError, ValueError):  # reported as one failed input when it is read
        return 1
    return 1


def unreadable(key: str, path: Path, error: Exception) -> Transcript:
    """A transcript standing for a file that could not be read, so the run reports it."""
    reason = getattr(error, "strerror", None) or str(error)
    return Transcript(key, str(path), b"", problem=f"cannot read the file: {reason}",
                      problem_code=ErrorCode.E001_UNREADABLE.value)


def _folder(folder: Path) -> Iterator[Path]:
    wanted = TRANSCRIPT_SUFFIXES | PARQUET_SUFFIXES
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if Path(name).suffix.lower() in wanted:
                yield Path(root) / name


def _glob(pattern: str) -> Iterator[Path]:
    matches = sorted(glob.iglob(pattern, recursive=True))
    if not matches:
        raise CalmlineError("no file matches this pattern", source=pattern,
                            code=ErrorCode.E001_UNREADABLE, hint="check the path and quote the glob")
    yield from (Path(m) for m in matches if Path(m).is_file())


def _whole_file(path: Path) -> Transcript:
    key = str(path.resolve())
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:  # the scorer reports a missing or unreadable file by itself
        return unreadable(key, path, error)
    return Transcript(key, str(path), data)


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as stream:
        number = 0
        while line := stream.readline(MAX_RECORD_BYTES + 1):
            number += 1
            yield number, line


def _jsonl(path: Path) -> Iterator[Transcript]:
    key = str(path.resolve())
    try:
        for number, line in _lines(path):
            if line.strip():
                yield Transcript(f"{key}#{number}", str(path), line, line=number)
    except OSError as error:
        yield unreadable(key, path, error)


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _parquet(path: Path) -> Iterator[Transcript]:
    import pyarrow.parquet as pq

    key = str(path.resolve())
    try:
        table = pq.ParquetFile(path)
    except (OSError, ValueError) as error:  # pyarrow's errors for broken files are both
        yield unreadable(key, path, error)
        return
    names = set(table.schema_arrow.names)
    if CONTENT_COLUMN not in names:
        yield Transcript(key, str(path), b"", problem=f"this table has no {CONTENT_COLUMN!r} column",
                         problem_code=ErrorCode.E005_SCHEMA.value)
        return
    wanted = [CONTENT_COLUMN, *(c for c in OPTIONAL_COLUMNS if c in names)]
    row_number = 0
    try:
        for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted):
            for record in batch.to_pylist():
                row_number += 1
                yield table_transcript(record, f"{key}#{row_number}", f"{path.stem}-row-{row_number}")
    except (OSError, ValueError) as error:  # a damaged row group: the rows before it stand
        yield unreadable(f"{key}#after-{row_number}", path, error)


def table_transcript(record: dict[str, Any], fallback_key: str, fallback_name: str) -> Transcript:
    """The transcript in one table row (a Parquet row here, a DataFrame row in Spark): keyed
    by its ``key``, else its ``name``, else its place in the table; named by its ``name``."""
    content = record.get(CONTENT_COLUMN)
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content or b"")
    key = record.get("key") or None
    name = record.get("name") or None
    source = str(name or key or fallback_name)
    return Transcript(str(key or name or fallback_key), source, data, format=record.get("format") or None)
