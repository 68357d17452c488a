"""`calmline train`: retrain the learned detectors on a contact center's own labels."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from calmline.errors import CalmlineError, ErrorCode, UsageError
from calmline.learned.data import TrainingFile, shipped_data
from calmline.learned.model import ModelSet, save_models
from calmline.learned.training import train_models


def run_train(files: list[Path], out_dir: Path, include_shipped: bool, c: float,
              console: Console, overrule_rules: bool = False) -> ModelSet:
    """Train on ``files`` (and the shipped data if asked) and write ``out_dir``."""
    sources = [TrainingFile(path) for path in files]
    if include_shipped:
        sources = shipped_data() + sources
    if not sources:
        raise UsageError("give labelled files to train on, or --include-shipped")
    _check_out_dir(out_dir)
    total = sum(_count_lines(f.path) for f in sources)
    with Progress(TextColumn("featurising"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as progress:
        task = progress.add_task("featurising", total=total)
        models = train_models(sources, c=c, progress=lambda: progress.advance(task),
                              overrule_rules=overrule_rules)
    save_models(models, out_dir)
    return models


def _check_out_dir(out_dir: Path) -> None:
    """Never write over something that is not a model directory."""
    if out_dir.exists() and (not out_dir.is_dir() or (
            any(out_dir.iterdir()) and not (out_dir / "model.json").exists())):
        raise UsageError("the output exists and is not a calmline model directory",
                         source=str(out_dir), hint="choose a new or empty directory")


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError as exc:
        raise CalmlineError(f"cannot open: {exc.strerror or exc}", source=str(path),
                            code=ErrorCode.E001_UNREADABLE) from exc


def training_table(models: ModelSet) -> Table:
    """Per label: examples, positives, out-of-fold F1 and the operating points."""
    table = Table(title="Learned detectors")
    for column in ("label", "examples", "positives", "F1 (out of fold)", "threshold"):
        table.add_column(column, justify="left" if column == "label" else "right")
    labels: dict[str, dict[str, float]] = models.card.get("labels", {})
    for role_model in models.roles.values():
        for label in role_model.labels:
            info = labels.get(label, {})
            f1 = info.get("out_of_fold_f1")
            table.add_row(label, str(info.get("examples", "")), str(info.get("positives", "")),
                          "" if f1 is None else f"{f1:.3f}", f"{role_model.threshold(label):.3f}")
    return table
