"""Fixtures for batch scoring: a small mixed archive (files of several formats, a JSONL file,
a Parquet table, bad inputs) and one local Spark session for the whole run."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from calmline.formats import read_conversation, to_record
from tests.conftest import EXAMPLES

CALLS = EXAMPLES / "calls"
FILES = ("billing_double_charge.json", "dismissive_agent.txt", "non_apology_blame_cancel.csv",
         "warranty_exception.vtt", "unresolved_wire_followup.srt")
JSONL_CALLS = ("routine_password_reset.json", "manager_demand.txt", "talk_over_venting.json")
TABLE_CALLS = ("abusive_caller_boundary.json", "jargon_fibre_outage.txt")
BAD_FILES: dict[str, bytes] = {
    "truncated.json": b'{"turns": [{"role": "agent", "text": "hi"',
    "empty.txt": b"",
    "picture.json": b"\x89PNG\r\n\x1a\n\x00\x00",
    "latin1.txt": "Customer: Ça ne marche pas, j'en ai marre\nAgent: Désolé".encode("latin-1"),
}
BAD_JSONL_LINE = b'{"id": "no-turns"}\n'
# Calls in the archive: the good files, the JSONL records and the table rows.
GOOD_CALLS = len(FILES) + len(JSONL_CALLS) + len(TABLE_CALLS)
BAD_INPUTS = len(BAD_FILES) + 2  # the bad files, one bad JSONL line, one bad table row


def jsonl_line(name: str) -> bytes:
    record = to_record(read_conversation(CALLS / name))
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def write_table(path: Path, rows: list[dict[str, Any]]) -> Path:
    schema = pa.schema([("key", pa.string()), ("name", pa.string()), ("transcript", pa.binary())])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return path


def table_rows() -> list[dict[str, Any]]:
    rows = [{"key": f"table-{n}", "name": name, "transcript": (CALLS / name).read_bytes()}
            for n, name in enumerate(TABLE_CALLS)]
    return [*rows, {"key": "table-bad", "name": "bad.csv", "transcript": b"role,text\nnobody,"}]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A folder holding every kind of input, good and bad."""
    root = tmp_path / "archive"
    (root / "nested").mkdir(parents=True)
    for name in FILES:
        (root / "nested" / name).write_bytes((CALLS / name).read_bytes())
    for name, content in BAD_FILES.items():
        (root / name).write_bytes(content)
    lines = [jsonl_line(n) for n in JSONL_CALLS]
    (root / "calls.jsonl").write_bytes(b"".join([lines[0], b"\n", BAD_JSONL_LINE, *lines[1:]]))
    write_table(root / "table.parquet", table_rows())
    return root


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A real local Spark session (two cores, no UI), shared by every Spark test."""
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("calmline-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
