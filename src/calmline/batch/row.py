"""The one scoring function both local batch and Spark run: a transcript in, flat result
rows (one per call) out, or the reason it could not be scored. Pure: no files, no Spark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from calmline.batch.transcript import Transcript, conversations_in
from calmline.detectors.pipeline import WARM_UP_CALL, DetectorPipeline
from calmline.engine import analyze, pipeline_for
from calmline.errors import CalmlineError
from calmline.playbook import Playbook, playbook_fingerprint
from calmline.report import Report

ColumnType = Literal["string", "int", "float", "bool", "strings"]
CRITERION_PREFIX = "criterion_"
# The columns every row has, before one ``criterion_<technique id>`` column per technique.
BASE_COLUMNS: tuple[tuple[str, ColumnType], ...] = (
    ("key", "string"),
    ("source", "string"),
    ("conversation_id", "string"),
    ("channel", "string"),
    ("agent_id", "string"),
    ("customer_id", "string"),
    ("started_at", "string"),
    ("turns", "int"),
    ("playbook_name", "string"),
    ("playbook_version", "string"),
    ("playbook_fingerprint", "string"),
    ("overall_score", "int"),
    ("resolution", "string"),
    ("heated", "bool"),
    ("deescalated", "bool"),
    ("temperature_start", "float"),
    ("temperature_peak", "float"),
    ("temperature_peak_turn", "int"),
    ("temperature_end", "float"),
    ("temperature_mean", "float"),
    ("risk_flags", "strings"),
    ("topics", "strings"),
)
Row = dict[str, Any]
@dataclass(frozen=True, slots=True)
class ScoreError:
    """Why a transcript was not scored, ready for the errors file."""

    key: str
    source: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "source": self.source, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Scored:
    """The outcome for one transcript: its rows (and reports when asked for), or its error."""

    key: str
    rows: tuple[Row, ...] = ()
    reports: tuple[str, ...] = ()
    error: ScoreError | None = None


@dataclass(frozen=True, slots=True)
class Scorer:
    """A playbook and its detector pipeline, built once per worker process."""

    playbook: Playbook
    with_reports: bool = False
    pipeline: DetectorPipeline = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pipeline", pipeline_for(self.playbook))

    @property
    def fingerprint(self) -> str:
        return playbook_fingerprint(self.playbook)

    def warm(self) -> None:
        """Load what the detectors load on first use (tokenizer, models, word lists) now,
        so worker processes forked afterwards share one copy instead of each loading its
        own. Changes no result: the detectors' caches give the same numbers either way."""
        analyze(WARM_UP_CALL, self.playbook, self.pipeline)


def one_thread_per_process() -> None:
    """Keep BLAS to one thread: parallelism comes from processes, and a BLAS pool per
    worker on tiny matrices only makes the workers fight over the cores."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def columns(playbook: Playbook) -> list[tuple[str, ColumnType]]:
    """Every column of a result row for ``playbook``, in order."""
    criteria: list[tuple[str, ColumnType]] = [
        (CRITERION_PREFIX + t.id, "string") for t in playbook.techniques
    ]
    return [*BASE_COLUMNS, *criteria]


def score_transcript(transcript: Transcript, scorer: Scorer) -> Scored:
    """Score every call in ``transcript``; bad input (or a failure while analysing it)
    becomes a :class:`ScoreError` instead of an exception, so one file never stops a run."""
    try:
        reports = [analyze(c, scorer.playbook, scorer.pipeline) for c in conversations_in(transcript)]
    except CalmlineError as error:
        return Scored(transcript.key, error=ScoreError(transcript.key, transcript.source,
                                                        error.code.value, error.message))
    except Exception as error:  # an analysis bug must not end a million-call run
        return Scored(transcript.key, error=ScoreError(
            transcript.key, transcript.source, "internal",
            f"{type(error).__name__}: {error} (please report this with the transcript)"))
    rows = tuple(call_row(r, transcript, index, len(reports)) for index, r in enumerate(reports))
    texts = tuple(r.to_json(indent=None) for r in reports) if scorer.with_reports else ()
    return Scored(transcript.key, rows, texts)


def call_row(report: Report, transcript: Transcript, index: int = 0, count: int = 1) -> Row:
    """The flat row for one analysed call; a transcript holding several calls gives each
    a key of its own (``key#n``)."""
    outcome = report.outcome
    row: Row = {
        "key": transcript.key if count == 1 else f"{transcript.key}#{index + 1}",
        "source": transcript.source,
        "conversation_id": report.conversation_id,
        "channel": report.channel.value,
        "agent_id": report.agent_id,
        "customer_id": report.customer_id,
        "started_at": report.started_at.isoformat() if report.started_at else None,
        "turns": len(report.turns),
        "playbook_name": report.playbook.name,
        "playbook_version": report.playbook.version,
        "playbook_fingerprint": report.playbook.fingerprint,
        "overall_score": report.scorecard.overall,
        "resolution": outcome.resolution.value,
        "heated": outcome.heated,
        "deescalated": outcome.deescalated,
        "temperature_start": outcome.start,
        "temperature_peak": outcome.peak,
        "temperature_peak_turn": outcome.peak_turn,
        "temperature_end": outcome.end,
        "temperature_mean": _mean(report.temperatures),
        "risk_flags": sorted({risk.code for risk in report.risks}),
        "topics": _topics(report),
    }
    row.update({CRITERION_PREFIX + c.technique_id: c.verdict.value for c in report.scorecard.criteria})
    return row


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def _topics(report: Report) -> list[str]:
    """Topic names when the report carries topics; reports without them give none."""
    found = getattr(report, "topics", None) or ()
    return [str(getattr(topic, "name", topic)) for topic in found]
