"""CSV transcripts: a header with ``role`` (or ``speaker``) and ``text``, optionally ``start``
and ``end`` in seconds, ``hh:mm:ss(.mmm)``, or milliseconds when the column ends in ``_ms``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from calmline.conversation import Conversation, Role
from calmline.errors import ErrorCode
from calmline.formats.base import ConversationFields, RawTurn, ReadContext, build_conversation, fail
from calmline.formats.speakers import MAPPING_HINT, role_of, speaker_key
from calmline.formats.timecodes import clock_ms, seconds_ms

if TYPE_CHECKING:
    from _csv import Reader

_TEXT_COLUMNS = ("text", "utterance", "message", "content")
_START_COLUMNS = ("start", "begin", "start_time", "begin_time", "start_ms", "begin_ms")
_END_COLUMNS = ("end", "stop", "end_time", "end_ms")
_DELIMITERS = ",;\t"


@dataclass(frozen=True, slots=True)
class _Columns:
    """Positions of the columns the reader uses; None when absent."""

    text: int
    role: int | None
    speaker: int | None
    start: int | None
    end: int | None
    names: tuple[str, ...]


def parse_csv(text: str, context: ReadContext) -> Conversation:
    """Read a CSV transcript with a header row."""
    header_line = text.lstrip().split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows = _rows(reader, context)
    header = next((row for _, row in rows if any(row)), [])
    columns = _columns(header, context)
    turns = [_raw_turn(row, line, columns, context) for line, row in rows if any(row)]
    return build_conversation(ConversationFields(context.stem), turns, context)


def _rows(reader: Reader, context: ReadContext) -> Iterator[tuple[int, list[str]]]:
    """Rows with the line each starts on, turning csv errors into located E004/E008 errors."""
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            code = (
                ErrorCode.E008_TOO_LARGE
                if "field limit" in str(error)
                else ErrorCode.E004_MALFORMED
            )
            fail(context, code, f"invalid CSV: {error}", f"line {line}")
        yield line, [cell.strip() for cell in row]
        line = reader.line_num + 1


def _columns(header: list[str], context: ReadContext) -> _Columns:
    names = tuple(cell.strip().lower().replace(" ", "_") for cell in header)
    text = _find(names, _TEXT_COLUMNS)
    role, speaker = _find(names, ("role",)), _find(names, ("speaker", "name", "participant"))
    if text is None or (role is None and speaker is None):
        fail(
            context,
            ErrorCode.E005_SCHEMA,
            f"the header needs 'role' (or 'speaker') and 'text' columns, found {header!r:.80}",
            "line 1",
            "start the file with a header such as: role,text,start,end",
        )
    start, end = _find(names, _START_COLUMNS), _find(names, _END_COLUMNS)
    return _Columns(text, role, speaker, start, end, names)


def _find(names: tuple[str, ...], wanted: tuple[str, ...]) -> int | None:
    return next((names.index(name) for name in wanted if name in names), None)


def _raw_turn(row: list[str], line: int, columns: _Columns, context: ReadContext) -> RawTurn:
    place = f"line {line}"
    if len(row) != len(columns.names):
        fail(
            context,
            ErrorCode.E005_SCHEMA,
            f"the row has {len(row)} fields but the header has {len(columns.names)}",
            place,
            "put text that contains the delimiter in double quotes",
        )
    speaker = row[columns.speaker] if columns.speaker is not None else None
    return RawTurn(
        role=_role(row, columns, place, context),
        text=row[columns.text],
        location=place,
        speaker=speaker,
        begin_ms=_time(row, columns.start, columns.names, place, context),
        end_ms=_time(row, columns.end, columns.names, place, context),
    )


def _role(row: list[str], columns: _Columns, place: str, context: ReadContext) -> Role:
    index = columns.role if columns.role is not None else columns.speaker
    assert index is not None  # _columns guarantees role or speaker
    role = role_of(row[index], context.speakers)
    if role is None:
        fail(
            context,
            ErrorCode.E006_NO_SPEAKERS,
            f"{columns.names[index]} {row[index]!r:.40} is not a known agent or customer name",
            f"{place}, column {columns.names[index]!r}",
            MAPPING_HINT,
        )
    return role


def _time(
    row: list[str], index: int | None, names: tuple[str, ...], place: str, context: ReadContext
) -> int | None:
    if index is None or not row[index]:
        return None
    cell, name = row[index], names[index]
    if name.endswith("_ms"):
        value = seconds_ms(cell, unit_ms=1)
    else:
        value = clock_ms(cell) if ":" in cell else seconds_ms(cell)
    if value is None:
        fail(
            context,
            ErrorCode.E005_SCHEMA,
            f"{cell!r:.30} is not a time",
            f"{place}, column {name!r}",
            "use seconds (12.5), hh:mm:ss.mmm, or a *_ms column",
        )
    return value


def csv_header_looks_right(first_line: str) -> bool:
    """Whether ``first_line`` is a transcript CSV header (used by format detection)."""
    delimiter = max(_DELIMITERS, key=first_line.count)
    names = {speaker_key(cell).strip('"') for cell in first_line.split(delimiter)}
    return bool(names & set(_TEXT_COLUMNS)) and bool(names & {"role", "speaker"})
