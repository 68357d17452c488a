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
from calmline.learned.training import DEFAULT_C
from calmline.playbook import Playbook, load_playbook

app = typer.Typer(help="calmline: a de-escalation copilot for contact centers.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
playbook_app = typer.Typer(help="Show and validate playbook files.", no_args_is_help=True)
app.add_typer(playbook_app, name="playbook")
users_app = typer.Typer(help="Service users and their API tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")
# Follow-up tasks and topics: the sub-apps import only Typer at start-up; their work is lazy.
from calmline.commands.tasks import tasks_app, topics_app  # noqa: E402

app.add_typer(tasks_app, name="tasks")
app.add_typer(topics_app, name="topics")

out = Console()
err = Console(stderr=True)


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MD = "md"


PlaybookOption = Annotated[
    Path | None, typer.Option("--playbook", "-p", help="Playbook YAML (default: bundled).")
]

ModelsOption = Annotated[
    Path | None, typer.Option("--models", help="Learned detectors from `calmline train` "
                                               "(default: the shipped ones).")
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
    models: ModelsOption = None,
) -> None:
    """Analyse calls: scorecard, temperature, risks, notes — with the evidence."""
    from calmline.commands.analyze import run_analyze
    from calmline.engine import build_pipeline

    try:
        book = _playbook(playbook)
        pipeline = build_pipeline(models, policy=book.detection) if models else None
        failures = run_analyze(files, output.value, book, out_dir, input_format, out, err,
                               pipeline)
    except CalmlineError as exc:
        raise fail(exc) from None
    if failures:
        raise typer.Exit(1)


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(
        help="Folders, globs, JSONL files or Parquet tables of transcripts (any supported format).")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="Result table (Parquet), one row per call.")],
    reports: Annotated[Path | None, typer.Option("--reports", help="Also write every full report "
                                                                    "here (JSONL).")] = None,
    errors: Annotated[Path | None, typer.Option("--errors", help="Bad inputs, one JSON line each "
                                                                  "(default: OUT.errors.jsonl).")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=0,
                                         help="Processes (default 0: every core).")] = 0,
    playbook: PlaybookOption = None,
    commit_every: Annotated[int, typer.Option("--commit-every", min=1, help="Calls per committed "
                                              "part: what a killed run may have to redo.")] = 1000,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
) -> None:
    """Score a whole archive on every core into Parquet; re-running resumes (docs/batch.md)."""
    import os

    from calmline.batch.runner import BatchOptions
    from calmline.commands.batch import run_batch_command

    options = BatchOptions(tuple(inputs), out_file, _playbook(playbook), workers or os.cpu_count() or 1,
                           reports, errors, commit_every)
    try:
        summary = run_batch_command(options, err, progress)
    except CalmlineError as exc:
        raise fail(exc) from None
    if summary.failed:
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
    configs: Annotated[list[str] | None, typer.Option(
        "--config", "-c", help="rules, default (rules + shipped models), learned (shipped models "
                               "on every label) or a model directory; repeat to compare.")] = None,
    errors_out: Annotated[Path | None, typer.Option(
        "--errors", help="Write the worst errors per label (Markdown) here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    by: Annotated[str | None, typer.Option(
        "--by", help="Also show macro-F1 per value of this field of the lines (e.g. register, "
                     "domain).")] = None,
) -> None:
    """Measure detector configurations on labelled utterances: precision, recall, F1."""
    from calmline.commands.evaluate import errors_markdown, evaluation_table, groups_table, run_eval
    from calmline.evaluation import NO_TAG

    try:
        results = run_eval(files, configs or ["rules", "default"], by)
    except CalmlineError as exc:
        raise fail(exc) from None
    if errors_out is not None:
        errors_out.write_text("\n".join(errors_markdown(name, r) for name, r in results.items()),
                              encoding="utf-8")
    if by is not None and set(next(iter(results.values())).groups) <= {NO_TAG}:
        err.print(f"[yellow]no line has a text field {by!r}: every line is in {NO_TAG}[/]")
    if as_json:
        out.print_json(json.dumps({name: r.to_dict() for name, r in results.items()}))
        return
    out.print(evaluation_table(results))
    if by is not None:
        out.print(groups_table(results, by))


@app.command()
def train(
    files: Annotated[list[Path] | None, typer.Argument(help="Labelled-data JSONL files.")] = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Model directory to write.")] = Path(
        "calmline-models"),
    include_shipped: Annotated[bool, typer.Option(
        "--include-shipped", help="Also learn from the data calmline's models ship with.")] = False,
    c: Annotated[float, typer.Option("--c", min=0.001, max=1000.0,
                                     help="Inverse regularisation strength.")] = DEFAULT_C,
    overrule_rules: Annotated[bool, typer.Option(
        "--overrule-rules", help="Let the models drop rule findings they disagree with (for "
                                 "labels whose conventions differ from calmline's).")] = False,
) -> None:
    """Retrain the learned detectors on your own labelled utterances."""
    from calmline.commands.train import run_train, training_table

    try:
        models = run_train(list(files or []), out_dir, include_shipped, c, err, overrule_rules)
    except CalmlineError as exc:
        raise fail(exc) from None
    out.print(training_table(models))
    out.print(f"wrote {out_dir} — use it with `calmline analyze --models {out_dir}`")


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


