"""Spark: the same pure function over a DataFrame gives exactly the rows `calmline batch`
gives, and the spark-submit job writes calls and errors as Parquet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from calmline.batch.runner import BatchOptions, run_batch
from calmline.batch.spark import ERROR_COLUMN, score_dataframe
from calmline.batch.spark_job import parse_args, run_job
from calmline.engine import default_playbook
from calmline.errors import CalmlineError
from tests.batch.conftest import BAD_FILES, CALLS, FILES, write_table

ROWS: list[dict[str, Any]] = [{"key": f"call-{n}", "name": name, "transcript": (CALLS / name).read_bytes()}
        for n, name in enumerate(FILES[:3])] + [
    {"key": "bad-1", "name": "truncated.json", "transcript": BAD_FILES["truncated.json"]},
    {"key": "bad-2", "name": "picture.json", "transcript": BAD_FILES["picture.json"]},
]


def by_key(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: row["key"])


def test_spark_gives_the_rows_local_batch_gives(spark: Any, tmp_path: Path) -> None:
    table = write_table(tmp_path / "transcripts.parquet", ROWS)
    out = tmp_path / "local.parquet"
    run_batch(BatchOptions((str(table),), out, default_playbook()))
    errors_file = out.with_name("local.errors.jsonl").read_text(encoding="utf-8")
    local_errors = [json.loads(line) for line in errors_file.splitlines()]

    frame = spark.read.parquet(str(table)).coalesce(1)  # one Python worker loads the models
    scored = [row.asDict(recursive=True) for row in score_dataframe(frame).collect()]
    failed = {row["key"] for row in scored if row[ERROR_COLUMN] is not None}
    calls = [{k: v for k, v in row.items() if k != ERROR_COLUMN}
             for row in scored if row["key"] not in failed]
    errors = {row["key"]: row[ERROR_COLUMN] for row in scored if row[ERROR_COLUMN] is not None}
    assert by_key(calls) == by_key(pq.read_table(out).to_pylist())
    assert len(calls) == 3
    assert errors == {error["key"]: error["message"] for error in local_errors}


def test_spark_submit_job_writes_calls_and_errors(spark: Any, tmp_path: Path) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    for row in ROWS[2:4]:
        (folder / row["name"]).write_bytes(row["transcript"])
    out = tmp_path / "scores"
    args = parse_args(["--input", str(folder), "--input-kind", "files", "--out", str(out),
                       "--partitions", "1"])
    assert run_job(spark, args) == (1, 1)
    (call,) = pq.read_table(out).to_pylist()
    (error,) = pq.read_table(tmp_path / "scores.errors").to_pylist()
    assert call["source"].endswith(FILES[2]) and ERROR_COLUMN not in call
    assert error["source"].endswith("truncated.json") and error[ERROR_COLUMN].startswith("[E004]")


def test_a_dataframe_without_transcripts_is_refused(spark: Any) -> None:
    frame = spark.createDataFrame([("Agent: hello",)], "text string")
    with pytest.raises(CalmlineError, match=r"\[E005\].*'transcript' column"):
        score_dataframe(frame)
