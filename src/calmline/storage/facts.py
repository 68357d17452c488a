"""What the agent and team pages count about a call, worked out once when its report is stored
(and by migration 0008 for reports stored before), so the pages aggregate small indexed rows in
SQL and never parse stored reports in bulk.

Pure functions over the report JSON (docs/report-schema.md), shared by the store path, the
migration backfill and the pages' reference computations, so they always agree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calmline.errors import CalmlineError

Json = dict[str, Any]

# Complaint topics: a few words that name what a call was about.
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("billing and charges", ("charge", "charged", "bill", "billing", "invoice", "payment", "fee")),
    ("refunds", ("refund", "money back", "reimburse")),
    ("delivery", ("deliver", "delivery", "parcel", "package", "shipping", "courier")),
    ("outage and service", ("outage", "internet", "connection", "signal", "down", "fibre", "fiber")),
    ("account access", ("password", "log in", "login", "locked", "account number")),
    ("repairs and warranty", ("warranty", "repair", "broken", "defective", "faulty", "technician")),
    ("cancellation", ("cancel", "cancellation", "close my account")),
    ("transfers", ("wire", "transfer")),
)

# Table names of the facts (migration 0008_page_facts creates them).
CALL_FACTS = "call_facts"
CALL_OUTCOMES = "call_outcomes"
CALL_COMPLAINT_TOPICS = "call_complaint_topics"


def topics_of(text: str) -> list[str]:
    """The complaint topics whose words occur in ``text``, in the order of :data:`TOPICS`."""
    lowered = text.lower()
    return [name for name, words in TOPICS if any(w in lowered for w in words)]


def complaint_texts(report: Json) -> str:
    """The call's issue and complaints from its notes, as one text to look for topics in."""
    notes = report.get("notes") or {}
    issue = (notes.get("issue") or {}).get("text", "")
    return " ".join([issue, *(c.get("text", "") for c in notes.get("complaints", []))])


@dataclass(frozen=True, slots=True)
class Outcome:
    """One scorecard criterion of a call: which technique, and met, missed or not applicable."""

    technique_id: str
    name: str
    kind: str
    verdict: str


@dataclass(frozen=True, slots=True)
class PageFacts:
    """A call's scorecard outcomes, its risk codes (in the report's order, most severe first)
    and its complaint topics."""

    outcomes: tuple[Outcome, ...]
    risks: tuple[str, ...]
    topics: tuple[str, ...]


def page_facts(report: Json, source: str | None = None) -> PageFacts:
    """The facts of one stored report; a report not in the report schema is an error naming
    ``source`` (the call) and what is missing."""
    try:
        criteria = report.get("scorecard", {}).get("criteria", [])
        return PageFacts(
            tuple(Outcome(str(c["technique_id"]), str(c["name"]), str(c["kind"]), str(c["verdict"]))
                  for c in criteria),
            tuple(str(r["code"]) for r in report.get("risks", [])),
            tuple(topics_of(complaint_texts(report))),
        )
    except (AttributeError, KeyError, TypeError) as exc:
        raise CalmlineError(f"the report does not follow the report schema ({type(exc).__name__}: {exc})",
                            source=source, hint="see docs/report-schema.md; re-score the call") from None


def fact_rows(call_id: str, facts: PageFacts) -> dict[str, list[Json]]:
    """The rows to insert for ``facts``, by table name (every stored report gets its
    ``call_facts`` row, so the pages can tell a call with a report from one without)."""
    return {
        CALL_FACTS: [{"call_id": call_id, "risk_codes": " ".join(facts.risks)}],
        CALL_OUTCOMES: [{"call_id": call_id, "technique_id": o.technique_id, "name": o.name,
                         "kind": o.kind, "verdict": o.verdict} for o in facts.outcomes],
        CALL_COMPLAINT_TOPICS: [{"call_id": call_id, "topic": t} for t in facts.topics],
    }