@app.command()
def practice(
    args: Annotated[list[str] | None, typer.Argument(
        metavar="[SCENARIO | list | report | validate FILE]",
        help="A scenario id or file to practise; `list` the curriculum; `report` for the trainer's "
             "view; `validate FILE` to check a scenario file.")] = None,
    seed: Annotated[int | None, typer.Option(
        help="Same seed, same customer lines (default: random).")] = None,
    trainee: Annotated[str | None, typer.Option(help="Whose session this is (default: $USER).")] = None,
    directory: Annotated[Path | None, typer.Option(
        "--dir", help="Where sessions are stored (default: $CALMLINE_PRACTICE_DIR or "
                      "~/.calmline/practice).")] = None,
    hide_gauge: Annotated[bool, typer.Option(
        "--hide-gauge", help="Start with the temper gauge hidden.")] = False,
    save: Annotated[bool, typer.Option("--save/--no-save", help="Store the session.")] = True,
    llm_url: Annotated[str | None, typer.Option(
        help="An OpenAI-compatible chat-completions URL to word the customer's lines "
             "(default: offline).")] = None,
    llm_model: Annotated[str, typer.Option(help="Model name sent to --llm-url.")] = "default",
) -> None:
    """Practise a difficult call against a simulated customer, then read the debrief (docs/practice.md)."""
    from calmline.commands.practice import run_practice_command

    try:
        code = run_practice_command(list(args or []), seed, trainee, directory, not hide_gauge, save,
                                    llm_url, llm_model, out)
    except CalmlineError as exc:
        raise fail(exc) from None
    if code:
        raise typer.Exit(code)


class UserRoleOption(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


DatabaseOption = Annotated[str | None, typer.Option(
    "--database-url", help="Database URL (default: CALMLINE_DATABASE_URL, else sqlite:///calmline.db).")]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    database_url: DatabaseOption = None,
    redaction: Annotated[bool | None, typer.Option(
        "--redaction/--no-redaction", help="Redact PII before storing (default: on).")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Run the calmline service: REST API, live-assist WebSocket, live board (docs/service.md)."""
    from calmline.commands.serve import run_serve

    try:
        run_serve(host, port, log_level, {"database_url": database_url, "redaction": redaction})
    except CalmlineError as exc:
        raise fail(exc) from None


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[UserRoleOption, typer.Option(help="What the user may see and do.")] = (
        UserRoleOption.AGENT),
    team: Annotated[str | None, typer.Option(help="Team (a supervisor sees their team's calls).")] = None,
    agent_id: Annotated[str | None, typer.Option(
        help="The agent id transcripts carry for this agent (default: the username).")] = None,
    password: Annotated[bool, typer.Option("--password", help="Prompt for a password (web login).")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Create a user and print their first API token (shown once)."""
    from calmline.commands.users import run_create
    from calmline.storage.accounts import UserRole

    secret = typer.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    try:
        run_create(database_url, username, UserRole(role.value), team, agent_id, secret, out)
    except CalmlineError as exc:
        raise fail(exc) from None


@users_app.command("list")
def users_list(database_url: DatabaseOption = None) -> None:
    """List the service's users."""
    from calmline.commands.users import run_list

    run_list(database_url, out)


@users_app.command("token")
def users_token(
    username: Annotated[str, typer.Argument(help="The user to issue a token for.")],
    label: Annotated[str, typer.Option(help="A name for the token.")] = "cli",
    database_url: DatabaseOption = None,
) -> None:
    """Issue a new API token for a user (shown once)."""
    from calmline.commands.users import run_token

    if not run_token(database_url, username, label, out):
        err.print(f"[bold red]error[/] no user named {username!r}", highlight=False)
        raise typer.Exit(1)


@users_app.command("tokens")
def users_tokens(
    username: Annotated[str, typer.Argument(help="Whose tokens to list.")],
    database_url: DatabaseOption = None,
) -> None:
    """List a user's tokens (first characters, label, expiry, revoked or live)."""
    from calmline.commands.users import run_tokens

    try:
        run_tokens(database_url, username, out)
    except CalmlineError as exc:
        raise fail(exc) from None


@users_app.command("revoke")
def users_revoke(
    username: Annotated[str, typer.Argument(help="Whose tokens to revoke.")],
    token: Annotated[str | None, typer.Option(
        "--token", help="Only the token starting with these characters (as `users tokens` shows "
                        "them); all the user's tokens when left out.")] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Revoke a user's API and login tokens: they stop working at once."""
    from calmline.commands.users import run_revoke

    try:
        run_revoke(database_url, username, token.rstrip("…") if token else None, out)
    except CalmlineError as exc:
        raise fail(exc) from None


@users_app.command("deactivate")
def users_deactivate(
    username: Annotated[str, typer.Argument(help="The user to keep out.")],
    database_url: DatabaseOption = None,
) -> None:
    """Keep a user out (tokens and password stop working); their calls and history stay."""
    from calmline.commands.users import run_set_active

    try:
        run_set_active(database_url, username, False, out)
    except CalmlineError as exc:
        raise fail(exc) from None


@users_app.command("activate")
def users_activate(
    username: Annotated[str, typer.Argument(help="The user to let back in.")],
    database_url: DatabaseOption = None,
) -> None:
    """Let a deactivated user back in."""
    from calmline.commands.users import run_set_active

    try:
        run_set_active(database_url, username, True, out)
    except CalmlineError as exc:
        raise fail(exc) from None


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
