"""The practice pages: the curriculum, a practice call played in the browser, its debrief,
and the trainer's view.

The server keeps no call in memory between requests: each request replays the call from
the trainee's stored turns and seed (``calmline.simulator.replay``), so a restart loses
nothing and two servers can share the database."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from calmline.api.state import service_state
from calmline.conversation import Role
from calmline.errors import UsageError
from calmline.simulator import PracticeSession, Scenario, curriculum, debrief, replay
from calmline.simulator.practice import MAX_TRAINEE_CHARS
from calmline.simulator.store import progress
from calmline.storage import audit
from calmline.storage.accounts import Principal, UserRole
from calmline.storage.models import StoredPractice
from calmline.storage.practice import (
    IN_PROGRESS,
    CallState,
    Hint,
    add_hints,
    add_turn,
    debrief_of,
    find_session,
    finished_summaries,
    hints_of,
    list_sessions,
    set_gauge,
    start_session,
    trainee_turns,
    visible_practice,
)
from calmline.web.auth import NotAllowed, Viewer
from calmline.web.routes import PageNotFound, form, page
from calmline.web.views import scorecard_rows

router = APIRouter(include_in_schema=False)

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
# Seeds are drawn at random per call and shown on the page, so a call can be replayed.
MAX_SEED = 1_000_000
# Sessions listed on a trainee's own practice page (progress counts every session).
MY_SESSIONS = 30
OUTCOME_NAMES = {"in_progress": "in progress", "resolved": "resolved", "escalated": "escalated to a manager",
                 "hung_up": "the customer hung up", "abandoned": "ended early"}


@dataclass(frozen=True, slots=True)
class ChatLine:
    """One bubble of the practice chat: the customer, the trainee, or a hint asked for."""

    speaker: str  # "customer", "trainee" or "hint"
    text: str


@dataclass(frozen=True, slots=True)
class CurveStep:
    """The temper after one trainee turn and what moved it (turn 0: the opening)."""

    turn: int
    temper: float
    said: str
    moves: list[str]


def chat_lines(call: PracticeSession, hints: list[Hint]) -> list[ChatLine]:
    """The call so far as a chat: the customer's lines, the trainee's turns, and each hint
    after the turn it was asked for."""
    said = [t.text for t in call.turns if t.role is Role.AGENT]
    chat = [ChatLine("customer", call.lines[0].text)]
    chat += [ChatLine("hint", h.text) for h in hints if h.after == 0]
    for number, text in enumerate(said, 1):
        chat.append(ChatLine("trainee", text))
        if number < len(call.lines):
            chat.append(ChatLine("customer", call.lines[number].text))
        chat += [ChatLine("hint", h.text) for h in hints if h.after == number]
    return chat


def curve_steps(result: dict[str, Any]) -> list[CurveStep]:
    """The debrief's temper curve, one step per trainee turn, each with its causes."""
    steps = [CurveStep(0, float(result["start_temper"]), "(the customer's opening)", [])]
    for number, point in enumerate(result.get("curve", []), 1):
        moves = [f"{m['cause'].replace('_', ' ')} {float(m['delta']):+.0f}: {m['why']}"
                 for m in point["moves"]]
        steps.append(CurveStep(number, float(point["after"]), str(point["text"]), moves))
    return steps


def call_state(call: PracticeSession, trainee: str) -> CallState:
    """What the service stores after a turn: the outcome so far, and the debrief once ended."""
    if not call.finished:
        return CallState(call.outcome.value, call.temper)
    result = replace(debrief(call), trainee=trainee)
    return CallState(call.outcome.value, call.temper, result.score, result.to_dict())


# ---- the curriculum and the trainee's own record ----------------------------------------

@router.get("/practice", response_class=HTMLResponse)
def practice_home(request: Request, who: Viewer) -> Response:
    where = visible_practice(who)
    with service_state(request).database.session() as db:
        mine = list_sessions(db, where, who.user_id, MY_SESSIONS)
        record = progress(finished_summaries(db, where, who.user_id))
    return page(request, "practice.html", who, scenarios=list(curriculum().values()), sessions=mine,
                progress=record, outcomes=OUTCOME_NAMES, may_train=_is_trainer(who))


