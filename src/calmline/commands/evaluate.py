"""`calmline eval`: detector configurations measured side by side on labelled data,
with the worst errors per label so the next improvement is obvious."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from calmline.detectors.pipeline import DetectorPipeline
from calmline.engine import build_pipeline
from calmline.evaluation import Evaluation, evaluate
from calmline.labelled import read_labelled, read_scope
from calmline.playbook import DetectionPolicy
from calmline.text import clip

RULES, DEFAULT, LEARNED = "rules", "default", "learned"


@dataclass(frozen=True, slots=True)
class Configuration:
    """A named detector set: ``rules``; ``default`` (rules + shipped models, which
    add what the rules missed except the confirm-only labels); ``learned`` (the
    shipped models may add every label); or a model directory from ``calmline train``."""

    name: str
    pipeline: DetectorPipeline


def configuration(spec: str) -> Configuration:
    if spec == RULES:
        return Configuration(RULES, build_pipeline(rules_only=True))
    if spec == DEFAULT:
        return Configuration(DEFAULT, build_pipeline())
    if spec == LEARNED:
        from calmline.learned import LearnedStage, shipped_models

        models = shipped_models()
        return Configuration(LEARNED, DetectorPipeline.from_names(
            learned=LearnedStage(models, DetectionPolicy()) if models else None))
    return Configuration(spec, build_pipeline(Path(spec)))


def run_eval(files: list[Path], specs: list[str], by: str | None = None) -> dict[str, Evaluation]:
    """Evaluate each configuration on every file, pooling the counts per configuration
    (and per value of the tag ``by``, if given). Each is loaded before its clock starts;
    its loading time is kept beside it."""
    results: dict[str, Evaluation] = {}
    for spec in specs:
        started = time.perf_counter()
        config = configuration(spec)
        config.pipeline.load()  # the one-off start-up is timed apart from the throughput
        total = Evaluation(load_seconds=time.perf_counter() - started)
        for path in files:
            total.merge(evaluate(config.pipeline, read_labelled(path), read_scope(path), by))
        results[config.name] = total
    return results


def evaluation_table(results: dict[str, Evaluation]) -> Table:
    """Precision / recall / F1 per label, one column group per configuration."""
    first = next(iter(results.values()))
    table = Table(title=f"{first.utterances} utterances")
    table.add_column("label")
    table.add_column("support", justify="right")
    for name in results:
        table.add_column(f"{name}\nP / R / F1", justify="right")
    labels = sorted({label for r in results.values() for label in r.labels})
    for label in labels:
        cells = [_cell(r, label) for r in results.values()]
        table.add_row(label, str(first.labels[label].support if label in first.labels else ""),
                      *cells)
    table.add_section()
    table.add_row("macro F1", "", *[f"{r.macro_f1:.3f}" for r in results.values()])
    table.add_row("utterances/s", "", *[f"{r.utterances_per_second:,.0f}" for r in results.values()])
    table.add_row("turns detected/s", "", *[f"{r.turns_per_second:,.0f}" for r in results.values()])
    table.add_row("loading (s)", "", *[f"{r.load_seconds:.1f}" for r in results.values()])
    return table


def groups_table(results: dict[str, Evaluation], by: str) -> Table:
    """Macro-F1 and the weakest label per value of the tag ``by``, per configuration:
    where detection holds up and where it does not (a register, a domain, a team)."""
    first = next(iter(results.values()))
    table = Table(title=f"by {by}")
    table.add_column(by)
    table.add_column("utterances", justify="right")
    for name in results:
        table.add_column(f"{name}\nmacro F1 (lowest label)", justify="right")
    for value in sorted(first.groups):
        cells = [_group_cell(r.groups.get(value)) for r in results.values()]
        table.add_row(value, str(first.groups[value].utterances), *cells)
    return table


def _group_cell(group: Evaluation | None) -> str:
    lowest = group.lowest() if group else None
    if group is None or lowest is None:
        return "—"
    return f"[bold]{group.macro_f1:.3f}[/] ({lowest[0]} {lowest[1]:.2f})"


def _cell(result: Evaluation, label: str) -> str:
    c = result.labels.get(label)
    return f"{c.precision:.2f} / {c.recall:.2f} / [bold]{c.f1:.3f}[/]" if c else "—"


def errors_markdown(name: str, result: Evaluation, limit: int = 5) -> str:
    """The confusion summary of one configuration: per label, how it fails, what it
    is confused with, and its worst false positives and misses."""
    lines = [f"# Worst errors — {name}", ""]
    for label, counts in sorted(result.labels.items(), key=lambda kv: kv[1].f1):
        lines += [f"## {label} — F1 {counts.f1:.3f} (P {counts.precision:.2f}, "
                  f"R {counts.recall:.2f}, support {counts.support})", ""]
        lines += _confusions(result, label)
        for kind, title in (("found", "False positives (most confident)"),
                            ("missed", "Misses (least confident)")):
            worst = result.worst(label, kind, limit)
            if worst:
                lines += [f"**{title}**", ""]
                lines += [f"- `{m.score:.2f}` {clip(m.text, 160)!r}"
                          + (f" — after {clip(m.previous, 80)!r}" if m.previous else "")
                          + f" — gold: {', '.join(sorted(m.gold)) or 'none'}" for m in worst]
                lines.append("")
    return "\n".join(lines) + "\n"


def _confusions(result: Evaluation, label: str) -> list[str]:
    """Which gold labels the false positives carried, and what the misses got instead."""
    from collections import Counter

    mistakes = result.mistakes.get(label, [])
    instead = Counter(g for m in mistakes if m.kind == "found" for g in m.gold)
    got = Counter(f for m in mistakes if m.kind == "missed" for f in m.found)
    lines = []
    if instead:
        lines.append("False positives were really: " + _top(instead))
    if got:
        lines.append("Misses were detected as: " + _top(got))
    return [*lines, ""] if lines else []


def _top(counter: object) -> str:
    from collections import Counter

    assert isinstance(counter, Counter)
    return ", ".join(f"{label} ({n})" for label, n in counter.most_common(4))
