"""Comments and disputes on a call's verdicts (the web app's review box)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from calmline.errors import UsageError
from calmline.storage.accounts import Principal
from calmline.storage.models import Call, CallFeedback

# Long enough for a paragraph of reasons, short enough to read at a glance.
MAX_FEEDBACK_CHARS = 2000


class FeedbackKind(StrEnum):
    COMMENT = "comment"  # a supervisor's (or admin's) comment on the call
    DISPUTE = "dispute"  # the call's agent contests the verdict


def clean_feedback(text: str) -> str:
    """The text as stored: trimmed, not empty, not too long, no control characters."""
    cleaned = "".join(ch for ch in text.replace("\r\n", "\n") if ch in "\n\t" or ch.isprintable()).strip()
    if not cleaned:
        raise UsageError("the text is empty", hint="write what you want to say about this call")
    if len(cleaned) > MAX_FEEDBACK_CHARS:
        raise UsageError(f"the text is {len(cleaned)} characters long; at most {MAX_FEEDBACK_CHARS} are kept",
                         hint="shorten it")
    return cleaned


def add_feedback(session: Session, call_id: str, who: Principal, kind: FeedbackKind,
                 text: str) -> CallFeedback:
    row = CallFeedback(call_id=call_id, kind=kind.value, user_id=who.user_id, username=who.username,
                       text=clean_feedback(text))
    session.add(row)
    session.flush()
    return row


def feedback_for(session: Session, call_id: str) -> list[CallFeedback]:
    """A call's comments and disputes, oldest first."""
    return list(session.scalars(select(CallFeedback).where(CallFeedback.call_id == call_id)
                                .order_by(CallFeedback.created_at, CallFeedback.id)))


def recent_disputes(session: Session, where: ColumnElement[bool], limit: int = 10) -> list[CallFeedback]:
    """The latest disputes on calls within ``where`` (the viewer's scope), newest first."""
    query = (select(CallFeedback).join(Call, Call.id == CallFeedback.call_id)
             .where(where, CallFeedback.kind == FeedbackKind.DISPUTE.value)
             .order_by(CallFeedback.created_at.desc(), CallFeedback.id.desc()).limit(limit))
    return list(session.scalars(query))