@router.post("/practice/start")
async def start(request: Request, who: Viewer) -> Response:
    scenario_id = (await form(request)).get("scenario", "").strip()
    scenario = curriculum().get(scenario_id)
    if scenario is None:
        raise PageNotFound(f"there is no practice scenario {scenario_id[:80]!r}; pick one from the "
                           "list on the practice page")
    with service_state(request).database.session() as db:
        row = start_session(db, who, scenario.id, scenario.title, secrets.randbelow(MAX_SEED),
                            scenario.temper.start)
        audit.record(db, who, "practice.start", detail=f"{scenario.id} (session {row.id})")
    return RedirectResponse(f"/practice/sessions/{row.id}", 303)


# ---- the call ---------------------------------------------------------------------------

@router.get("/practice/sessions/{session_id}", response_class=HTMLResponse)
def call_page(request: Request, who: Viewer, session_id: str, draft: str = "") -> Response:
    """The practice call; ``draft``: a reply the trainee had typed before asking for a hint."""
    row = _session(request, who, session_id)
    return _call_page(request, who, row, _replayed(row), draft=draft[:MAX_TRAINEE_CHARS])


@router.post("/practice/sessions/{session_id}/reply")
async def reply(request: Request, who: Viewer, session_id: str) -> Response:
    fields = await form(request)
    row = _own_session(request, who, session_id)
    text = fields.get("text", "")
    problem = _reply_problem(row, text, fields.get("turn", ""))
    call = await run_in_threadpool(_replayed, row)
    if problem is not None:
        return _refused(request, who, row, call, problem, text)
    try:
        line = await run_in_threadpool(call.reply, text)
    except UsageError as error:
        return _refused(request, who, row, call, (422, error.message), text)
    state = call_state(call, who.username)
    with service_state(request).database.session() as db:
        stored = add_turn(db, row, [*trainee_turns(row), text.strip()], state)
    if not stored:
        return _refused(request, who, row, _replayed(row), _stale(), text)
    if _wants_json(request):
        return JSONResponse({"you": text.strip(), "customer": line.text, "temper": line.temper,
                             "outcome": call.outcome.value, "finished": call.finished,
                             "outcome_name": OUTCOME_NAMES[call.outcome.value], "turn": row.turn_count + 1,
                             "debrief": f"/practice/sessions/{row.id}/debrief"})
    return RedirectResponse(f"/practice/sessions/{row.id}#composer", 303)


@router.post("/practice/sessions/{session_id}/hint")
async def hint(request: Request, who: Viewer, session_id: str) -> Response:
    draft = (await form(request)).get("text", "")
    row = _own_session(request, who, session_id)
    call = await run_in_threadpool(_replayed, row)
    if row.outcome != IN_PROGRESS:
        return _refused(request, who, row, call, _ended(row), draft)
    nudges = call.new_nudges()
    texts = nudges[row.nudges_shown:] or [call.scenario.hint]
    already = {h.text for h in hints_of(row) if h.after == row.turn_count}
    fresh = [] if already.issuperset(texts) else texts  # asking twice in a row repeats nothing
    if fresh:
        with service_state(request).database.session() as db:
            add_hints(db, row, fresh, len(nudges))
    if _wants_json(request):
        return JSONResponse({"hints": fresh})
    # Redirect to the call page (a reload then asks for nothing again), keeping the draft.
    query = f"?{urlencode({'draft': draft[:MAX_TRAINEE_CHARS]})}" if draft else ""
    return RedirectResponse(f"/practice/sessions/{row.id}{query}#composer", 303)


@router.post("/practice/sessions/{session_id}/end")
async def end_call(request: Request, who: Viewer, session_id: str) -> Response:
    await form(request)
    row = _own_session(request, who, session_id)
    if row.outcome == IN_PROGRESS:
        call = await run_in_threadpool(_replayed, row)
        call.quit()
        with service_state(request).database.session() as db:
            add_turn(db, row, trainee_turns(row), call_state(call, who.username))
    return RedirectResponse(f"/practice/sessions/{row.id}/debrief", 303)


@router.post("/practice/sessions/{session_id}/gauge")
async def gauge(request: Request, who: Viewer, session_id: str) -> Response:
    shown = (await form(request)).get("show", "1") == "1"
    row = _own_session(request, who, session_id)
    with service_state(request).database.session() as db:
        set_gauge(db, row, shown)
    if _wants_json(request):
        return JSONResponse({"show_gauge": shown})
    return RedirectResponse(f"/practice/sessions/{row.id}#composer", 303)


