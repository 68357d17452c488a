"""The debrief after a practice call: calmline's scorecard of the trainee's turns, the
temper curve with what moved it at each turn, the moves that would have helped, and
how the call ended."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calmline.labels import LABELS
from calmline.playbook import Kind, Playbook
from calmline.report import Report, to_plain
from calmline.simulator.practice import PracticeOutcome, PracticeSession, TemperPoint
from calmline.simulator.temper import HARMFUL_HEAT

MAX_HELPFUL_MOVES = 6


@dataclass(frozen=True, slots=True)
class Debrief:
    """Everything a trainee (and their trainer) learns from one practice call."""

    scenario_id: str
    title: str
    seed: int
    trainee: str | None
    outcome: PracticeOutcome
    manager_demanded: bool
    start_temper: float
    end_temper: float
    score: int
    curve: tuple[TemperPoint, ...]
    helpful_moves: tuple[str, ...]
    transcript: tuple[tuple[str, str], ...]
    report: Report

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; the full calmline report under ``report``."""
        plain = {name: to_plain(getattr(self, name)) for name in self.__dataclass_fields__
                 if name != "report"}
        plain["report"] = self.report.to_dict()
        return plain


def debrief(session: PracticeSession) -> Debrief:
    """The debrief of ``session`` (finished or not)."""
    report = session.report()
    return Debrief(
        scenario_id=session.scenario.id, title=session.scenario.title, seed=session.seed,
        trainee=session.trainee, outcome=session.outcome, manager_demanded=session.manager_demanded,
        start_temper=session.scenario.temper.start, end_temper=session.temper,
        score=report.scorecard.overall, curve=tuple(session.curve),
        helpful_moves=helpful_moves(session, report),
        transcript=tuple((t.role.value, t.text) for t in session.turns), report=report,
    )


def helpful_moves(session: PracticeSession, report: Report) -> tuple[str, ...]:
    """Advice, most telling first: what to do instead of each harmful move made, what
    this customer needed and never heard, then the scorecard's coaching tips."""
    advice = [*_instead_of_harm(session, session.playbook), *_unheard_needs(session),
              *report.scorecard.coaching_tips]
    return tuple(dict.fromkeys(" ".join(tip.split()) for tip in advice))[:MAX_HELPFUL_MOVES]


def _instead_of_harm(session: PracticeSession, playbook: Playbook) -> list[str]:
    harmful = {label for point in session.curve for label in point.labels if label in HARMFUL_HEAT}
    tips = []
    for technique in playbook.techniques:
        if technique.kind is Kind.HARMFUL and harmful.intersection(technique.labels):
            tips.append(technique.coaching_tip)
    return tips


def _unheard_needs(session: PracticeSession) -> list[str]:
    said = {label for point in session.curve for label in point.labels}
    scenario = session.scenario
    needs = [label for label in (*scenario.must_hear, *scenario.calms) if label not in said]
    if scenario.abusive and not session.boundary_set:
        needs.insert(0, "boundary")
    name = scenario.persona.name
    return [f"{name} needed this and never got it — {label.replace('_', ' ')}: "
            f"{LABELS[label].description}" for label in dict.fromkeys(needs)]
