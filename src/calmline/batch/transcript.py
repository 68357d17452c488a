"""One transcript of an archive as the batch sees it: its stable key, its name and its raw
content, and how it becomes conversations (the same readers ``calmline analyze`` uses)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from calmline.conversation import Conversation
from calmline.errors import CalmlineError, ErrorCode
from calmline.formats import MAX_RECORD_BYTES, parse_conversations
from calmline.formats.base import ReadContext, decode_text, fail
from calmline.formats.jsontree import JsonDoc, load_json
from calmline.formats.native import conversation_from


@dataclass(frozen=True, slots=True)
class Transcript:
    """A unit of work: ``key`` is unique in the archive and stable across runs (the resume
    ledger's key), ``source`` names it in errors and gives the default call id, ``line`` is
    set when the content is one record of a JSONL file."""

    key: str
    source: str
    data: bytes
    line: int | None = None
    format: str | None = None
    problem: str | None = None  # why the input could not even be read, if it could not
    problem_code: str = ErrorCode.E001_UNREADABLE.value


def conversations_in(transcript: Transcript) -> Iterator[Conversation]:
    """The calls in a transcript: a JSONL record is one call whose id defaults to
    ``<file stem>-<line>`` exactly as when the whole file is read; other content is read
    with format detection, like a file of that name."""
    if transcript.problem is not None:
        raise CalmlineError(transcript.problem, source=transcript.source,
                            code=ErrorCode(transcript.problem_code))
    if transcript.line is None:
        return parse_conversations(transcript.data, source=transcript.source, format=transcript.format)
    return iter((_jsonl_record(transcript, transcript.line),))


def _jsonl_record(transcript: Transcript, line: int) -> Conversation:
    context = ReadContext(transcript.source, PurePath(transcript.source).stem)
    place = f"line {line}"
    if len(transcript.data) > MAX_RECORD_BYTES:
        fail(context, ErrorCode.E008_TOO_LARGE, "the record is too large", place)
    text = decode_text(transcript.data, context, first_line=line)
    if not text.strip():
        fail(context, ErrorCode.E003_EMPTY, "the record is empty", place)
    doc = JsonDoc(context, prefix=place)
    return conversation_from(doc, load_json(text, context, place), f"{context.stem}-{line}")
