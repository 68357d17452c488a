"""Shared pieces of every reader: safety limits, error building, byte decoding, and turning
raw speaker/text pairs into a validated :class:`Conversation`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, NoReturn

from calmline.conversation import Channel, Conversation, Role, Turn
from calmline.errors import ErrorCode, FormatError

# Whole-file formats are parsed in memory; 50 MB is ~100x the longest call transcript we have
# seen (an 8-hour chat export is ~5 MB), so anything bigger is a wrong file, not a long call.
MAX_FILE_BYTES = 50 * 1024 * 1024
# One JSONL record (one conversation) gets the same budget as one whole-file transcript.
MAX_RECORD_BYTES = MAX_FILE_BYTES
# A turn longer than this is a mis-split export (a whole call in one cell), not a long vent:
# 100k characters is roughly 4 hours of continuous speech.
MAX_TURN_CHARS = 100_000
# Bytes of a file's beginning used to guess its format.
HEAD_BYTES = 64 * 1024

# Magic numbers of binary files people drop into transcript folders by mistake.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF/WAV audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg audio file"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office document"),
)


@dataclass(frozen=True, slots=True)
class ReadContext:
    """What a reader needs besides the content: where it came from and how to name speakers."""

    source: str
    stem: str
    speakers: Mapping[str, Role] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RawTurn:
    """A turn as found in the input, before stripping, skipping and numbering."""

    role: Role
    text: str
    location: str
    speaker: str | None = None
    begin_ms: int | None = None
    end_ms: int | None = None


@dataclass(frozen=True, slots=True)
class ConversationFields:
    """Conversation-level fields a reader found, all optional except the id."""

    id: str
    channel: Channel = Channel.VOICE
    agent_id: str | None = None
    customer_id: str | None = None
    customer_name: str | None = None
    started_at: datetime | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


def fail(
    context: ReadContext | str,
    code: ErrorCode,
    problem: str,
    location: str | None = None,
    hint: str | None = None,
) -> NoReturn:
    """Raise the one error type readers use, always naming the source and the place."""
    source = context if isinstance(context, str) else context.source
    raise FormatError(problem, source=source, location=location, hint=hint, code=code)


def check_size(context: ReadContext, size: int, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse inputs over the safety limit before anything is parsed."""
    if size > limit:
        fail(
            context,
            ErrorCode.E008_TOO_LARGE,
            f"input is {size:,} bytes, over the {limit:,}-byte limit",
            hint="split the file, or use JSONL, which is read one line at a time",
        )


def binary_kind(data: bytes) -> str | None:
    """Name the kind of binary content ``data`` starts with, or None when it may be text."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    return "binary data (NUL bytes)" if b"\x00" in data else None


def decode_text(data: bytes, context: ReadContext, first_line: int = 1) -> str:
    """Decode UTF-8 (or BOM-marked UTF-16) bytes, refusing binary content with a clear error."""
    kind = binary_kind(data)
    if kind is not None:
        fail(context, ErrorCode.E002_ENCODING, f"this is {kind}, not a transcript")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(data, context)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = first_line + data.count(b"\n", 0, error.start)
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        fail(
            context,
            ErrorCode.E002_ENCODING,
            f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot be decoded",
            f"line {line}, column {column}",
            "re-save the file as UTF-8",
        )


def _decode_utf16(data: bytes, context: ReadContext) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as error:
        fail(
            context,
            ErrorCode.E002_ENCODING,
            f"broken UTF-16 text at byte {error.start}",
            hint="re-save the file as UTF-8",
        )


def require_text(text: str, context: ReadContext) -> None:
    """Refuse empty or whitespace-only content."""
    if not text.strip():
        fail(context, ErrorCode.E003_EMPTY, "the file is empty", hint="export the transcript again")


def number_turns(raw_turns: Iterable[RawTurn], context: ReadContext) -> tuple[Turn, ...]:
    """Strip each turn, skip empty ones, check sizes, and number the rest by position."""
    turns: list[Turn] = []
    for raw in raw_turns:
        text = _without_nul(raw.text).strip()
        if not text:
            continue
        if len(text) > MAX_TURN_CHARS:
            fail(
                context,
                ErrorCode.E008_TOO_LARGE,
                f"turn text is {len(text):,} characters, over the {MAX_TURN_CHARS:,} limit",
                raw.location,
                "check that the export splits the call into turns",
            )
        turns.append(_turn(len(turns), raw, text))
    return tuple(turns)


def _without_nul(text: str) -> str:
    """NUL characters carry nothing in a transcript (a JSON export may escape one as \\u0000),
    and PostgreSQL cannot store them: they are dropped."""
    return text.replace("\x00", "") if "\x00" in text else text


def _turn(index: int, raw: RawTurn, text: str) -> Turn:
    speaker = _without_nul(raw.speaker).strip() if raw.speaker else None
    return Turn(index, raw.role, text, speaker or None, raw.begin_ms, raw.end_ms)


def build_conversation(
    fields: ConversationFields,
    raw_turns: Iterable[RawTurn],
    context: ReadContext,
    location: str | None = None,
) -> Conversation:
    """Assemble a conversation, refusing one with no turns or with nobody but the system.

    ``location`` places conversation-level errors, e.g. the JSONL line of the record.
    """
    turns = number_turns(raw_turns, context)
    if not turns:
        fail(context, ErrorCode.E003_EMPTY, "no turns with text were found", location)
    if all(turn.role is Role.SYSTEM for turn in turns):
        fail(
            context,
            ErrorCode.E006_NO_SPEAKERS,
            f"none of the {len(turns)} turns is spoken by an agent or a customer",
            location,
            "check the speaker/role fields, or pass a speakers mapping",
        )
    clean = _without_nul
    return Conversation(
        id=clean(fields.id),
        turns=turns,
        channel=fields.channel,
        agent_id=clean(fields.agent_id) if fields.agent_id else fields.agent_id,
        customer_id=clean(fields.customer_id) if fields.customer_id else fields.customer_id,
        customer_name=clean(fields.customer_name) if fields.customer_name else fields.customer_name,
        started_at=fields.started_at,
        metadata=MappingProxyType(dict(fields.metadata)),
    )
