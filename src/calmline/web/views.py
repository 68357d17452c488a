"""What the pages show, worked out from stored reports and live calls: pure functions, no I/O.

Reports are the JSON of docs/report-schema.md (``Report.to_dict()``), as stored."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from calmline.labels import LABELS, Polarity
from calmline.nudges import Nudge, NudgeKind

# The complaint topics are counted when a report is stored; the pages' callers find them here too.
from calmline.storage.facts import TOPICS as TOPICS
from calmline.storage.facts import complaint_texts as complaint_texts
from calmline.storage.facts import topics_of as topics_of

Json = dict[str, Any]

# A temperature at or above this is "heated" on the board and the team page.
HOT = 60.0
# Rising this many degrees over the last RISE_TURNS turns raises the "rising fast" badge.
RISE_DEGREES = 15.0
RISE_TURNS = 3


def tone_of(label: str) -> str:
    """How a label is coloured: ``good`` or ``harmful`` agent moves, or a ``customer`` state."""
    info = LABELS.get(label)
    if info is None or info.polarity is Polarity.STATE:
        return "customer"
    return "good" if info.polarity is Polarity.GOOD else "harmful"


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a turn's text; ``signal`` is set when it is a highlight."""

    text: str
    signal: Json | None = None

    @property
    def tone(self) -> str:
        return tone_of(str(self.signal["label"])) if self.signal else ""


def highlighted(text: str, signals: Sequence[Json]) -> list[Piece]:
    """``text`` cut into plain and highlighted pieces. Where evidence spans overlap, the earlier
    (then the longer) one is shown; a signal without a span in the text is not highlighted."""
    spans = sorted((s for s in signals if _has_span(s, len(text))),
                   key=lambda s: (int(s["start"]), -int(s["end"])))
    pieces: list[Piece] = []
    at = 0
    for signal in spans:
        start, end = int(signal["start"]), int(signal["end"])
        if start < at:
            continue
        if start > at:
            pieces.append(Piece(text[at:start]))
        pieces.append(Piece(text[start:end], signal))
        at = end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces


def _has_span(signal: Json, length: int) -> bool:
    start, end = signal.get("start"), signal.get("end")
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length


def shown_signals(report: Json) -> list[Json]:
    """Every highlight the transcript shows, in reading order (what the browser test checks)."""
    return [p.signal for t in report.get("turns", []) for p in highlighted(t["text"], t["signals"])
            if p.signal is not None]


@dataclass(frozen=True, slots=True)
class CurvePoint:
    turn: int
    temperature: float
    role: str


@dataclass(frozen=True, slots=True)
class MoveMarker:
    turn: int
    temperature: float
    label: str
    tone: str


def temperature_curve(report: Json) -> tuple[list[CurvePoint], list[MoveMarker]]:
    """The temperature after every turn, and a marker at each agent move (good or harmful)."""
    points = [CurvePoint(t["index"], float(t["temperature"]), t["role"]) for t in report.get("turns", [])]
    markers = [MoveMarker(t["index"], float(t["temperature"]), s["label"], tone_of(s["label"]))
               for t in report.get("turns", []) if t["role"] == "agent"
               for s in _distinct_labels(t["signals"]) if tone_of(s["label"]) != "customer"]
    return points, markers


def _distinct_labels(signals: Iterable[Json]) -> list[Json]:
    seen: dict[str, Json] = {}
    for signal in signals:
        seen.setdefault(signal["label"], signal)
    return list(seen.values())


@dataclass(frozen=True, slots=True)
class Criterion:
    """One scorecard row: the verdict, the quotes behind it and how sure the detectors were."""

    name: str
    kind: str
    verdict: str
    weight: float
    because: str | None
    quotes: list[tuple[int, str]]
    confidence: float | None
    tip: str | None


def scorecard_rows(report: Json) -> list[Criterion]:
    """The scorecard, met and missed first, then not applicable."""
    order = {"missed": 0, "met": 1, "not_applicable": 2}
    rows = [Criterion(c["name"], c["kind"], c["verdict"], float(c["weight"]), c.get("expected_because"),
                      [(int(e["turn_index"]), e["quote"]) for e in c.get("evidence", [])],
                      max((float(e["score"]) for e in c.get("evidence", [])), default=None),
                      c.get("coaching_tip"))
            for c in report.get("scorecard", {}).get("criteria", [])]
    return sorted(rows, key=lambda r: (order.get(r.verdict, 3), -r.weight))


# ---- live calls -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Badge:
    code: str
    text: str
    weight: int


def risk_badges(labels_seen: set[str], temperatures: Sequence[float]) -> list[Badge]:
    """The live risks of a call: abuse, a manager requested, the temperature rising fast."""
    badges = []
    if "abuse" in labels_seen:
        badges.append(Badge("abuse", "abuse", 3))
    if "escalation_request" in labels_seen:
        badges.append(Badge("manager", "manager requested", 2))
    if rising_fast(temperatures):
        badges.append(Badge("rising", "temperature rising fast", 2))
    if "threat" in labels_seen:
        badges.append(Badge("threat", "threat", 1))
    return badges


def rising_fast(temperatures: Sequence[float]) -> bool:
    if len(temperatures) < 2:
        return False
    window = temperatures[-(RISE_TURNS + 1):]
    return window[-1] - min(window) >= RISE_DEGREES


def risk_rank(badges: Sequence[Badge], temperature: float) -> float:
    """Higher is riskier: the badges first, then the temperature."""
    return sum(b.weight for b in badges) * 100 + temperature


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    technique_id: str
    name: str
    made_at: int | None
    due: bool


