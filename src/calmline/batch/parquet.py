"""Result rows as Arrow/Parquet: the schema follows the playbook's techniques."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from calmline.batch.row import ColumnType, Row

_ARROW_TYPES: dict[ColumnType, Any] = {
    "string": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "strings": pa.list_(pa.string()),
}


def arrow_schema(columns: Sequence[tuple[str, ColumnType]]) -> pa.Schema:
    """The Arrow schema of result rows with these columns."""
    return pa.schema([pa.field(name, _ARROW_TYPES[kind]) for name, kind in columns])


def rows_table(rows: Sequence[Row], schema: pa.Schema) -> pa.Table:
    """Rows as a table of ``schema`` (a missing criterion column is null)."""
    return pa.Table.from_pylist(list(rows), schema=schema)
