"""Sentence splitting: offsets into the text, abbreviations and times kept whole."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calmline.text as text_module
from calmline.text import sentence_around, sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello. How are you?", ["Hello.", "How are you?"]),
        ("I'll call by 4 p.m. today. Okay?", ["I'll call by 4 p.m. today.", "Okay?"]),
        ("Mrs. Patel, hi! Dr. Lee is here…", ["Mrs. Patel, hi!", "Dr. Lee is here…"]),
        ("no punctuation at all", ["no punctuation at all"]),
        ("Version 2.5 is out. Great", ["Version 2.5 is out.", "Great"]),
        ("Wait!!! What?!", ["Wait!!!", "What?!"]),
        ("", []),
        ("   ", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    found = sentences(text)
    assert [s for _, _, s in found] == expected
    assert all(text[start:end] == s for start, end, s in found)


def test_sentence_around_a_span() -> None:
    text = "Hi there. I'm sorry we charged you twice. Let me fix it."
    start = text.index("sorry")
    assert sentence_around(text, start, start + 5) == "I'm sorry we charged you twice."


def _sentences_by_full_scan(text: str) -> list[tuple[int, int, str]]:
    """The splitter as first written: the abbreviation test scans the whole sentence."""
    found: list[tuple[int, int, str]] = []
    start = 0
    for match in text_module._END.finditer(text):
        if not text_module._ABBREVIATION.search(text, start, match.end()):
            text_module._add(found, text, start, match.end())
            start = match.end()
    text_module._add(found, text, start, len(text))
    return found


_PIECES = ["Mr", "mrs", "Ms", "DR", "st", "No", "vs", "etc", "approx", "e.g", "i.e", "a.m", "p.m",
           "xapprox", "Kelvin", "\u212a", "\u017ft", "é", "word", "4", ".", "..", "!", "?", "…", "?!"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES) | st.text(max_size=3),
                          st.sampled_from(["", " ", "  ", "\n", ". ", "."])), max_size=14)
       .map(lambda parts: "".join(p + s for p, s in parts)))
def test_abbreviation_test_on_the_sentence_end_equals_the_full_scan(text: str) -> None:
    assert list(text_module.sentences.__wrapped__(text)) == _sentences_by_full_scan(text)
