"""The direct profanity model gives alt-profanity-check's own probabilities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from profanity_check import predict_prob

from calmline.detectors.profanity import ProfanityModel, _word_analyzer
from calmline.formats import read_conversation

from .conftest import SAMPLE_CALLS

CONVABUSE = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "convabuse"
HAND_WRITTEN = ["", "!!!", "you stupid idiot", "I love this product", "what the hell is this",
                "F*** OFF", "thank you so much", "your service is a joke", "12345", "ünïcödé ✓"]


def _texts() -> list[str]:
    path = CONVABUSE / "convabuse_valid.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()[:400] if path.exists() else []
    return HAND_WRITTEN + [json.loads(line)["text"] for line in lines]


def test_direct_model_equals_the_package() -> None:
    texts = _texts()
    model = ProfanityModel.shipped()
    expected = predict_prob(texts)
    for text, want in zip(texts, expected, strict=True):
        assert model.probability(text) == pytest.approx(float(want), abs=1e-12), text


@pytest.mark.parametrize(("text", "offensive"), [("you stupid idiot", True),
                                                  ("thank you so much", False)])
def test_direction(text: str, offensive: bool) -> None:
    assert (ProfanityModel.shipped().probability(text) > 0.5) is offensive


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["You", "STUPID", "idiot", "the", "and", "f***", "Ünï", "x", "12",
                                 "a_b", "don't", "ſ", "\u212a", "İ", "!!", ",", "—"]) | st.text(max_size=4),
                max_size=12).map(" ".join))
def test_word_analyzer_equals_scikit_learns(text: str) -> None:
    from profanity_check import profanity_check

    fast = _word_analyzer(profanity_check.vectorizer)
    assert fast is not None
    assert fast(text) == profanity_check.vectorizer.build_analyzer()(text)


def test_sample_turns_score_as_the_package_does() -> None:
    texts = [t.text for path in SAMPLE_CALLS for t in read_conversation(path).turns]
    model = ProfanityModel.shipped()
    for text, want in zip(texts, predict_prob(texts), strict=True):
        assert model.probability(text) == pytest.approx(float(want), abs=1e-12), text
