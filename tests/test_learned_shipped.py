"""The corpus and the models calmline ships: splits up to date, models trained only on
data that may ship, covering every public label, and better than the rules alone on
the corpus's held-out test split."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from calmline.commands.evaluate import run_eval
from calmline.labels import PUBLIC_LABELS
from calmline.learned import DEFAULT_MODEL_DIR, shipped_models
from calmline.learned.data import CORPUS

ROOT = Path(__file__).resolve().parents[1]


def test_corpus_splits_are_built_from_the_current_conversations() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_corpus.py"), "--check"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def test_corpus_is_big_enough_and_split_by_conversation() -> None:
    splits = {name: [json.loads(line) for line in
                     (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
              for name in ("train", "dev", "test")}
    assert sum(len(rows) for rows in splits.values()) >= 3000
    conversations = {name: {row["id"].rsplit(":", 1)[0] for row in rows}
                     for name, rows in splits.items()}
    assert not conversations["train"] & conversations["test"]
    assert not conversations["dev"] & conversations["test"]
    for rows in splits.values():
        present = {label for row in rows for label in row["labels"]}
        assert present == set(PUBLIC_LABELS)


def test_shipped_models_cover_every_public_label_and_no_research_only_data() -> None:
    models = shipped_models()
    assert models is not None
    assert models.labels == set(PUBLIC_LABELS)
    card = json.loads((DEFAULT_MODEL_DIR / "model.json").read_text())
    files = {entry["file"] for entry in card["data"]}
    assert files == {"train.jsonl", "dev.jsonl", "convabuse_train.jsonl"}
    assert not any("NC" in entry["licence"] for entry in card["data"])


def test_shipped_models_beat_the_rules_on_the_held_out_test_split() -> None:
    results = run_eval([CORPUS / "test.jsonl"], ["rules", "default", "learned"])
    assert results["default"].macro_f1 > results["rules"].macro_f1 + 0.05
    assert results["learned"].macro_f1 > results["default"].macro_f1
    assert results["learned"].macro_f1 >= 0.75
