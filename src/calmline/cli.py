"""The calmline command line (Typer + Rich)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from calmline.errors import CalmlineError
from calmline.playbook import Playbook, load_playbook

app = typer.Typer(help="calmline: a de-escalation copilot for contact centers.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
playbook_app = typer.Typer(help="Show and validate playbook files.", no_args_is_help=True)
app.add_typer(playbook_app, name="playbook")

out = Console()
err = Console(stderr=True)


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MD = "md"


PlaybookOption = Annotated[
    Path | None, typer.Option("--playbook", "-p", help="Playbook YAML (default: bundled).")
]


def fail(error: CalmlineError, code: int = 1) -> typer.Exit:
    """Print a one-line error and return the exit to raise."""
    err.print(f"[bold red]error[/] {error.message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _playbook(path: Path | None) -> Playbook:
    try:
        return load_playbook(path)
    except CalmlineError as exc:
        raise fail(exc, 2) from None


@app.command()
def analyze(
    files: Annotated[list[Path], typer.Argument(help="Transcript files (any supported format).")],
    output: Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")] = (
        OutputFormat.TEXT),
    playbook: PlaybookOption = None,
    out_dir: Annotated[Path | None, typer.Option("--out", "-o",
                                                 help="Write one report file per call here.")] = None,
    input_format: Annotated[str | None, typer.Option(
        "--input-format", "-i", help="Reader name (see `calmline formats`); default: detect.")] = None,
) -> None:
    """Analyse calls: scorecard, temperature, risks, notes — with the evidence."""
    from calmline.commands.analyze import run_analyze

    try:
        failures = run_analyze(files, output.value, _playbook(playbook), out_dir, input_format,
                               out, err)
    except CalmlineError as exc:
        raise fail(exc) from None
    if failures:
        raise typer.Exit(1)


@playbook_app.command("show")
def playbook_show(
    file: Annotated[Path | None, typer.Argument(help="Playbook file (default: bundled).")] = None,
) -> None:
    """Show a playbook's techniques, when each is expected, and weights."""
    book = _playbook(file)
    table = Table(title=f"{book.name} v{book.version}")
    for column in ("id", "kind", "labels", "expected when", "weight", "nudge"):
        table.add_column(column)
    for t in book.techniques:
        when = ", ".join(c.value for c in t.expected_when) or "optional"
        table.add_row(t.id, t.kind.value, ", ".join(t.labels), when, f"{t.weight:g}",
                      t.nudge.text if t.nudge else "")
    out.print(table)


@playbook_app.command("validate")
def playbook_validate(file: Annotated[Path, typer.Argument(help="Playbook YAML to check.")]) -> None:
    """Check a playbook file and explain every mistake with its place in the file."""
    from calmline.errors import PlaybookError

    try:
        book = load_playbook(file)
    except PlaybookError as exc:
        err.print(f"[bold red]invalid[/] {file}: {len(exc.issues)} problem(s)", highlight=False,
                  soft_wrap=True)
        for issue in exc.issues:
            err.print(f"  - {issue}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    out.print(f"[green]valid[/] {file}: {book.name} v{book.version}, "
              f"{len(book.techniques)} techniques", highlight=False)


@app.command("eval")
def evaluate_command(
    files: Annotated[list[Path], typer.Argument(help="Labelled-data JSONL files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Measure the detectors on labelled utterances: precision, recall, F1 per label."""
    from calmline.commands.evaluate import run_eval

    try:
        result = run_eval(files)
    except CalmlineError as exc:
        raise fail(exc) from None
    if as_json:
        out.print_json(json.dumps(result.to_dict()))
        return
    from calmline.commands.evaluate import evaluation_table

    out.print(evaluation_table(result))


@app.command()
def formats() -> None:
    """List the transcript readers and how each is recognised."""
    from calmline.formats import FORMATS

    table = Table(title="Transcript formats")
    for column in ("name", "extensions", "description"):
        table.add_column(column)
    for info in FORMATS.values():
        table.add_row(info.name, " ".join(info.extensions), info.description)
    out.print(table)


@app.command()
def labels() -> None:
    """List every label calmline's detectors can emit."""
    from calmline.labels import TAXONOMY

    table = Table(title="Labels")
    for column in ("label", "role", "kind", "public", "meaning"):
        table.add_column(column)
    for info in TAXONOMY:
        table.add_row(info.name, info.role.value, info.polarity.value,
                      "yes" if info.public else "", info.description)
    out.print(table)


def main() -> None:
    """Entry point: run the app, turning calmline errors into one-line messages."""
    try:
        app()
    except CalmlineError as exc:  # pragma: no cover - commands handle their own
        err.print(f"error {exc.message}")
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


__all__ = ["app", "main"]
