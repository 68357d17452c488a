"""calmline's own formats: one conversation as JSON, or one per line as JSONL (streamed),
and the writer that produces them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from calmline.conversation import Channel, Conversation, Role, Turn
from calmline.errors import ErrorCode, UsageError
from calmline.formats.base import (
    MAX_RECORD_BYTES,
    ConversationFields,
    RawTurn,
    ReadContext,
    build_conversation,
    decode_text,
    fail,
)
from calmline.formats.jsontree import JsonDoc, child, load_json

_ROLES = ", ".join(role.value for role in Role)
_CHANNELS = ", ".join(channel.value for channel in Channel)


def parse_json(text: str, context: ReadContext) -> Conversation:
    """Read one native conversation object."""
    doc = JsonDoc(context)
    return conversation_from(doc, load_json(text, context), context.stem)


def iter_jsonl(stream: BinaryIO, context: ReadContext) -> Iterator[Conversation]:
    """Yield one conversation per non-blank line, holding only one line in memory at a time."""
    line_number = 0
    found = False
    while line := stream.readline(MAX_RECORD_BYTES + 1):
        line_number += 1
        place = f"line {line_number}"
        if len(line) > MAX_RECORD_BYTES:
            fail(context, ErrorCode.E008_TOO_LARGE, "the record is too large", place)
        text = decode_text(line, context, first_line=line_number)
        if not text.strip():
            continue
        found = True
        doc = JsonDoc(context, prefix=place)
        yield conversation_from(
            doc, load_json(text, context, place), f"{context.stem}-{line_number}"
        )
    if not found:
        fail(context, ErrorCode.E003_EMPTY, "the file is empty: it has no records")


def conversation_from(doc: JsonDoc, value: Any, default_id: str) -> Conversation:
    """Validate one native conversation object and build the conversation."""
    record = doc.as_object(value, "")
    fields = ConversationFields(
        id=doc.optional_text(record, "id", "") or default_id,
        channel=_channel(doc, record),
        agent_id=doc.optional_text(record, "agent_id", ""),
        customer_id=doc.optional_text(record, "customer_id", ""),
        customer_name=doc.optional_text(record, "customer_name", ""),
        started_at=doc.optional_datetime(record, "started_at", ""),
        metadata=doc.optional_object(record, "metadata", ""),
    )
    items = doc.list_field(record, "turns", "")
    raw_turns = [_raw_turn(doc, item, child("turns", i)) for i, item in enumerate(items)]
    return build_conversation(fields, raw_turns, doc.context, doc.prefix)


def _channel(doc: JsonDoc, record: dict[str, Any]) -> Channel:
    value = doc.optional_text(record, "channel", "") or Channel.VOICE.value
    try:
        return Channel(value.lower())
    except ValueError:
        doc.wrong("channel", f"{value!r:.40} is not a channel; use one of {_CHANNELS}")


def _raw_turn(doc: JsonDoc, value: Any, path: str) -> RawTurn:
    item = doc.as_object(value, path)
    role_name = doc.text(item, "role", path)
    try:
        role = Role(role_name.strip().lower())
    except ValueError:
        doc.wrong(child(path, "role"), f"{role_name!r:.40} is not a role; use one of {_ROLES}")
    return RawTurn(
        role=role,
        text=doc.text(item, "text", path),
        location=doc.where(child(path, "text")),
        speaker=doc.optional_text(item, "speaker", path),
        begin_ms=doc.optional_ms(item, "begin_ms", path),
        end_ms=doc.optional_ms(item, "end_ms", path),
    )


def to_record(conversation: Conversation) -> dict[str, Any]:
    """The native JSON object for ``conversation``; optional fields are left out when empty."""
    record: dict[str, Any] = {"id": conversation.id, "channel": conversation.channel.value}
    optional = {
        "agent_id": conversation.agent_id,
        "customer_id": conversation.customer_id,
        "customer_name": conversation.customer_name,
        "started_at": conversation.started_at.isoformat() if conversation.started_at else None,
        "metadata": dict(conversation.metadata) or None,
    }
    record.update({key: value for key, value in optional.items() if value is not None})
    record["turns"] = [_turn_record(turn) for turn in conversation.turns]
    return record


def _turn_record(turn: Turn) -> dict[str, Any]:
    record: dict[str, Any] = {"role": turn.role.value, "text": turn.text}
    optional = {"speaker": turn.speaker, "begin_ms": turn.begin_ms, "end_ms": turn.end_ms}
    record.update({key: value for key, value in optional.items() if value is not None})
    return record


def write_json(conversation: Conversation, *, indent: int | None = 2) -> str:
    """Serialise to the native JSON format; ``indent=None`` gives one line, ready for JSONL."""
    try:
        return json.dumps(to_record(conversation), indent=indent, ensure_ascii=False)
    except (TypeError, ValueError) as error:
        raise UsageError(
            f"conversation {conversation.id!r} cannot be written as JSON: {error}",
            hint="metadata values must be JSON types (str, number, bool, null, list, dict)",
        ) from None
