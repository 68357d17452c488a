"""Reports as Markdown, and the temperature sparkline shared with the terminal view."""

from __future__ import annotations

from collections.abc import Sequence

from calmline.report import Report
from calmline.scorecard import Evidence, Verdict

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
VERDICT_MARK = {Verdict.MET: "✅ met", Verdict.MISSED: "❌ missed",
                Verdict.NOT_APPLICABLE: "– n/a"}


def sparkline(values: Sequence[float], top: float = 100.0) -> str:
    """One block character per value on a 0..top scale."""
    last = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[min(last, max(0, round(v / top * last)))] for v in values)


def report_to_markdown(report: Report) -> str:
    """A readable Markdown report: outcome, scorecard, risks, notes, transcript."""
    parts = [_header(report), _scorecard(report), _risks(report), _notes(report),
             _transcript(report)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _header(report: Report) -> str:
    o = report.outcome
    calmer = {True: "yes", False: "no", None: "n/a (never heated)"}[o.deescalated]
    return "\n".join([
        f"# Call {report.conversation_id}",
        "",
        f"- **Overall score:** {report.scorecard.overall}/100",
        f"- **Outcome:** {o.resolution.value}; de-escalated: {calmer}",
        f"- **Temperature:** start {o.start:.0f}, peak {o.peak:.0f} (turn {o.peak_turn}), "
        f"end {o.end:.0f} `{sparkline(report.temperatures)}`",
        f"- **Playbook:** {report.playbook.name} v{report.playbook.version} "
        f"({report.playbook.fingerprint})",
    ])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _scorecard(report: Report) -> str:
    rows = ["## Scorecard", "", "| Criterion | Verdict | Turn | Evidence | Confidence |",
            "|---|---|---|---|---|"]
    for c in report.scorecard.criteria:
        quote = f"“{c.evidence[0].quote}”" if c.evidence else (c.expected_because or "")
        turn = str(c.evidence[0].turn_index) if c.evidence else ""
        rows.append(f"| {c.name} | {VERDICT_MARK[c.verdict]} | {turn} | {_cell(quote)} | "
                    f"{confidence_text(c.evidence[0]) if c.evidence else ''} |")
    if report.scorecard.strengths:
        rows += ["", "**Strengths**", "", *[f"- {_cell(s)}" for s in report.scorecard.strengths]]
    if report.scorecard.coaching_tips:
        rows += ["", "**Coaching tips**", "",
                 *[f"- {_cell(t)}" for t in report.scorecard.coaching_tips]]
    return "\n".join(rows)


def confidence_text(evidence: Evidence) -> str:
    """The detector's confidence behind a verdict, and which detector it was."""
    return f"{evidence.score:.2f} ({evidence.detector})"


def _risks(report: Report) -> str:
    if not report.risks:
        return "## Risks\n\nNone."
    lines = ["## Risks", ""]
    for r in report.risks:
        where = f" (turn {r.turn_index}: “{r.quote}”)" if r.quote else ""
        lines.append(f"- **{r.severity.value}** {r.description}{where}")
    return "\n".join(lines)


def _notes(report: Report) -> str:
    n = report.notes
    lines = ["## Call notes", "", f"- **Issue:** {n.issue.text if n.issue else 'not stated'}"]
    lines += [f"- **Complaint** (turn {q.turn_index}): {q.text}" for q in n.complaints]
    lines += [f"- **Step taken** (turn {q.turn_index}): {q.text}" for q in n.steps_taken]
    lines.append(f"- **Outcome:** {n.outcome.value}")
    for c in n.commitments:
        due = f" — due: {c.due_phrase}" if c.due_phrase else " — no time given"
        lines.append(f"- **Commitment** ({c.owner.value}, turn {c.turn_index}): {c.what}{due}")
    return "\n".join(lines)


def _transcript(report: Report) -> str:
    lines = ["## Transcript", ""]
    for t in report.turns:
        labels = ", ".join(sorted({s.label for s in t.signals}))
        tag = f" _[{labels}]_" if labels else ""
        who = t.speaker or t.role.value
        lines.append(f"{t.index}. **{who}** ({t.temperature:.0f}°): {t.text}{tag}")
    return "\n".join(lines)
