"""Post-call analysis: ``analyze(conversation) -> Report``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from calmline.conversation import Conversation, Role, Turn
from calmline.detectors.pipeline import DetectorPipeline
from calmline.notes import write_notes
from calmline.nudges import Nudge
from calmline.opportunities import Opportunity, history_opportunity
from calmline.outcome import (
    Resolution,
    closing_start,
    deescalation_outcome,
    group_phases,
    phase_names,
)
from calmline.playbook import (
    Condition,
    DetectionPolicy,
    Playbook,
    load_playbook,
    playbook_fingerprint,
)
from calmline.report import PlaybookRef, Report, TurnAnalysis
from calmline.risks import find_risks
from calmline.scorecard import build_scorecard
from calmline.tracker import CallTracker


@cache
def default_playbook() -> Playbook:
    """The bundled playbook, loaded once per process."""
    return load_playbook()


def default_pipeline() -> DetectorPipeline:
    """The default detector pipeline: rules + shipped learned models, at the default
    playbook's operating points (built once)."""
    return pipeline_for(default_playbook())


def pipeline_for(playbook: Playbook) -> DetectorPipeline:
    """The shipped detectors at ``playbook``'s detection policy (one per policy)."""
    return _pipeline_for_policy(playbook.detection.model_dump_json())


@cache
def _pipeline_for_policy(policy_json: str) -> DetectorPipeline:
    return build_pipeline(policy=DetectionPolicy.model_validate_json(policy_json))


def build_pipeline(models: Path | None = None, *, rules_only: bool = False,
                   policy: DetectionPolicy | None = None) -> DetectorPipeline:
    """The rules, refined by the learned models in ``models`` (default: the shipped
    ones) at ``policy``'s operating points, unless ``rules_only``."""
    from calmline.learned import LearnedStage, load_models, shipped_models

    if rules_only:
        return DetectorPipeline.from_names()
    loaded = load_models(models) if models is not None else shipped_models()
    policy = policy if policy is not None else default_playbook().detection
    return DetectorPipeline.from_names(learned=LearnedStage(loaded, policy) if loaded else None)


def analyze(
    conversation: Conversation,
    playbook: Playbook | None = None,
    pipeline: DetectorPipeline | None = None,
    *,
    earlier_calls: int = 0,
) -> Report:
    """Analyse a finished call: signals, temperature, phases, outcome, scorecard, risks,
    notes, and the nudges live assist would have given. ``earlier_calls``: the customer's
    calls on record in the month before this one, which make it a repeat contact."""
    playbook = playbook or default_playbook()
    pipeline = pipeline or pipeline_for(playbook)
    # No pipeline.warm(): the per-text models are cheap one text at a time now, and run
    # only for the turns that need them (the profanity model scores few turns).
    tracker = CallTracker(playbook)
    for turn in conversation.turns:
        track_turn(tracker, pipeline, turn, conversation)
    return build_report(conversation, tracker, earlier_calls=earlier_calls)


def track_turn(
    tracker: CallTracker, pipeline: DetectorPipeline, turn: Turn, conversation: Conversation
) -> list[Nudge]:
    """Detect one turn against the call so far and fold it into the tracker."""
    signals = pipeline.detect(turn, tracker.turns, tracker.signals, conversation)
    valence = pipeline.resources.valence(turn.text) if turn.role is Role.CUSTOMER else 0.0
    return tracker.advance(turn, signals, valence)


def build_report(conversation: Conversation, tracker: CallTracker, *, earlier_calls: int = 0) -> Report:
    """The report for everything the tracker has seen (``earlier_calls`` as in ``analyze``)."""
    turns, signals, temps = tracker.turns, tracker.signals, tracker.temperatures
    outcome = deescalation_outcome(turns, signals, temps)
    opportunities = dict(tracker.opportunities)
    opportunities.update(_post_call_opportunities(tracker, outcome.resolution))
    _add_history(opportunities, earlier_calls, turns)
    names = phase_names(turns, signals, temps)
    playbook = tracker.playbook
    return Report(
        conversation_id=conversation.id,
        channel=conversation.channel,
        agent_id=conversation.agent_id,
        customer_id=conversation.customer_id,
        customer_name=conversation.customer_name,
        started_at=conversation.started_at,
        playbook=PlaybookRef(playbook.name, playbook.version, playbook_fingerprint(playbook)),
        turns=tuple(TurnAnalysis(t.index, t.role, t.speaker, t.text, t.begin_ms, t.end_ms,
                                 temp, phase, sig)
                    for t, sig, temp, phase in zip(turns, signals, temps, names, strict=True)),
        phases=tuple(group_phases(names)),
        outcome=outcome,
        scorecard=build_scorecard(playbook, turns, signals, opportunities),
        risks=find_risks(turns, signals, temps, opportunities),
        notes=write_notes(turns, signals, outcome.resolution),
        nudges=tuple(tracker.nudges),
    )


def _add_history(opportunities: dict[Condition, Opportunity], earlier_calls: int,
                 turns: list[Turn]) -> None:
    """The records' repeat contact, unless the customer said so in the first turn already."""
    known = history_opportunity(earlier_calls, turns[0].index) if turns else None
    said = opportunities.get(Condition.REPEAT_CONTACT)
    if known is not None and (said is None or said.turn_index > known.turn_index):
        opportunities[Condition.REPEAT_CONTACT] = known


def _post_call_opportunities(
    tracker: CallTracker, resolution: Resolution
) -> dict[Condition, Opportunity]:
    agent_turns = [t.index for t in tracker.turns if t.role is Role.AGENT]
    if not agent_turns:
        return {}
    closing = closing_start(tracker.turns, tracker.signals, None)
    found = {Condition.CLOSING: Opportunity(Condition.CLOSING, closing or agent_turns[-1],
                                            "the call is closing")}
    if resolution is Resolution.UNRESOLVED and Condition.GRIEVANCE in tracker.opportunities:
        found[Condition.UNRESOLVED] = Opportunity(Condition.UNRESOLVED, agent_turns[-1],
                                                  "the problem was not resolved on the call")
    return found
