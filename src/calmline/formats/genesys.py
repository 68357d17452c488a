"""Genesys Cloud speech-and-text-analytics transcripts (the JSON behind the transcript URL):
``transcripts[].phrases[]`` with ``participantPurpose`` and epoch-millisecond start times."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from calmline.conversation import Channel, Conversation, Role
from calmline.formats.base import ConversationFields, RawTurn, ReadContext, build_conversation
from calmline.formats.jsontree import JsonDoc, child, load_json

# internal = the organisation's people (agents); external = the customer; the rest are
# routing and automation (ACD queues, IVR flows, bots).
_PURPOSE_ROLES = {
    "internal": Role.AGENT,
    "agent": Role.AGENT,
    "user": Role.AGENT,
    "external": Role.CUSTOMER,
    "customer": Role.CUSTOMER,
    "acd": Role.SYSTEM,
    "ivr": Role.SYSTEM,
    "bot": Role.SYSTEM,
    "workflow": Role.SYSTEM,
    "voicemail": Role.SYSTEM,
}
_MEDIA = {
    "call": Channel.VOICE,
    "callback": Channel.VOICE,
    "chat": Channel.CHAT,
    "message": Channel.CHAT,
    "messaging": Channel.CHAT,
    "email": Channel.CHAT,
}


def parse_genesys(text: str, context: ReadContext) -> Conversation:
    """Read a Genesys Cloud transcript."""
    doc = JsonDoc(context)
    root = doc.as_object(load_json(text, context), "")
    turns = _all_turns(doc, root)
    start_ms = doc.optional_ms(root, "conversationStartTime", "")
    base_ms = start_ms if start_ms is not None else _first_start(turns)
    media = (doc.optional_text(root, "mediaType", "") or "call").lower()
    fields = ConversationFields(
        id=doc.optional_text(root, "conversationId", "") or context.stem,
        channel=_MEDIA.get(media, Channel.VOICE),
        started_at=_epoch(doc, start_ms),
        metadata=_metadata(doc, root, media),
    )
    return build_conversation(fields, _relative(turns, base_ms), context)


def _all_turns(doc: JsonDoc, root: dict[str, Any]) -> list[RawTurn]:
    """Phrases of every transcript (one per channel or communication), in time order."""
    turns: list[RawTurn] = []
    for t_index, value in enumerate(doc.list_field(root, "transcripts", "")):
        path = child("transcripts", t_index)
        phrases = doc.list_field(doc.as_object(value, path), "phrases", path)
        phrase_path = child(path, "phrases")
        turns.extend(_raw_turn(doc, item, child(phrase_path, i)) for i, item in enumerate(phrases))
    timed = all(turn.begin_ms is not None for turn in turns)
    return sorted(turns, key=lambda turn: turn.begin_ms or 0) if timed else turns


def _raw_turn(doc: JsonDoc, value: Any, path: str) -> RawTurn:
    phrase = doc.as_object(value, path)
    begin = doc.optional_ms(phrase, "startTimeMs", path)
    duration = doc.optional_ms(
        doc.optional_object(phrase, "duration", path), "milliseconds", child(path, "duration")
    )
    return RawTurn(
        role=_role(doc, phrase, path),
        text=doc.text(phrase, "text", path),
        location=doc.where(child(path, "text")),
        begin_ms=begin,
        end_ms=begin + duration if begin is not None and duration is not None else None,
    )


def _role(doc: JsonDoc, phrase: dict[str, Any], path: str) -> Role:
    purpose = doc.text(phrase, "participantPurpose", path)
    role = _PURPOSE_ROLES.get(purpose.strip().lower())
    if role is None:
        doc.wrong(
            child(path, "participantPurpose"),
            f"{purpose!r:.30} is not internal, external, acd or ivr",
        )
    return role


def _epoch(doc: JsonDoc, millis: int | None) -> datetime | None:
    if millis is None:
        return None
    try:
        return datetime.fromtimestamp(millis / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        doc.wrong("conversationStartTime", f"{millis} is not epoch milliseconds")


def _first_start(turns: list[RawTurn]) -> int:
    return min((turn.begin_ms for turn in turns if turn.begin_ms is not None), default=0)


def _relative(turns: list[RawTurn], base_ms: int) -> list[RawTurn]:
    """Epoch milliseconds to offsets from the start of the conversation."""

    def shift(value: int | None) -> int | None:
        return None if value is None else max(value - base_ms, 0)

    return [
        replace(turn, begin_ms=shift(turn.begin_ms), end_ms=shift(turn.end_ms)) for turn in turns
    ]


def _metadata(doc: JsonDoc, root: dict[str, Any], media: str) -> dict[str, Any]:
    found = {
        "source_format": "genesys",
        "communication_id": doc.optional_text(root, "communicationId", ""),
        "recording_id": doc.optional_text(root, "recordingId", ""),
        "media_type": media,
    }
    return {key: value for key, value in found.items() if value is not None}
