"""A practice call: the trainee types, calmline's detectors read the turn, the simulated
customer's temper moves, and the customer answers — until they accept an outcome, get
a manager, or hang up."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from calmline.conversation import Conversation, Role, Turn
from calmline.detectors.pipeline import DetectorPipeline
from calmline.engine import build_report, default_playbook, pipeline_for, track_turn
from calmline.errors import UsageError
from calmline.playbook import Playbook
from calmline.report import Report
from calmline.signals import counts_for_verdict
from calmline.simulator.model import Outcome, Refusal, Scenario
from calmline.simulator.replies import Intent, LineWriter, ReplyRequest, ReplyWriter, generic_lines
from calmline.simulator.temper import (
    GOOD_COOLING,
    HARMFUL_HEAT,
    TemperMove,
    apply_moves,
    temper_moves,
)
from calmline.tracker import CallTracker

MAX_TRAINEE_CHARS = 2_000
# A simulated clock gives turns offsets, so calmline's interruption detector can tell
# when the trainee spoke while a venting customer was still talking.
WORD_MS = 380
PAUSE_MS = 600
STILL_TALKING_MS = 6_000
QUESTION_LABELS = frozenset({"question", "open_question"})
OFFER_LABELS = frozenset({"solution", "options", "extra_mile", "callback_offer"})
REFUSAL_HEAT = 6.0


class PracticeOutcome(StrEnum):
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    HUNG_UP = "hung_up"
    ABANDONED = "abandoned"  # the trainee quit


@dataclass(frozen=True, slots=True)
class CustomerLine:
    """What the customer said, why, and how they feel now."""

    text: str
    intent: Intent
    temper: float
    outcome: PracticeOutcome


@dataclass(frozen=True, slots=True)
class TemperPoint:
    """One trainee turn: what calmline detected in it and how it moved the temper."""

    turn_index: int
    text: str
    labels: tuple[str, ...]
    before: float
    after: float
    moves: tuple[TemperMove, ...]


class PracticeSession:
    """One practice call against a scenario. Same scenario, seed and trainee turns give
    the same conversation."""

    def __init__(self, scenario: Scenario, *, seed: int = 0, trainee: str | None = None,
                 writer: ReplyWriter | None = None, playbook: Playbook | None = None,
                 pipeline: DetectorPipeline | None = None) -> None:
        self.scenario = scenario
        self.seed = seed
        self.trainee = trainee
        self.playbook = playbook or default_playbook()
        self._pipeline = pipeline or pipeline_for(self.playbook)
        self._writer = writer or LineWriter()
        self._rng = random.Random(f"{scenario.id}:{seed}")
        self._setup_state()
        self.opening = self._customer_says(Intent.OPENING, None)
        _warm(self._pipeline)

    def _setup_state(self) -> None:
        self._tracker = CallTracker(self.playbook)
        self._conversation = Conversation(id=f"practice-{self.scenario.id}-{self.seed}", turns=(),
                                          agent_id=self.trainee,
                                          customer_name=self.scenario.persona.name)
        self.temper = self.scenario.temper.start
        self.outcome = PracticeOutcome.IN_PROGRESS
        self.manager_demanded = self.scenario.demands_manager
        self.boundary_set = False
        self.curve: list[TemperPoint] = []
        self.lines: list[CustomerLine] = []
        self._seen: Counter[str] = Counter()
        self._stalled = 0
        self._vent_left = self.scenario.vent_turns
        self._clock_ms = 0
        self._agent_begin_ms = 0
        self._used: set[str] = set()
        self._hinted = 0
        self.backend_failures: list[str] = []

    @property
    def finished(self) -> bool:
        return self.outcome is not PracticeOutcome.IN_PROGRESS

    @property
    def turns(self) -> tuple[Turn, ...]:
        return self._conversation.turns

    @property
    def conversation(self) -> Conversation:
        """The call so far, as calmline's engine reads it."""
        return self._conversation

    def reply(self, text: str) -> CustomerLine:
        """The trainee says ``text``; return the customer's answer."""
        text = self._checked(text)
        labels = self._trainee_says(text)
        before = self.temper
        moves = self._moves(labels, text)
        self.temper = apply_moves(self.temper, moves)
        self._remember(labels)
        self.curve.append(TemperPoint(self.turns[-1].index, text, tuple(sorted(labels)), before,
                                      self.temper, moves))
        intent, refusal = self._decide(labels, text)
        return self._customer_says(intent, self._reaction(intent, moves), refusal)

    def quit(self) -> None:
        """The trainee leaves the call before it ended."""
        if not self.finished:
            self.outcome = PracticeOutcome.ABANDONED

    def report(self) -> Report:
        """calmline's report of the call so far: the same engine as ``analyze``."""
        return build_report(self._conversation, self._tracker)

    def new_nudges(self) -> list[str]:
        """Live-assist nudges not shown yet, as the trainee would see them on a real call."""
        fresh = self._tracker.nudges[self._hinted:]
        self._hinted = len(self._tracker.nudges)
        return [n.text + (f" — try: “{n.phrasing}”" if n.phrasing else "") for n in fresh]

    def _checked(self, text: str) -> str:
        if self.finished:
            raise UsageError(f"this practice call has ended ({self.outcome.value}); start a new one")
        text = text.strip()
        if not text:
            raise UsageError("say something: the trainee's turn is empty")
        if len(text) > MAX_TRAINEE_CHARS:
            raise UsageError(f"the trainee's turn is {len(text)} characters; keep it under "
                             f"{MAX_TRAINEE_CHARS}")
        return text

    def _trainee_says(self, text: str) -> frozenset[str]:
        begin = self._agent_begin_ms
        turn = Turn(len(self.turns), Role.AGENT, text, speaker=self.trainee, begin_ms=begin,
                    end_ms=begin + _duration(text))
        self._conversation = self._conversation.with_turns((*self.turns, turn))
        track_turn(self._tracker, self._pipeline, turn, self._conversation)
        self._clock_ms = max(self._clock_ms, turn.end_ms or begin)
        return frozenset(s.label for s in self._tracker.signals[-1] if counts_for_verdict(s))

    def _moves(self, labels: frozenset[str], text: str) -> tuple[TemperMove, ...]:
        moves = temper_moves(self.scenario, labels, self._seen, self._stalled,
                             boundary_due=self.scenario.abusive and not self.boundary_set)
        if self._offered(labels, text) is None and self._refusal(labels, text) is not None:
            moves += (TemperMove("refused_offer", REFUSAL_HEAT,
                                 "offered something this customer had said they do not want"),)
        return moves

    def _remember(self, labels: frozenset[str]) -> None:
        self._seen.update(labels)
        if "boundary" in labels:
            self.boundary_set = True
        helped = any(label in GOOD_COOLING for label in labels)
        self._stalled = 0 if helped else self._stalled + 1

    def _decide(self, labels: frozenset[str], text: str) -> tuple[Intent, Refusal | None]:
        temper = self.scenario.temper
        if self.temper >= temper.hang_up_at or len(self.curve) >= temper.max_turns:
            return Intent.HANG_UP, None
        if self._vent_left > 0:
            return Intent.VENT, None
        if self.manager_demanded and "escalation_offer" in labels:
            return Intent.ESCALATED, None
        offered = self._offered(labels, text)
        if offered is not None:
            return self._answer_offer(offered), None
        if self.temper >= temper.manager_at and not self.manager_demanded:
            return Intent.MANAGER, None
        refusal = self._refusal(labels, text)
        if refusal is not None:
            return Intent.REFUSE, refusal
        return self._conversation_intent(labels), None

    def _answer_offer(self, offered: Outcome) -> Intent:
        if offered.exception and not self._asked_exception():
            return Intent.EXCEPTION
        if self._ready():
            return Intent.ACCEPT
        if self.temper >= self.scenario.temper.manager_at and not self.manager_demanded:
            return Intent.MANAGER
        return Intent.NOT_READY

    def _conversation_intent(self, labels: frozenset[str]) -> Intent:
        if self.scenario.abusive and not self.boundary_set:
            return Intent.ABUSE
        if self.scenario.abusive and "boundary" in labels and self._seen["boundary"] == 1:
            return Intent.AFTER_BOUNDARY
        if labels & QUESTION_LABELS:
            return Intent.ANSWER
        return Intent.PRESS

    def _ready(self) -> bool:
        heard = all(self._seen[label] for label in self.scenario.must_hear)
        calm_enough = self.temper <= self.scenario.temper.accept_below
        return heard and calm_enough and (self.boundary_set or not self.scenario.abusive)

    def _offered(self, labels: frozenset[str], text: str) -> Outcome | None:
        lowered = text.lower()
        for outcome in self.scenario.outcomes:
            if labels.isdisjoint(outcome.labels):
                continue
            if not outcome.words or any(word.lower() in lowered for word in outcome.words):
                return outcome
        return None

    def _refusal(self, labels: frozenset[str], text: str) -> Refusal | None:
        if labels.isdisjoint(OFFER_LABELS):
            return None
        lowered = text.lower()
        return next((r for r in self.scenario.refusals
                     if any(word.lower() in lowered for word in r.words)), None)

    def _asked_exception(self) -> bool:
        said = " ".join(t.text.lower() for t in self.turns if t.role is Role.AGENT)
        return any(word.lower() in said for word in self.scenario.exception_words)

    def _reaction(self, intent: Intent, moves: tuple[TemperMove, ...]) -> str | None:
        harmful = [m for m in moves if m.cause in HARMFUL_HEAT]
        if harmful:
            return max(harmful, key=lambda m: m.delta).cause
        if intent is Intent.VENT:
            return None
        if any(m.delta < 0 for m in moves):
            return "warm_hot" if self.temper >= self.scenario.temper.manager_at - 15 else "warm"
        return "cold"

    def _customer_says(self, intent: Intent, reaction: str | None,
                       refusal: Refusal | None = None) -> CustomerLine:
        request = ReplyRequest(self.scenario, intent, reaction, self.temper,
                               tuple((t.role.value, t.text) for t in self.turns),
                               self.scenario.vent_turns - self._vent_left,
                               refusal.line if refusal else None)
        text = self._write(request)
        self._used.add(text)
        self._advance_state(intent)
        still_talking = self._vent_left > 0 and not self.finished
        self._record_customer(text, still_talking)
        line = CustomerLine(text, intent, self.temper, self.outcome)
        self.lines.append(line)
        return line

    def _write(self, request: ReplyRequest) -> str:
        from calmline.simulator.backend import BackendError

        try:
            text = self._writer.write(request, self._rng, self._used)
        except BackendError as exc:
            self.backend_failures.append(str(exc))
            text = ""
        if not text.strip() or text in self._used:
            text = LineWriter().write(request, self._rng, self._used)
        return text.strip()

    def _advance_state(self, intent: Intent) -> None:
        if intent is Intent.VENT:
            self._vent_left -= 1
        elif intent is Intent.MANAGER:
            self.manager_demanded = True
        ending = {Intent.ACCEPT: PracticeOutcome.RESOLVED, Intent.ESCALATED: PracticeOutcome.ESCALATED,
                  Intent.HANG_UP: PracticeOutcome.HUNG_UP}
        if intent in ending:
            self.outcome = ending[intent]

    def _record_customer(self, text: str, still_talking: bool) -> None:
        begin = self._clock_ms + PAUSE_MS
        spoken_end = begin + _duration(text)
        end = spoken_end + (STILL_TALKING_MS if still_talking else 0)
        turn = Turn(len(self.turns), Role.CUSTOMER, text, speaker=self.scenario.persona.name,
                    begin_ms=begin, end_ms=end)
        self._conversation = self._conversation.with_turns((*self.turns, turn))
        track_turn(self._tracker, self._pipeline, turn, self._conversation)
        self._clock_ms = end
        self._agent_begin_ms = spoken_end + PAUSE_MS if still_talking else end + PAUSE_MS


# Detectors load their word lists and models on first use: a practice call pays that once,
# at its start, rather than on the trainee's first turn.
_warmed: set[int] = set()


def _warm(pipeline: DetectorPipeline) -> None:
    if id(pipeline) in _warmed:
        return
    generic_lines()
    pipeline.load()
    _warmed.add(id(pipeline))


def _duration(text: str) -> int:
    return max(1, len(text.split())) * WORD_MS


def replay(scenario: Scenario, seed: int, trainee_turns: list[str],
           writer: ReplyWriter | None = None) -> PracticeSession:
    """Rebuild a session from its trainee turns (the same seed gives the same call):
    a stateless caller, such as a web page, need only keep the trainee's turns."""
    session = PracticeSession(scenario, seed=seed, writer=writer)
    for text in trainee_turns:
        if session.finished:
            break
        session.reply(text)
    return session

