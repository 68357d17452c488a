"""Each reader turns a real-shaped fixture into the expected conversation."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmline.conversation import Channel, Role
from calmline.formats import read_conversation, read_conversations

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
A, C, S = Role.AGENT, Role.CUSTOMER, Role.SYSTEM


@pytest.mark.parametrize(
    ("name", "conversation_id", "roles", "channel"),
    [
        ("native.json", "call-0001", [S, A, C, A, C, A], Channel.VOICE),
        ("native_single.jsonl", "chat-9", [C, A], Channel.CHAT),
        ("call.txt", "call", [A, C, A, C, A], Channel.VOICE),
        ("call.csv", "call", [A, C, A, C], Channel.VOICE),
        ("call_speakers.csv", "call_speakers", [A, C, A], Channel.VOICE),
        ("call.vtt", "call", [A, C, A, C], Channel.VOICE),
        ("call_prefix.vtt", "call_prefix", [A, C, A], Channel.VOICE),
        ("call.srt", "call", [A, C, A], Channel.VOICE),
        (
            "contact_lens.json",
            "0e0b4a1c-5c1e-4b8a-9f55-2d3f7c1a9b10",
            [A, C, A, A, C],
            Channel.VOICE,
        ),
        (
            "transcribe_call_analytics.json",
            "billing-call-2024-03-04-0017",
            [A, C, A, C],
            Channel.VOICE,
        ),
        ("ccai.json", "4187392850911", [A, C, A, S, C], Channel.VOICE),
        ("genesys.json", "7f3c2a10-5b4e-4c1d-8e2f-9a8b7c6d5e4f", [A, C, A, C], Channel.VOICE),
    ],
)
def test_fixture_reads_to_expected_roles(
    name: str, conversation_id: str, roles: list[Role], channel: Channel
) -> None:
    conversation = read_conversation(FIXTURES / name)
    assert conversation.id == conversation_id
    assert [turn.role for turn in conversation] == roles
    assert [turn.index for turn in conversation] == list(range(len(roles)))
    assert conversation.channel is channel


@pytest.mark.parametrize(
    ("name", "index", "text", "begin_ms", "end_ms"),
    [
        (
            "native.json",
            2,
            "You charged me twice this month. This is the third time I'm calling!",
            6800,
            11900,
        ),
        (
            "call.txt",
            1,
            "You charged me twice this month.\nThis is the third time I'm calling about it!",
            6000,
            None,
        ),
        (
            "call.csv",
            2,
            "I'm sorry about that. To confirm, you see two charges for March?",
            12400,
            18000,
        ),
        ("call_speakers.csv", 1, "Good, because I am about to cancel.", 4000, 6500),
        ("call.vtt", 0, "Thank you for calling, this is Priya. How can I help?", 3000, 7000),
        ("call.vtt", 1, "You charged me twice this month & nobody fixed it!", 6800, 11900),
        (
            "call_prefix.vtt",
            1,
            "You charged me twice this month. And nobody called me back.",
            6800,
            14000,
        ),
        ("call.srt", 0, "Thank you for calling, this is Priya. How can I help?", 3000, 6200),
        ("call.srt", 1, "You charged me twice this month!", 6800, 11900),
        (
            "contact_lens.json",
            3,
            "I've refunded it, and you'll see it in three to five days.",
            16900,
            21000,
        ),
        (
            "transcribe_call_analytics.json",
            1,
            "It's [PII]. And I want a supervisor, right now.",
            4500,
            9800,
        ),
        ("ccai.json", 1, "Your app locked me out again. I'm furious.", 3100, 6400),
        ("ccai.json", 3, "Please hold while I transfer you.", None, None),
        (
            "genesys.json",
            1,
            "This is the third time I'm calling about the same outage!",
            3400,
            7500,
        ),
    ],
)
def test_fixture_turn_text_and_offsets(
    name: str, index: int, text: str, begin_ms: int | None, end_ms: int | None
) -> None:
    turn = read_conversation(FIXTURES / name).turns[index]
    assert (turn.text, turn.begin_ms, turn.end_ms) == (text, begin_ms, end_ms)


@pytest.mark.parametrize(
    ("name", "key", "value"),
    [
        ("native.json", "queue", "billing"),
        ("call.txt", "preamble", "Call transcript - billing queue - 2024-03-04"),
        ("contact_lens.json", "matched_categories", ["Cancellation"]),
        ("contact_lens.json", "instance_id", "a1b2c3d4-1111-2222-3333-444455556666"),
        ("transcribe_call_analytics.json", "redaction", "Redacted"),
        ("ccai.json", "labels", {"queue": "billing"}),
        ("genesys.json", "communication_id", "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"),
    ],
)
def test_fixture_metadata_is_kept(name: str, key: str, value: object) -> None:
    assert read_conversation(FIXTURES / name).metadata[key] == value


def test_native_json_conversation_fields() -> None:
    conversation = read_conversation(FIXTURES / "native.json")
    assert (conversation.agent_id, conversation.customer_id, conversation.customer_name) == (
        "agent-17",
        "cust-5521",
        "Dana Whitfield",
    )
    assert conversation.started_at is not None
    assert conversation.started_at.isoformat() == "2024-03-04T14:05:00+00:00"
    assert conversation.turns[1].speaker == "Priya"


@pytest.mark.parametrize(
    ("name", "agent_id", "started_at"),
    [
        ("ccai.json", "agent-0042", "2024-03-04T14:58:11.204981+00:00"),
        ("genesys.json", None, "2024-03-04T15:00:00+00:00"),
    ],
)
def test_vendor_conversation_fields(name: str, agent_id: str | None, started_at: str) -> None:
    conversation = read_conversation(FIXTURES / name)
    assert conversation.agent_id == agent_id
    assert conversation.started_at is not None
    assert conversation.started_at.isoformat() == started_at


def test_jsonl_yields_every_record_with_stem_ids_for_missing_ones() -> None:
    conversations = list(read_conversations(FIXTURES / "native_multi.jsonl"))
    assert [c.id for c in conversations] == ["chat-1", "chat-2", "native_multi-4"]


@pytest.mark.parametrize("name", ["native.json", "call.txt", "genesys.json"])
def test_single_conversation_formats_yield_exactly_one(name: str) -> None:
    assert len(list(read_conversations(FIXTURES / name))) == 1


def test_str_path_is_accepted() -> None:
    assert read_conversation(str(FIXTURES / "call.srt")).id == "call"
