"""Amazon Connect Contact Lens post-call analysis output: ``Participants`` map each
``ParticipantId`` to AGENT/CUSTOMER, and ``Transcript`` items carry the ids."""

from __future__ import annotations

from typing import Any

from calmline.conversation import Conversation, Role
from calmline.formats.base import ConversationFields, RawTurn, ReadContext, build_conversation
from calmline.formats.jsontree import JsonDoc, child, load_json
from calmline.formats.transcribe import (
    amazon_channel,
    amazon_metadata,
    amazon_role,
    amazon_turn,
    check_job_status,
)


def parse_contact_lens(text: str, context: ReadContext) -> Conversation:
    """Read a Contact Lens analysis file."""
    doc = JsonDoc(context)
    root = doc.as_object(load_json(text, context), "")
    check_job_status(doc, root)
    roles = _participant_roles(doc, root)
    items = doc.list_field(root, "Transcript", "")
    turns = [_raw_turn(doc, item, child("Transcript", i), roles) for i, item in enumerate(items)]
    customer = doc.optional_object(root, "CustomerMetadata", "")
    metadata = amazon_metadata(doc, root, "contact_lens")
    instance = doc.optional_text(customer, "InstanceId", "CustomerMetadata")
    fields = ConversationFields(
        id=doc.optional_text(customer, "ContactId", "CustomerMetadata") or context.stem,
        channel=amazon_channel(doc, root),
        metadata={**metadata, "instance_id": instance} if instance else metadata,
    )
    return build_conversation(fields, turns, context)


def _participant_roles(doc: JsonDoc, root: dict[str, Any]) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for index, value in enumerate(doc.list_field(root, "Participants", "")):
        path = child("Participants", index)
        participant = doc.as_object(value, path)
        name = doc.text(participant, "ParticipantRole", path)
        role = amazon_role(doc, name, child(path, "ParticipantRole"))
        roles[doc.text(participant, "ParticipantId", path)] = role
    return roles


def _raw_turn(doc: JsonDoc, value: Any, path: str, roles: dict[str, Role]) -> RawTurn:
    item = doc.as_object(value, path)
    participant = doc.text(item, "ParticipantId", path)
    role = roles.get(participant)
    if role is None:
        doc.wrong(
            child(path, "ParticipantId"),
            f"participant {participant!r:.40} is not listed in Participants",
        )
    return amazon_turn(doc, item, path, role)
