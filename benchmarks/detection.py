"""Detection quality: the figures of docs/models.md.

Measures, in one run:
  * calmline's corpus test split, ConvAbuse valid and ESConv valid with the rules alone,
    the default configuration (rules + shipped models at the default playbook's
    operating points) and the shipped models on every label ("learned");
  * the opt-in ESConv recipe (calmline's learned detectors trained on ESConv train,
    research use only) against a TF-IDF + logistic-regression baseline trained and
    tested the same way (default threshold, with and without class balancing).

    python benchmarks/detection.py [--datasets ../shared/datasets] [--skip-recipe]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from calmline.commands.evaluate import run_eval
from calmline.engine import build_pipeline
from calmline.evaluation import NO_TAG, Evaluation, evaluate
from calmline.labelled import read_labelled, read_scope
from calmline.learned.data import CORPUS, TrainingFile
from calmline.learned.model import save_models
from calmline.learned.training import train_models
from calmline.playbook import DetectionPolicy, OperatingPoint

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ("rules", "default", "learned")
ESCONV_LABELS = ("question", "empathy", "acknowledgment", "solution", "reassurance")


def measure(path: Path, specs: tuple[str, ...]) -> dict[str, Evaluation]:
    """Each configuration loaded, then timed over the whole file (in ``specs`` order: the
    first also fills the tokenizer's word cache the others reuse), as `calmline eval` does."""
    return run_eval([path], list(specs), by="register")


def register_table(title: str, results: dict[str, Evaluation]) -> str:
    """Macro-F1 and the weakest label per register, where the set's lines carry one."""
    names, first = list(results), next(iter(results.values()))
    values = sorted(v for v in first.groups if v != NO_TAG)
    if not values:
        return ""
    lines = [f"#### {title}, by register", "", "| register | utterances | " + " | ".join(
        f"{n} macro F1 (lowest label)" for n in names) + " |", "|---" * (len(names) + 2) + "|"]
    for value in values:
        cells = []
        for name in names:
            group = results[name].groups[value]
            lowest = group.lowest()
            cells.append(f"**{group.macro_f1:.3f}**" + (f" ({lowest[0]} {lowest[1]:.2f})" if lowest else ""))
        lines.append(f"| {value} | {first.groups[value].utterances} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def table(title: str, results: dict[str, Evaluation]) -> str:
    names = list(results)
    labels = sorted({label for r in results.values() for label in r.labels})
    lines = [f"### {title}", "", "| label | support | " + " | ".join(
        f"{n} P / R / F1" for n in names) + " |", "|---" * (len(names) + 2) + "|"]
    first = results[names[0]]
    for label in labels:
        cells = []
        for name in names:
            c = results[name].labels[label]
            cells.append(f"{c.precision:.2f} / {c.recall:.2f} / **{c.f1:.3f}**")
        lines.append(f"| {label} | {first.labels[label].support} | " + " | ".join(cells) + " |")
    lines.append("| macro F1 | | " + " | ".join(f"**{results[n].macro_f1:.3f}**" for n in names)
                 + " |")
    worst = {n: min(results[n].labels.items(), key=lambda kv: kv[1].f1) for n in names}
    lines.append("| lowest label | | " + " | ".join(f"{worst[n][0]} {worst[n][1].f1:.3f}"
                                                    for n in names) + " |")
    lines.append("| utterances/s (turns detected/s), one core | | " + " | ".join(
        f"{results[n].utterances_per_second:,.0f} ({results[n].turns_per_second:,.0f})"
        for n in names) + " |")
    return "\n".join(lines) + "\n"


def tfidf_baseline(train: Path, valid: Path, labels: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """TF-IDF + logistic regression per label, trained on ``train``, F1 on ``valid``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    rows = [json.loads(line) for line in train.open(encoding="utf-8")]
    test = [json.loads(line) for line in valid.open(encoding="utf-8")]
    vectorizer = TfidfVectorizer()
    x_train = vectorizer.fit_transform([r["text"] for r in rows])
    x_test = vectorizer.transform([r["text"] for r in test])
    scores: dict[str, dict[str, float]] = {"default": {}, "balanced": {}}
    for label in labels:
        y_train = [label in r["labels"] for r in rows]
        y_test = [label in r["labels"] for r in test]
        for variant, weight in (("default", None), ("balanced", "balanced")):
            model = LogisticRegression(max_iter=1000, class_weight=weight).fit(x_train, y_train)
            scores[variant][label] = float(f1_score(y_test, model.predict(x_test)))
    return scores


def esconv_recipe(datasets: Path) -> str:
    train, valid = datasets / "esconv" / "esconv_train.jsonl", datasets / "esconv" / "esconv_valid.jsonl"
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        save_models(train_models([TrainingFile(train, "CC BY-NC 4.0 (ESConv), research only")],
                                 overrule_rules=True), Path(folder))
        # The recipe as docs/models.md gives it: models that may overrule the rules, at
        # the F1-best (balanced) operating point.
        pipeline = build_pipeline(Path(folder), policy=DetectionPolicy(
            verdict=OperatingPoint.BALANCED))
        ours = evaluate(pipeline, read_labelled(valid), read_scope(valid))
    seconds = time.perf_counter() - started
    baseline = tfidf_baseline(train, valid, ESCONV_LABELS)
    lines = ["### ESConv recipe (trained on ESConv train, tested on ESConv valid; not shipped)", "",
             "| label | TF-IDF + LR | TF-IDF + LR (balanced) | calmline recipe |", "|---|---|---|---|"]
    for label in ESCONV_LABELS:
        lines.append(f"| {label} | {baseline['default'][label]:.3f} | "
                     f"{baseline['balanced'][label]:.3f} | {ours.labels[label].f1:.3f} |")
    macro = {k: sum(v.values()) / len(v) for k, v in baseline.items()}
    lines.append(f"| macro F1 | {macro['default']:.3f} | {macro['balanced']:.3f} | "
                 f"**{ours.macro_f1:.3f}** |")
    lines.append(f"\nRecipe margin over the stronger baseline: "
                 f"{ours.macro_f1 - max(macro.values()):+.3f} macro-F1 (training and "
                 f"evaluation took {seconds:.0f} s).\n")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--skip-recipe", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):  # one core, as the target states
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    print(f"# Detection figures\n\nmachine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.platform()}\n")
    sets = [("calmline corpus, test split", CORPUS / "test.jsonl"),
            ("ConvAbuse valid (CC BY 4.0)", args.datasets / "convabuse" / "convabuse_valid.jsonl"),
            ("ESConv valid (CC BY-NC 4.0, evaluation only)",
             args.datasets / "esconv" / "esconv_valid.jsonl")]
    for title, path in sets:
        if not path.exists():
            print(f"skipped {title}: {path} not found", file=sys.stderr)
            continue
        results = measure(path, CONFIGS)
        print(table(title, results), flush=True)
        print(register_table(title, results), flush=True)
    if not args.skip_recipe and (args.datasets / "esconv").exists():
        print(esconv_recipe(args.datasets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
