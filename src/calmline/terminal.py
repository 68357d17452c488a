"""The terminal view of a report (Rich): outcome, temperature sparkline, scorecard,
risks, notes and the transcript with its evidence highlighted."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from calmline.labels import HARMFUL_LABELS, LABELS, Polarity
from calmline.render import confidence_text, sparkline
from calmline.report import Report, TurnAnalysis
from calmline.scorecard import Verdict

VERDICT_STYLE = {Verdict.MET: ("met", "green"), Verdict.MISSED: ("missed", "bold red"),
                 Verdict.NOT_APPLICABLE: ("n/a", "dim")}
SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}


def label_style(label: str) -> str:
    """Colour by meaning: good agent moves green, harmful red, customer states amber."""
    if label in HARMFUL_LABELS:
        return "bold white on red"
    info = LABELS.get(label)
    if info is not None and info.polarity is Polarity.STATE:
        return "black on yellow"
    return "black on green"


def print_report(console: Console, report: Report) -> None:
    console.print(Panel(Group(*_summary(report)), title=f"call {report.conversation_id}",
                        expand=False))
    console.print(_scorecard(report))
    console.print(_risks_and_notes(report))
    console.print(_transcript(report))


def _summary(report: Report) -> list[RenderableType]:
    o = report.outcome
    calmer = {True: "[green]yes[/]", False: "[red]no[/]", None: "[dim]never heated[/]"}
    return [
        Text.from_markup(f"[bold]Score[/] {report.scorecard.overall}/100   "
                         f"[bold]Outcome[/] {o.resolution.value}   "
                         f"[bold]De-escalated[/] {calmer[o.deescalated]}"),
        Text.from_markup(f"[bold]Temperature[/] {o.start:.0f} → peak {o.peak:.0f} "
                         f"(turn {o.peak_turn}) → {o.end:.0f}  "
                         f"[red]{sparkline(report.temperatures)}[/]"),
        Text(f"Playbook: {report.playbook.name} v{report.playbook.version}", style="dim"),
    ]


def _scorecard(report: Report) -> Table:
    table = Table(title="Scorecard", show_lines=False, expand=False)
    for column in ("criterion", "verdict", "turn", "evidence / why expected", "confidence"):
        table.add_column(column)
    for c in report.scorecard.criteria:
        word, style = VERDICT_STYLE[c.verdict]
        quote = f"“{c.evidence[0].quote}”" if c.evidence else (c.expected_because or "")
        turn = str(c.evidence[0].turn_index) if c.evidence else ""
        sure = Text(confidence_text(c.evidence[0]), style="dim") if c.evidence else Text("")
        table.add_row(c.name, Text(word, style=style), turn, quote, sure)
    return table


def _risks_and_notes(report: Report) -> Group:
    lines: list[RenderableType] = [Text("Risks", style="bold")]
    lines += [Text.from_markup(f"  [{SEVERITY_STYLE[r.severity.value]}]{r.severity.value}[/] "
                               f"{r.description}" + (f" (turn {r.turn_index})" if r.quote else ""))
              for r in report.risks] or [Text("  none", style="dim")]
    notes = report.notes
    lines.append(Text("Notes", style="bold"))
    lines.append(Text(f"  issue: {notes.issue.text if notes.issue else 'not stated'}"))
    lines.append(Text(f"  outcome: {notes.outcome.value}"))
    lines += [Text(f"  commitment ({c.owner.value}): {c.what}"
                   + (f" [due: {c.due_phrase}]" if c.due_phrase else "")) for c in notes.commitments]
    if report.scorecard.coaching_tips:
        lines.append(Text("Coaching", style="bold"))
        lines += [Text(f"  • {tip}") for tip in report.scorecard.coaching_tips[:4]]
    return Group(*lines)


def _transcript(report: Report) -> Table:
    table = Table(title="Transcript", show_header=True, expand=False)
    for column, justify in (("#", "right"), ("who", "left"), ("°", "right"), ("text", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for turn in report.turns:
        table.add_row(str(turn.index), turn.speaker or turn.role.value,
                      f"{turn.temperature:.0f}", highlight_turn(turn))
    return table


def highlight_turn(turn: TurnAnalysis) -> Text:
    """The turn's text with each signal's evidence span styled by its meaning."""
    text = Text(turn.text)
    for signal in turn.signals:
        text.stylize(label_style(signal.label), signal.start, signal.end)
    labels = sorted({s.label for s in turn.signals})
    if labels:
        text.append("  [" + ", ".join(labels) + "]", style="dim italic")
    return text
