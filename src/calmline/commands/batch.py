"""`calmline batch`: the archive scorer behind a Rich progress bar (rate and ETA)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from calmline.batch.runner import BatchOptions, BatchSummary, run_batch


def run_batch_command(options: BatchOptions, err: Console, show_progress: bool) -> BatchSummary:
    """Run the batch with a progress bar on ``err`` and print what it did."""
    columns = (TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rate]}"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=err, disable=not show_progress, transient=False) as progress:
        task = progress.add_task("scoring", total=None, rate="")

        def advance(count: int) -> None:
            progress.advance(task, count)
            speed = progress.tasks[task].speed
            progress.update(task, rate=f"{speed:,.1f} calls/s" if speed else "")

        summary = run_batch(options, on_total=lambda n: progress.update(task, total=n),
                            on_done=advance)
    err.print(_describe(summary, options), highlight=False, soft_wrap=True)
    return summary


def _describe(summary: BatchSummary, options: BatchOptions) -> str:
    text = (f"{summary.scored:,} transcripts scored, {summary.skipped:,} already scored with this "
            f"playbook, {summary.failed:,} failed; {summary.rows_out:,} calls in {options.out}")
    if summary.failed:
        text += f" — errors in {options.errors_path}"
    return text
