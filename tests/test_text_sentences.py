"""Sentence splitting: offsets into the text, abbreviations and times kept whole."""

from __future__ import annotations

import pytest

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
