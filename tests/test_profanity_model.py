"""The direct profanity model gives alt-profanity-check's own probabilities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from profanity_check import predict_prob

from calmline.detectors.profanity import ProfanityModel

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