def _call_page(request: Request, who: Principal, row: StoredPractice, call: PracticeSession,
               status: int = 200, error: str | None = None, draft: str = "") -> Response:
    return page(request, "practice_call.html", who, status, row=row, scenario=call.scenario,
                chat=chat_lines(call, hints_of(row)), temper=call.temper, mine=row.user_id == who.user_id,
                finished=row.outcome != IN_PROGRESS, outcome_name=OUTCOME_NAMES.get(row.outcome, row.outcome),
                error=error, draft=draft, max_chars=MAX_TRAINEE_CHARS)


def _reply_problem(row: StoredPractice, text: str, turn: str) -> tuple[int, str] | None:
    """Why this reply cannot be taken (status and message), or None."""
    if row.outcome != IN_PROGRESS:
        return _ended(row)
    if turn.strip() and turn.strip() != str(row.turn_count):
        return _stale()
    if not text.strip():
        return 422, "Your reply is empty: type what you would say to the customer."
    if len(text.strip()) > MAX_TRAINEE_CHARS:
        return 422, (f"Your reply is {len(text.strip())} characters; keep it under {MAX_TRAINEE_CHARS}. "
                     "What you typed is kept below.")
    return None


def _ended(row: StoredPractice) -> tuple[int, str]:
    return 409, (f"This practice call has ended ({OUTCOME_NAMES.get(row.outcome, row.outcome)}); "
                 "see the debrief, or start a new call from the practice page.")


def _stale() -> tuple[int, str]:
    return 409, ("This call moved on since the page was loaded (another tab or a second click), so "
                 "your reply was not sent. It is kept below: send it again if you still mean it.")


def _refused(request: Request, who: Principal, row: StoredPractice, call: PracticeSession,
             problem: tuple[int, str], draft: str) -> Response:
    status, message = problem
    if _wants_json(request):
        return JSONResponse({"error": message}, status)
    return _call_page(request, who, row, call, status, error=message, draft=draft)


# ---- the debrief and the trainer's view -------------------------------------------------

@router.get("/practice/sessions/{session_id}/debrief", response_class=HTMLResponse)
def debrief_page(request: Request, who: Viewer, session_id: str) -> Response:
    row = _session(request, who, session_id)
    result = debrief_of(row)
    if result is None:
        return RedirectResponse(f"/practice/sessions/{row.id}", 303)
    report = result.get("report", {})
    transcript = [(index, role, text) for index, (role, text) in enumerate(result.get("transcript", []))]
    return page(request, "practice_debrief.html", who, row=row, result=result,
                criteria=scorecard_rows(report), steps=curve_steps(result), transcript=transcript,
                outcomes=OUTCOME_NAMES,
                scenario=curriculum().get(row.scenario_id), mine=row.user_id == who.user_id)


@router.get("/practice/trainer", response_class=HTMLResponse)
def trainer_page(request: Request, who: Viewer) -> Response:
    where = visible_practice(who)
    with service_state(request).database.session() as db:
        sessions = list_sessions(db, where)
        record = progress(finished_summaries(db, where))
    return page(request, "practice_trainer.html", who, sessions=sessions, progress=record, show_trainee=True,
                outcomes=OUTCOME_NAMES)


# ---- finding and replaying sessions ------------------------------------------------------

def _session(request: Request, who: Principal, session_id: str) -> StoredPractice:
    """The stored session, if ``who`` may see it; a tampered or foreign id is simply not found."""
    row = None
    if SESSION_ID.match(session_id):
        with service_state(request).database.session() as db:
            row = find_session(db, who, session_id)
    if row is None:
        raise PageNotFound(f"no practice session {session_id[:40]!r} that you may see")
    return row


def _own_session(request: Request, who: Principal, session_id: str) -> StoredPractice:
    row = _session(request, who, session_id)
    if row.user_id != who.user_id:
        raise NotAllowed("only the trainee can speak on their own practice call")
    return row


def _replayed(row: StoredPractice) -> PracticeSession:
    return replay(_scenario(row), row.seed, trainee_turns(row))


def _scenario(row: StoredPractice) -> Scenario:
    scenario = curriculum().get(row.scenario_id)
    if scenario is None:
        raise PageNotFound(f"the scenario {row.scenario_id!r} of this practice call is no longer installed")
    return scenario


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _is_trainer(who: Principal) -> bool:
    return who.role in (UserRole.SUPERVISOR, UserRole.ADMIN)
