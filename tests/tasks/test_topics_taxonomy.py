"""Complaint topics: found from a taxonomy file with the customer's words as evidence; a
bad taxonomy file is refused with every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmline.conversation import Role, Turn
from calmline.formats import read_conversation
from calmline.topics import TaxonomyError, TopicMatcher, find_topics, load_taxonomy, parse_taxonomy

CALLS = Path(__file__).resolve().parents[2] / "examples" / "calls"
MATCHER = TopicMatcher.of(load_taxonomy())
HEAD = "name: t\nversion: '1'\ntopics:\n"


@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("billing_double_charge.json", "billing"),
        ("defective_mixer_refund_or_replace.json", "product_quality"),
        ("abusive_caller_boundary.json", "delivery"),
        ("dismissive_agent.txt", "delivery"),
        ("jargon_fibre_outage.txt", "technical_fault"),
        ("manager_demand.txt", "staff_behaviour"),
        ("non_apology_blame_cancel.csv", "billing"),
        ("repeat_caller_third_time.json", "billing"),
        ("routine_password_reset.json", "account_access"),
        ("talk_over_venting.json", "delivery"),
        ("unresolved_wire_followup.srt", "payments"),
        ("warranty_exception.vtt", "product_quality"),
    ],
)
def test_sample_call_has_its_main_topic(name: str, topic: str) -> None:
    found = find_topics(read_conversation(CALLS / name).turns, MATCHER)
    assert found[0].topic == topic
    assert found[0].evidence and all(e.quote for e in found[0].evidence)


def test_evidence_quotes_the_customer_turn() -> None:
    turns = (Turn(0, Role.AGENT, "Thanks for calling, how can I help?"),
             Turn(1, Role.CUSTOMER, "Hello. You charged me twice this month. I want it fixed."))
    (topic,) = find_topics(turns, MATCHER)
    assert (topic.topic, topic.evidence[0].turn_index, topic.evidence[0].quote) == (
        "billing", 1, "You charged me twice this month.")


def test_agent_words_count_only_when_the_customer_names_no_topic() -> None:
    turns = (Turn(0, Role.CUSTOMER, "Hi there."),
             Turn(1, Role.AGENT, "I see the parcel is with the courier."))
    assert [t.topic for t in find_topics(turns, MATCHER)] == ["delivery"]


def test_no_topic_in_small_talk() -> None:
    assert find_topics((Turn(0, Role.CUSTOMER, "Hello, lovely weather today."),), MATCHER) == ()


def test_custom_taxonomy_and_min_hits() -> None:
    taxonomy = parse_taxonomy("name: t\nversion: '2'\ntopics:\n"
                              "  - {id: pets, name: Pets, phrases: [dog, 'cats?'], min_hits: 2}\n")
    matcher = TopicMatcher.of(taxonomy)
    assert find_topics((Turn(0, Role.CUSTOMER, "My dog."),), matcher) == ()
    assert find_topics((Turn(0, Role.CUSTOMER, "My dog ate the cat."),), matcher)[0].hits == 2


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "expected a mapping"),
        ("- a\n- b\n", "expected a mapping"),
        ("name: [unclosed\n", "YAML syntax error"),
        ("name: t\nversion: '1'\n", "topics: Field required"),
        ("name: t\nversion: '1'\ntopics: []\n", "topics"),
        ("name: t\nversion: '1'\ntopics:\n  - {id: Bad Id, name: X, phrases: [a]}\n", "topics.0.id"),
        (HEAD + "  - {id: a, name: X, phrases: ['(unclosed']}\n", "not a valid pattern"),
        ("name: t\nversion: '1'\ntopics:\n  - {id: a, name: X, phrases: ['  ']}\n", "cannot be empty"),
        (HEAD + "  - {id: a, name: X, phrases: [x]}\n  - {id: a, name: Y, phrases: [y]}\n",
         "repeated: a"),
        ("name: t\nversion: '1'\ntopics:\n  - {id: a, name: X, phrases: [x], colour: red}\n", "colour"),
    ],
)
def test_bad_taxonomy_is_refused_with_the_problem(text: str, problem: str) -> None:
    with pytest.raises(TaxonomyError) as caught:
        parse_taxonomy(text, source="topics.yaml")
    assert caught.value.code.value == "E102"
    assert problem in caught.value.message
    assert "topics.yaml" in caught.value.message


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"\xff\xfe\x00bad", "not UTF-8"), (b"x" * 1_000_001, "larger than")],
)
def test_unreadable_taxonomy_file_is_refused(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "topics.yaml"
    path.write_bytes(content)
    with pytest.raises(TaxonomyError, match=problem):
        load_taxonomy(path)


def test_missing_taxonomy_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "none.yaml")
