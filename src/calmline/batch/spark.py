"""Scoring on Apache Spark: ``score_dataframe`` runs the same pure scoring function as
``calmline batch`` over a DataFrame of transcripts with ``mapInPandas``.

The input DataFrame has one row per transcript: ``transcript`` (string or binary) and
``key`` or ``name`` (the row's stable identity; ``name`` is also the file name that format
detection and default call ids use), optionally ``format``. The output has the same
columns as ``calmline batch``'s Parquet plus ``error``: null for a scored call, the
numbered error for a transcript that could not be scored (its score columns are null).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from calmline.batch.inputs import CONTENT_COLUMN, table_transcript
from calmline.batch.row import (
    ColumnType,
    Row,
    Scored,
    Scorer,
    columns,
    one_thread_per_process,
    score_transcript,
)
from calmline.errors import CalmlineError, ErrorCode
from calmline.playbook import Playbook, load_playbook

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

ERROR_COLUMN = "error"


def score_dataframe(transcripts: DataFrame, playbook: Playbook | None = None) -> DataFrame:
    """One row per call (and per failed transcript) for a DataFrame of transcripts."""
    book = playbook or load_playbook()
    _check_columns(transcripts.columns)
    wanted = [c for c in (CONTENT_COLUMN, "key", "name", "format") if c in transcripts.columns]
    playbook_json = book.model_dump_json()
    return transcripts.select(*wanted).mapInPandas(
        lambda frames: score_frames(frames, playbook_json), spark_schema(book))


def spark_schema(playbook: Playbook) -> StructType:
    """The output schema: the batch columns for ``playbook`` plus ``error``."""
    from pyspark.sql import types as t

    kinds: dict[ColumnType, Any] = {"string": t.StringType(), "int": t.LongType(),
                                    "float": t.DoubleType(), "bool": t.BooleanType(),
                                    "strings": t.ArrayType(t.StringType())}
    fields = [t.StructField(name, kinds[kind]) for name, kind in columns(playbook)]
    return t.StructType([*fields, t.StructField(ERROR_COLUMN, t.StringType())])


def score_frames(frames: Iterator[pd.DataFrame], playbook_json: str) -> Iterator[pd.DataFrame]:
    """The ``mapInPandas`` function: each pandas batch of transcripts to a batch of rows."""
    import pandas as pd

    scorer = _scorer(playbook_json)
    names = [name for name, _ in columns(scorer.playbook)] + [ERROR_COLUMN]
    for frame in frames:
        rows = [row for record in frame.to_dict("records") for row in _rows(record, scorer)]
        # object columns keep None as null (a float column would turn it into NaN)
        yield pd.DataFrame({name: pd.Series([row.get(name) for row in rows], dtype=object)
                            for name in names})


def _rows(record: dict[str, Any], scorer: Scorer) -> list[Row]:
    record = {k: (None if _missing(v) else v) for k, v in record.items()}
    scored = score_transcript(table_transcript(record, "", "transcript"), scorer)
    return error_rows(scored) or [{**row, ERROR_COLUMN: None} for row in scored.rows]


def error_rows(scored: Scored) -> list[Row]:
    """A failed transcript as one row holding its key, source and error."""
    if scored.error is None:
        return []
    return [{"key": scored.key, "source": scored.error.source, ERROR_COLUMN: scored.error.message}]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


_SCORERS: dict[str, Scorer] = {}


def _scorer(playbook_json: str) -> Scorer:
    """One scorer (models loaded once) per executor process and playbook."""
    if playbook_json not in _SCORERS:
        one_thread_per_process()
        _SCORERS[playbook_json] = Scorer(Playbook.model_validate_json(playbook_json))
    return _SCORERS[playbook_json]


def _check_columns(names: list[str]) -> None:
    if CONTENT_COLUMN not in names or not {"key", "name"} & set(names):
        raise CalmlineError(
            f"the DataFrame has columns {', '.join(names)}", source="score_dataframe",
            code=ErrorCode.E005_SCHEMA,
            hint="give it a 'transcript' column (text or bytes) and a 'key' or 'name' column "
                 "(optionally 'format')")


__all__ = ["ERROR_COLUMN", "error_rows", "score_dataframe", "score_frames",
           "spark_schema"]
