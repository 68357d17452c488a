"""Google Contact Center AI Insights conversations: ``transcript.transcriptSegments`` with a
participant role (or a ``channelTag`` resolved through ``callMetadata``) and word offsets."""

from __future__ import annotations

from typing import Any

from calmline.conversation import Channel, Conversation, Role
from calmline.formats.base import ConversationFields, RawTurn, ReadContext, build_conversation
from calmline.formats.jsontree import JsonDoc, child, load_json
from calmline.formats.timecodes import duration_ms

# Virtual agents are bots: their turns are the system's, not the human agent's to be scored.
_SEGMENT_ROLES = {
    "HUMAN_AGENT": Role.AGENT,
    "ANY_AGENT": Role.AGENT,
    "AUTOMATED_AGENT": Role.SYSTEM,
    "END_USER": Role.CUSTOMER,
}
_MEDIA = {"PHONE_CALL": Channel.VOICE, "CHAT": Channel.CHAT}
_SEGMENTS = "transcript.transcriptSegments"


def parse_ccai(text: str, context: ReadContext) -> Conversation:
    """Read a CCAI Insights conversation (as returned by conversations.get or an export)."""
    doc = JsonDoc(context)
    root = doc.as_object(load_json(text, context), "")
    transcript = doc.as_object(doc.required(root, "transcript", ""), "transcript")
    channels = _channel_roles(doc, root)
    items = doc.list_field(transcript, "transcriptSegments", "transcript")
    turns = [_raw_turn(doc, item, child(_SEGMENTS, i), channels) for i, item in enumerate(items)]
    name = doc.optional_text(root, "name", "")
    fields = ConversationFields(
        id=name.rsplit("/", 1)[-1] if name else context.stem,
        channel=_MEDIA.get((doc.optional_text(root, "medium", "") or "").upper(), Channel.VOICE),
        agent_id=doc.optional_text(root, "agentId", ""),
        started_at=doc.optional_datetime(root, "startTime", ""),
        metadata=_metadata(doc, root, name),
    )
    return build_conversation(fields, turns, context)


def _channel_roles(doc: JsonDoc, root: dict[str, Any]) -> dict[int, Role]:
    """``callMetadata`` says which audio channel is the agent and which the customer."""
    call = doc.optional_object(root, "callMetadata", "")
    roles: dict[int, Role] = {}
    for key, role in (("agentChannel", Role.AGENT), ("customerChannel", Role.CUSTOMER)):
        tag = call.get(key)
        if tag is not None:
            roles[_channel_tag(doc, tag, child("callMetadata", key))] = role
    return roles


def _channel_tag(doc: JsonDoc, value: Any, path: str) -> int:
    """Channel numbers are int32 in the API but may arrive as strings."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    doc.wrong(path, f"expected a channel number, found {value!r:.30}")


def _raw_turn(doc: JsonDoc, value: Any, path: str, channels: dict[int, Role]) -> RawTurn:
    segment = doc.as_object(value, path)
    words = segment.get("words")
    word_list = doc.list_field(segment, "words", path) if words is not None else []
    return RawTurn(
        role=_role(doc, segment, path, channels),
        text=doc.text(segment, "text", path),
        location=doc.where(child(path, "text")),
        begin_ms=_offset(doc, word_list, 0, "startOffset", path),
        end_ms=_offset(doc, word_list, -1, "endOffset", path),
    )


def _role(doc: JsonDoc, segment: dict[str, Any], path: str, channels: dict[int, Role]) -> Role:
    participant = doc.optional_object(segment, "segmentParticipant", path)
    name = doc.optional_text(participant, "role", child(path, "segmentParticipant")) or ""
    role = _SEGMENT_ROLES.get(name.upper())
    if role is None and segment.get("channelTag") is not None:
        role = channels.get(_channel_tag(doc, segment["channelTag"], child(path, "channelTag")))
    if role is None:
        doc.wrong(
            child(path, "segmentParticipant.role"),
            f"cannot tell who speaks: role {name or 'missing'!r} and no callMetadata "
            "channel matches",
            "set callMetadata.agentChannel and customerChannel",
        )
    return role


def _offset(doc: JsonDoc, words: list[Any], index: int, key: str, path: str) -> int | None:
    if not words:
        return None
    word_path = child(child(path, "words"), index % len(words))
    text = doc.optional_text(doc.as_object(words[index], word_path), key, word_path)
    if text is None:
        return None
    millis = duration_ms(text)
    if millis is None:
        doc.wrong(child(word_path, key), f"{text!r:.30} is not a duration like '1.250s'")
    return millis


def _metadata(doc: JsonDoc, root: dict[str, Any], name: str | None) -> dict[str, Any]:
    found = {
        "source_format": "ccai",
        "name": name,
        "language": doc.optional_text(root, "languageCode", ""),
        "labels": root.get("labels") or None,
    }
    return {key: value for key, value in found.items() if value is not None}
