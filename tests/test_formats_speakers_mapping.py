"""Speaker names map to roles: defaults, case-insensitivity, and a caller's own mapping."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from calmline.conversation import Role
from calmline.errors import CalmlineError, ErrorCode
from calmline.formats import parse_conversation, read_conversation

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Agent", Role.AGENT),
        ("REPRESENTATIVE", Role.AGENT),
        ("rep", Role.AGENT),
        ("CSR", Role.AGENT),
        ("Advisor", Role.AGENT),
        ("Agent 2", Role.AGENT),
        ("Supervisor", Role.AGENT),
        ("customer", Role.CUSTOMER),
        ("Caller", Role.CUSTOMER),
        ("CLIENT", Role.CUSTOMER),
        ("User", Role.CUSTOMER),
        ("IVR", Role.SYSTEM),
    ],
)
def test_default_speaker_names(name: str, role: Role) -> None:
    conversation = parse_conversation(
        f"{name}: hello there\nCustomer: hi\nAgent: hi", source="t.txt", format="text"
    )
    assert conversation.turns[0].role is role


@pytest.mark.parametrize("format_name", ["text", "csv", "vtt", "srt"])
@pytest.mark.parametrize(
    ("speakers", "roles"),
    [
        ({"Priya": "agent", "Dana": "customer"}, [Role.AGENT, Role.CUSTOMER]),
        ({"priya": Role.AGENT, "DANA": Role.CUSTOMER}, [Role.AGENT, Role.CUSTOMER]),
        ({"Priya": "customer", "Dana": "agent"}, [Role.CUSTOMER, Role.AGENT]),
    ],
)
def test_custom_mapping_applies_to_every_named_format(
    format_name: str, speakers: Mapping[str, str], roles: list[Role]
) -> None:
    content = {
        "text": "Priya: Hello.\nDana: Hi.\n",
        "csv": "speaker,text\nPriya,Hello.\nDana,Hi.\n",
        "vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Priya>Hello.\n\n"
        "00:02.000 --> 00:03.000\n<v Dana>Hi.\n",
        "srt": "1\n00:00:01,000 --> 00:00:02,000\nPriya: Hello.\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nDana: Hi.\n",
    }[format_name]
    conversation = parse_conversation(content, source="x", format=format_name, speakers=speakers)
    assert [turn.role for turn in conversation] == roles
    assert [turn.speaker for turn in conversation] == ["Priya", "Dana"]


def test_unmapped_names_raise_e006_naming_them() -> None:
    with pytest.raises(CalmlineError) as caught:
        read_conversation(FIXTURES / "call_custom_names.txt")
    assert caught.value.code is ErrorCode.E006_NO_SPEAKERS
    assert "'Dana'" in str(caught.value)
    assert "'Priya'" in str(caught.value)
    assert "call_custom_names.txt" in str(caught.value)


def test_mapping_fixes_unmapped_names() -> None:
    conversation = read_conversation(
        FIXTURES / "call_custom_names.txt", speakers={"Priya": "agent", "Dana": "customer"}
    )
    assert [t.role for t in conversation] == [Role.CUSTOMER, Role.AGENT] * 2


def test_invalid_role_in_mapping_is_an_error() -> None:
    with pytest.raises(CalmlineError, match="'boss'") as caught:
        parse_conversation("Agent: hi", source="x.txt", speakers={"Priya": "boss"})
    assert caught.value.code is ErrorCode.E005_SCHEMA


@pytest.mark.parametrize(
    ("content", "texts"),
    [
        (
            "Agent: Hello.\nNote: this is still the agent.",
            ["Hello.\nNote: this is still the agent."],
        ),
        ("Agent: See https://example.com for details", ["See https://example.com for details"]),
        ("Agent: At 10:30 we opened.\n  more words  ", ["At 10:30 we opened.\nmore words"]),
        ("[00:00:01] Agent: one\n[00:00:02] two", ["one\ntwo"]),
        ("Agent [00:01:02]: one", ["one"]),
    ],
)
def test_text_continuation_lines(content: str, texts: list[str]) -> None:
    conversation = parse_conversation(content, source="x.txt", format="text")
    assert [turn.text for turn in conversation] == texts


def test_text_timestamp_after_name_sets_offset() -> None:
    turn = parse_conversation("Agent [00:01:02.5]: one", source="x.txt").turns[0]
    assert turn.begin_ms == 62_500
