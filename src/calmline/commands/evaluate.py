"""`calmline eval`: the detectors measured on labelled utterances."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from calmline.engine import default_pipeline
from calmline.evaluation import Evaluation, LabelCounts, evaluate
from calmline.labelled import read_labelled, read_scope


def run_eval(files: list[Path]) -> Evaluation:
    """Evaluate the default pipeline on every file, pooling the counts."""
    pipeline = default_pipeline()
    total = Evaluation()
    for path in files:
        part = evaluate(pipeline, read_labelled(path), read_scope(path))
        total.utterances += part.utterances
        total.seconds += part.seconds
        for label, counts in part.labels.items():
            pooled = total.labels.setdefault(label, LabelCounts())
            pooled.true_positive += counts.true_positive
            pooled.false_positive += counts.false_positive
            pooled.false_negative += counts.false_negative
    return total


def evaluation_table(result: Evaluation) -> Table:
    table = Table(title=f"{result.utterances} utterances, "
                        f"{result.utterances_per_second:,.0f} utterances/s")
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, c in sorted(result.labels.items()):
        table.add_row(label, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}",
                      str(c.support))
    table.add_section()
    table.add_row("macro", "", "", f"{result.macro_f1:.3f}", "")
    return table
