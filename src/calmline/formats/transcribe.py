"""Amazon Transcribe Call Analytics post-call output: ``Transcript`` items with
``ParticipantRole`` AGENT/CUSTOMER, ``Content`` and millisecond offsets. The helpers here are
shared with Contact Lens, whose output is built on the same schema."""

from __future__ import annotations

from typing import Any

from calmline.conversation import Channel, Conversation, Role
from calmline.formats.base import ConversationFields, RawTurn, ReadContext, build_conversation
from calmline.formats.jsontree import JsonDoc, child, load_json

AMAZON_ROLES = {"AGENT": Role.AGENT, "CUSTOMER": Role.CUSTOMER, "SYSTEM": Role.SYSTEM}
_AMAZON_CHANNELS = {"VOICE": Channel.VOICE, "CHAT": Channel.CHAT}


def parse_transcribe(text: str, context: ReadContext) -> Conversation:
    """Read a Transcribe Call Analytics output file."""
    doc = JsonDoc(context)
    root = doc.as_object(load_json(text, context), "")
    check_job_status(doc, root)
    items = doc.list_field(root, "Transcript", "")
    turns = [_raw_turn(doc, item, child("Transcript", i)) for i, item in enumerate(items)]
    fields = ConversationFields(
        id=doc.optional_text(root, "JobName", "") or context.stem,
        channel=amazon_channel(doc, root),
        metadata=amazon_metadata(doc, root, "transcribe_call_analytics"),
    )
    return build_conversation(fields, turns, context)


def _raw_turn(doc: JsonDoc, value: Any, path: str) -> RawTurn:
    item = doc.as_object(value, path)
    role = amazon_role(doc, doc.text(item, "ParticipantRole", path), child(path, "ParticipantRole"))
    return amazon_turn(doc, item, path, role)


def amazon_turn(doc: JsonDoc, item: dict[str, Any], path: str, role: Role) -> RawTurn:
    """A turn from an Amazon transcript item (``Content`` plus millisecond offsets)."""
    return RawTurn(
        role=role,
        text=doc.text(item, "Content", path),
        location=doc.where(child(path, "Content")),
        begin_ms=doc.optional_ms(item, "BeginOffsetMillis", path),
        end_ms=doc.optional_ms(item, "EndOffsetMillis", path),
    )


def amazon_role(doc: JsonDoc, name: str, path: str) -> Role:
    """AGENT / CUSTOMER / SYSTEM to a role, or a schema error at ``path``."""
    role = AMAZON_ROLES.get(name.strip().upper())
    if role is None:
        doc.wrong(path, f"{name!r:.40} is not AGENT, CUSTOMER or SYSTEM")
    return role


def check_job_status(doc: JsonDoc, root: dict[str, Any]) -> None:
    """Refuse the output of an analysis job that did not complete."""
    status = doc.optional_text(root, "JobStatus", "")
    if status is not None and status.upper() not in ("COMPLETED", "COMPLETE"):
        doc.wrong(
            "JobStatus",
            f"the analysis job is {status!r:.30}, not COMPLETED",
            "read the output of a completed job",
        )


def amazon_channel(doc: JsonDoc, root: dict[str, Any]) -> Channel:
    """The ``Channel`` field (VOICE or CHAT); voice when absent."""
    name = doc.optional_text(root, "Channel", "") or "VOICE"
    channel = _AMAZON_CHANNELS.get(name.upper())
    if channel is None:
        doc.wrong("Channel", f"{name!r:.30} is not VOICE or CHAT")
    return channel


def amazon_metadata(doc: JsonDoc, root: dict[str, Any], source_format: str) -> dict[str, Any]:
    """Conversation metadata worth keeping: language, matched categories, redaction."""
    categories = doc.optional_object(root, "Categories", "")
    content = doc.optional_object(root, "ContentMetadata", "")
    found = {
        "source_format": source_format,
        "language": doc.optional_text(root, "LanguageCode", ""),
        "matched_categories": categories.get("MatchedCategories"),
        "redaction": doc.optional_text(content, "Output", "ContentMetadata"),
    }
    return {key: value for key, value in found.items() if value is not None}