def checklist(moves: Sequence[tuple[str, str]], made: dict[str, int], due: set[str]) -> list[ChecklistItem]:
    """The playbook's good moves (id, name): due now, made (at which turn), or still open."""
    items = [ChecklistItem(tid, name, None if tid in due else made.get(tid), tid in due)
             for tid, name in moves]
    return sorted(items, key=lambda i: (not i.due, i.made_at is None, i.made_at or 0))


def due_moves(nudges: Sequence[Nudge], made: dict[str, int]) -> set[str]:
    """The moves a "do" nudge asked for that the agent has not made since."""
    return {n.technique_id for n in nudges
            if n.kind is NudgeKind.DO and made.get(n.technique_id, -1) <= n.turn_index}


# An "avoid" nudge stays on screen for this many turns after the move it warns about.
AVOID_TURNS = 2


def current_nudge(nudges: Sequence[Nudge], made: dict[str, int], turns: int) -> Nudge | None:
    """The one nudge the assist panel shows: the newest that still holds (its move not yet
    made since, or a warning about one of the last turns); None when all is well."""
    due = due_moves(nudges, made)
    holding = [n for n in nudges
               if (n.kind is NudgeKind.DO and n.technique_id in due)
               or (n.kind is NudgeKind.AVOID and turns - n.turn_index <= AVOID_TURNS)]
    return max(holding, key=lambda n: (n.turn_index, n.priority), default=None)


# ---- team and agent pages -------------------------------------------------------------------

@dataclass(slots=True)
class TeamSummary:
    calls: int = 0
    average: float | None = None
    per_day: list[tuple[str, int]] = field(default_factory=list)
    histogram: list[tuple[str, int]] = field(default_factory=list)
    heated: int = 0
    deescalated: int = 0

    @property
    def deescalation_rate(self) -> float | None:
        return self.deescalated / self.heated if self.heated else None


# Score buckets of the distribution: 0–9, 10–19, … 90–100.
SCORE_BUCKETS = tuple(range(0, 100, 10))


def histogram(buckets: dict[int, int]) -> list[tuple[str, int]]:
    """Every score bucket with its count (empty ones too), labelled for the chart."""
    return [(f"{b}–{b + 9 if b < 90 else 100}", buckets.get(b, 0)) for b in SCORE_BUCKETS]


@dataclass(frozen=True, slots=True)
class HitRate:
    technique_id: str
    name: str
    agent: float | None
    team: float | None
    expected: int


@dataclass(frozen=True, slots=True)
class Tally:
    """How often a good move was expected in a set of calls (applicable), and met."""

    technique_id: str
    name: str
    expected: int
    met: int


def tally_outcomes(reports: Sequence[Json]) -> list[Tally]:
    """Each good move's tally over ``reports`` (newest first: a renamed move shows its newest
    name). The pages count the same in SQL from the stored outcomes."""
    met: Counter[str] = Counter()
    expected: Counter[str] = Counter()
    names: dict[str, str] = {}
    for report in reports:
        for c in report.get("scorecard", {}).get("criteria", []):
            if c["kind"] != "good" or c["verdict"] == "not_applicable":
                continue
            names.setdefault(c["technique_id"], c["name"])
            expected[c["technique_id"]] += 1
            met[c["technique_id"]] += c["verdict"] == "met"
    return [Tally(t, names[t], n, met[t]) for t, n in expected.items()]


def rates_against_team(mine: Sequence[Tally], team: Sequence[Tally]) -> list[HitRate]:
    """For each good move, the share of calls that expected it where it was met: the agent's
    against the team's, by name."""
    agent = {t.technique_id: t for t in mine}
    theirs = {t.technique_id: t for t in team}
    names = {**{t: x.name for t, x in theirs.items()}, **{t: x.name for t, x in agent.items()}}
    return [HitRate(tid, names[tid], _share(agent.get(tid)), _share(theirs.get(tid)),
                    agent[tid].expected if tid in agent else 0)
            for tid in sorted(names, key=lambda t: (names[t], t))]


def _share(tally: Tally | None) -> float | None:
    return tally.met / tally.expected if tally is not None and tally.expected else None


def hit_rates(agent_reports: Sequence[Json], team_reports: Sequence[Json]) -> list[HitRate]:
    """:func:`rates_against_team` over report JSON (the agent's and the team's, newest first)."""
    return rates_against_team(tally_outcomes(agent_reports), tally_outcomes(team_reports))


def strongest_and_weakest(rates: Sequence[HitRate], count: int = 3,
                          minimum: int = 2) -> tuple[list[HitRate], list[HitRate]]:
    """The agent's best and worst moves, among those expected at least ``minimum`` times."""
    known = [r for r in rates if r.agent is not None and r.expected >= minimum]
    ranked = sorted(known, key=lambda r: (-(r.agent or 0.0), r.name))
    weakest = sorted(known, key=lambda r: (r.agent or 0.0, r.name))[:count]
    return ranked[:count], [r for r in weakest if r not in ranked[:count]] or weakest


def review_priority(report: Json) -> float:
    """How much a call is worth a coach's time: a low score, risks, and a call that stayed hot."""
    score = float(report.get("scorecard", {}).get("overall", 100))
    risks = len(report.get("risks", []))
    outcome = report.get("outcome", {})
    stayed_hot = 20.0 if outcome.get("deescalated") is False else 0.0
    return (100 - score) + 15 * risks + stayed_hot


def complaint_topics(texts: Iterable[str], count: int = 6) -> list[tuple[str, int]]:
    """The most frequent complaint topics among the calls' issues and complaints."""
    found: Counter[str] = Counter()
    for text in texts:
        found.update(set(topics_of(text)))
    return found.most_common(count)
