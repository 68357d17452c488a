"""Build calmline's corpus splits from the labelled conversations in corpus/conversations.

Writes src/calmline/data/corpus/{train,dev,test}.jsonl (+ .scope.json) in the
labelled-data format: one utterance per line, with up to four preceding turns as
context. A conversation goes wholly to one split, chosen from a stable hash of its id
(70 % train, 15 % dev, 15 % test), so adding conversations never moves old ones.

    python scripts/build_corpus.py [--check]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from calmline.labels import LABELS, PUBLIC_LABELS

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "corpus" / "conversations"
TARGET = ROOT / "src" / "calmline" / "data" / "corpus"
CONTEXT_TURNS = 4
SPLITS = ("train", "dev", "test")


def split_of(conversation_id: str) -> str:
    bucket = int(hashlib.sha256(conversation_id.encode()).hexdigest(), 16) % 100
    return "train" if bucket < 70 else "dev" if bucket < 85 else "test"


def check(conversation: dict[str, Any], where: str) -> None:
    for i, turn in enumerate(conversation["turns"]):
        role, labels = turn["role"], turn.get("labels") or []
        if role not in ("agent", "customer"):
            raise SystemExit(f"{where} turn {i}: role {role!r}")
        for label in labels:
            if label not in PUBLIC_LABELS or LABELS[label].role.value != role:
                raise SystemExit(f"{where} turn {i}: label {label!r} is not a {role} label")
        if "open_question" in labels and "question" not in labels:
            raise SystemExit(f"{where} turn {i}: open_question without question")
        if "options" in labels and "solution" not in labels:
            raise SystemExit(f"{where} turn {i}: options without solution")


def utterances(conversation: dict[str, Any]) -> list[dict[str, Any]]:
    turns = conversation["turns"]
    return [{"id": f"{conversation['id']}:{i}", "role": turn["role"], "text": turn["text"],
             "context": [{"role": t["role"], "text": t["text"]}
                         for t in turns[max(0, i - CONTEXT_TURNS):i]],
             "labels": sorted(turn.get("labels") or []),
             "register": conversation.get("register", ""),
             "domain": conversation.get("domain", "")}
            for i, turn in enumerate(turns)]


def build() -> dict[str, str]:
    lines: dict[str, list[str]] = {split: [] for split in SPLITS}
    seen: set[str] = set()
    for path in sorted(SOURCE.glob("*.yaml")):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            where = f"{path.name}:{conversation['id']}"
            if conversation["id"] in seen:
                raise SystemExit(f"{where}: duplicate conversation id")
            seen.add(conversation["id"])
            check(conversation, where)
            lines[split_of(conversation["id"])] += [json.dumps(u, ensure_ascii=False)
                                                   for u in utterances(conversation)]
    return {split: "\n".join(rows) + "\n" for split, rows in lines.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the splits are stale")
    args = parser.parse_args()
    built = build()
    scope = json.dumps({"labels": sorted(PUBLIC_LABELS)}, indent=1) + "\n"
    stale = []
    TARGET.mkdir(parents=True, exist_ok=True)
    for split, text in built.items():
        for path, content in ((TARGET / f"{split}.jsonl", text),
                              (TARGET / f"{split}.scope.json", scope)):
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                stale.append(path.name)
                if not args.check:
                    path.write_text(content, encoding="utf-8")
        print(f"{split}: {text.count(chr(10))} utterances")
    if args.check and stale:
        print(f"stale: {', '.join(stale)} (run python scripts/build_corpus.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
