"""The native writer round-trips: write_json then parse gives the same conversation back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calmline.conversation import Channel, Conversation, Role, Turn
from calmline.errors import CalmlineError, ErrorCode
from calmline.formats import parse_conversation, read_conversation, write_json

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


@pytest.mark.parametrize(
    "name",
    [
        "native.json",
        "call.txt",
        "call.csv",
        "call.vtt",
        "call.srt",
        "contact_lens.json",
        "transcribe_call_analytics.json",
        "ccai.json",
        "genesys.json",
    ],
)
def test_fixture_round_trips_through_native_json(name: str) -> None:
    conversation = read_conversation(FIXTURES / name)
    again = parse_conversation(write_json(conversation), source="again.json")
    assert again == conversation


@pytest.mark.parametrize("indent", [None, 2])
def test_one_line_output_is_a_jsonl_record(indent: int | None) -> None:
    conversation = read_conversation(FIXTURES / "native.json")
    text = write_json(conversation, indent=indent)
    assert ("\n" in text) is (indent is not None)
    assert json.loads(text)["turns"][1] == {
        "role": "agent",
        "speaker": "Priya",
        "begin_ms": 3000,
        "end_ms": 6200,
        "text": json.loads(text)["turns"][1]["text"],
    }


def test_optional_fields_are_left_out() -> None:
    conversation = Conversation("c1", (Turn(0, Role.CUSTOMER, "hi"),))
    assert json.loads(write_json(conversation)) == {
        "id": "c1",
        "channel": "voice",
        "turns": [{"role": "customer", "text": "hi"}],
    }


def test_metadata_that_is_not_json_is_a_usage_error() -> None:
    conversation = Conversation("c1", (Turn(0, Role.AGENT, "hi"),), metadata={"when": object()})
    with pytest.raises(CalmlineError) as caught:
        write_json(conversation)
    assert caught.value.code is ErrorCode.E301_USAGE


# Without NUL, which readers drop (it carries nothing, and PostgreSQL cannot store it).
# (A custom alphabet would also admit lone surrogates, which no UTF-8 file holds.)
_LETTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
texts = st.text(_LETTERS, min_size=1, max_size=40).map(str.strip).filter(bool)
turns = st.lists(
    st.tuples(
        st.sampled_from(Role),
        texts,
        st.none() | texts,
        st.none() | st.integers(0, 10**9),
        st.none() | st.integers(0, 10**9),
    ),
    min_size=1,
    max_size=6,
).filter(lambda items: any(item[0] is not Role.SYSTEM for item in items))


@given(
    turns=turns,
    channel=st.sampled_from(Channel),
    ids=st.tuples(texts, st.none() | texts, st.none() | texts),
    started=st.none() | st.datetimes(timezones=st.just(UTC)),
)
def test_any_conversation_round_trips(
    turns: list[tuple[Role, str, str | None, int | None, int | None]],
    channel: Channel,
    ids: tuple[str, str | None, str | None],
    started: datetime | None,
) -> None:
    conversation = Conversation(
        id=ids[0],
        turns=tuple(Turn(i, *item) for i, item in enumerate(turns)),
        channel=channel,
        agent_id=ids[1],
        customer_name=ids[2],
        started_at=started,
    )
    assert (
        parse_conversation(write_json(conversation), source="x.json", format="json") == conversation
    )
