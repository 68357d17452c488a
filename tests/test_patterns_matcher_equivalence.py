"""The indexed phrase matcher finds exactly what spaCy's Matcher finds for the same
compiled patterns, on every lexicon and on every sample-call turn."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from calmline.detectors.patterns import (
    LEXICON_DIR,
    LexiconMatcher,
    Match,
    compile_pattern,
    load_lexicon,
    matches_from,
)
from calmline.detectors.tokens import TurnTokens
from calmline.formats import read_conversation

from .conftest import SAMPLE_CALLS

NLP = spacy.blank("en")
EXTRA_TEXTS = [
    "I'm sorry you feel that way", "im really sorry we messed up ur order", "calm down!!!",
    "you will get it within 3 to 5 business days", "this is the 3rd time im calling",
    "I am not angry, just tired", "can you please just get me your manager", "",
    "so what you're saying is the bill doubled?", "I'll call you back tomorrow at 10",
]


@cache
def _spacy_matcher(lexicon_name: str) -> tuple[Matcher, dict[str, float]]:
    lexicons = load_lexicon(LEXICON_DIR / lexicon_name)
    matcher = Matcher(NLP.vocab)
    scores = {lex.label: lex.score for lex in lexicons}
    for lex in lexicons:
        for key, patterns in ((lex.label, lex.patterns), (f"!{lex.label}", lex.exclude)):
            compiled: list[list[dict[str, Any]]] = [
                p for pattern in patterns for p in compile_pattern(NLP, pattern)]
            if compiled:
                matcher.add(key, compiled)
    return matcher, scores


def _spacy_matches(lexicon_name: str, doc: Doc) -> list[Match]:
    matcher, scores = _spacy_matcher(lexicon_name)
    found: dict[str, dict[int, int]] = {}
    for match_id, start, end in matcher(doc):
        starts = found.setdefault(NLP.vocab.strings[match_id], {})
        starts[start] = max(end, starts.get(start, -1))
    return matches_from(found, TurnTokens.of_doc(doc), scores)


def _texts() -> list[str]:
    texts = list(EXTRA_TEXTS)
    for path in SAMPLE_CALLS:
        texts.extend(t.text for t in read_conversation(path).turns)
    return texts


@pytest.mark.parametrize("lexicon_name", ["agent.yaml", "customer.yaml"])
def test_indexed_matcher_equals_spacy_matcher(lexicon_name: str) -> None:
    ours = LexiconMatcher(NLP, load_lexicon(LEXICON_DIR / lexicon_name))
    for text in _texts():
        doc = NLP.make_doc(text)
        assert set(ours.matches(doc)) == set(_spacy_matches(lexicon_name, doc)), text
