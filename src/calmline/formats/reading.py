"""The public reading API: files or in-memory content in, conversations out, with the format
detected from the content unless named."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from calmline.conversation import Conversation
from calmline.errors import ErrorCode, FormatError, UsageError
from calmline.formats.base import (
    HEAD_BYTES,
    MAX_FILE_BYTES,
    ReadContext,
    binary_kind,
    check_size,
    decode_text,
    fail,
    require_text,
)
from calmline.formats.detect import detect_format
from calmline.formats.native import iter_jsonl
from calmline.formats.registry import reader_for
from calmline.formats.speakers import speaker_roles


def read_conversations(
    path: str | Path, format: str | None = None, *, speakers: Mapping[str, str] | None = None
) -> Iterator[Conversation]:
    """Conversations in a file: JSONL is streamed line by line, other formats hold one.

    ``speakers`` maps extra speaker names to roles (``{"Rep": "agent"}``) for the formats
    that name speakers in free text. Problems with the file itself are raised at once.
    """
    path = Path(path)
    context = _context(str(path), path.stem, speakers)
    name = _choose(format, _head(path, context), path.name, context)
    if name == "jsonl":
        return _stream_jsonl(path, context)
    return iter((_parse_whole(_read_all(path, context), name, context),))


def read_conversation(
    path: str | Path, format: str | None = None, *, speakers: Mapping[str, str] | None = None
) -> Conversation:
    """The one conversation in a file; a JSONL file with several is an error."""
    return _only(read_conversations(path, format, speakers=speakers), str(path))


def parse_conversations(
    data: str | bytes,
    *,
    source: str,
    format: str | None = None,
    speakers: Mapping[str, str] | None = None,
) -> Iterator[Conversation]:
    """Conversations in in-memory content; ``source`` names it in errors (e.g. a file name)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    context = _context(source, Path(source).stem or source, speakers)
    check_size(context, len(raw))
    name = _choose(format, raw[:HEAD_BYTES], source, context)
    if name == "jsonl":
        return iter_jsonl(io.BytesIO(raw), context)
    return iter((_parse_whole(raw, name, context),))


def parse_conversation(
    data: str | bytes,
    *,
    source: str,
    format: str | None = None,
    speakers: Mapping[str, str] | None = None,
) -> Conversation:
    """The one conversation in in-memory content (what the REST API receives)."""
    return _only(parse_conversations(data, source=source, format=format, speakers=speakers), source)


def _context(source: str, stem: str, speakers: Mapping[str, str] | None) -> ReadContext:
    return ReadContext(source, stem, speaker_roles(speakers, source=source))


def _only(conversations: Iterator[Conversation], source: str) -> Conversation:
    first = next(conversations)
    if next(conversations, None) is not None:
        raise UsageError(
            "this input holds more than one conversation",
            source=source,
            hint="use read_conversations() / parse_conversations() to iterate over them",
        )
    return first


def _choose(format: str | None, head: bytes, filename: str, context: ReadContext) -> str:
    """The named format, or the detected one once binary and empty input are ruled out."""
    if format is not None:
        return reader_for(format, context.source).name
    kind = binary_kind(head)
    if kind is not None:
        fail(context, ErrorCode.E002_ENCODING, f"this is {kind}, not a transcript")
    if not head.strip():
        fail(context, ErrorCode.E003_EMPTY, "the file is empty")
    try:
        return detect_format(head, filename)
    except FormatError as error:  # re-raised to name the full source, not just the file name
        fail(context, error.code, error.problem, hint=error.hint)


def _parse_whole(data: bytes, name: str, context: ReadContext) -> Conversation:
    text = decode_text(data, context)
    require_text(text, context)
    parse = reader_for(name).parse
    assert parse is not None  # only jsonl streams, and it never reaches here
    return parse(text, context)


def _open(path: Path, context: ReadContext) -> BinaryIO:
    try:
        if path.is_dir():
            fail(
                context,
                ErrorCode.E001_UNREADABLE,
                "this is a folder, not a file",
                hint="use read_conversations on each file, or the batch command",
            )
        return path.open("rb")
    except FileNotFoundError:
        fail(context, ErrorCode.E001_UNREADABLE, "no such file")
    except OSError as error:
        fail(context, ErrorCode.E001_UNREADABLE, f"cannot open the file: {error.strerror}")


def _read(path: Path, context: ReadContext, size: int) -> bytes:
    with _open(path, context) as stream:
        try:
            return stream.read(size)
        except OSError as error:
            fail(context, ErrorCode.E001_UNREADABLE, f"cannot read the file: {error.strerror}")


def _head(path: Path, context: ReadContext) -> bytes:
    return _read(path, context, HEAD_BYTES)


def _read_all(path: Path, context: ReadContext) -> bytes:
    check_size(context, path.stat().st_size)
    data = _read(path, context, MAX_FILE_BYTES + 1)
    check_size(context, len(data))  # the file may have grown since stat
    return data


def _stream_jsonl(path: Path, context: ReadContext) -> Iterator[Conversation]:
    with _open(path, context) as stream:
        yield from iter_jsonl(stream, context)
