"""The pages: login, live board, assist panel, calls and the drill-down, agent, team and
playbook. Every page checks the session cookie and the viewer's role."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from calmline.api.limits import read_body
from calmline.api.state import service_state
from calmline.errors import CalmlineError, PlaybookError
from calmline.playbook import parse_playbook
from calmline.storage import audit
from calmline.storage.access import visible_agents, visible_calls
from calmline.storage.accounts import Principal, UserRole
from calmline.storage.feedback import FeedbackKind, add_feedback, recent_disputes
from calmline.storage.playbooks import PlaybookCache, active_version, add_version, list_versions
from calmline.web import queries
from calmline.web.auth import COOKIE, NotAllowed, Viewer, login_url, must_be, session_user, sign_in, sign_out
from calmline.web.views import (
    TeamSummary,
    highlighted,
    rates_against_team,
    review_priority,
    scorecard_rows,
    strongest_and_weakest,
    temperature_curve,
    tone_of,
)

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["tone_of"] = tone_of
templates.env.filters["json"] = queries.as_json

router = APIRouter(include_in_schema=False)

CallId = Annotated[str, PathParam(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
AgentId = Annotated[str, PathParam(min_length=1, max_length=128)]
# Form posts are small: a login, a comment, a playbook.
MAX_FORM_BYTES = 1024 * 1024


class BadForm(Exception):  # noqa: N818 - answered as a page
    """A form body that cannot be read."""


class PageNotFound(Exception):  # noqa: N818 - answered as a page
    """No such thing that the viewer may see (someone else's call looks the same)."""


def page(request: Request, name: str, who: Principal | None, status: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, name, {"who": who, **context}, status_code=status)


async def form(request: Request) -> dict[str, str]:
    """An url-encoded form body (the last value of each field)."""
    _same_origin(request)
    data = await read_body(request, MAX_FORM_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadForm(f"the form is not UTF-8 text (byte {exc.start})") from None
    # NUL carries nothing a person typed, and PostgreSQL cannot store it.
    return {key: values[-1].replace("\x00", "")
            for key, values in parse_qs(text, keep_blank_values=True).items()}


def _same_origin(request: Request) -> None:
    """Refuse a form posted from another site (the cookie is SameSite=Lax as well)."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
        raise NotAllowed("a form from another site")


# ---- login -------------------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: Annotated[str, Query(max_length=500)] = "/") -> Response:
    return page(request, "login.html", None, next=_local(next), error=None)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    fields = await form(request)
    username, password = fields.get("username", "")[:64], fields.get("password", "")[:1024]
    target = _local(fields.get("next", "/"))
    token = sign_in(request, username, password) if username and password else None
    if token is None:
        return page(request, "login.html", None, 401, next=target, username=username,
                    error="Unknown user or wrong password.")
    response = RedirectResponse(target, 303)
    hours = service_state(request).settings.login_token_hours
    response.set_cookie(COOKIE, token, max_age=int(hours * 3600), httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    _same_origin(request)
    sign_out(request)
    response = RedirectResponse("/login", 303)
    response.delete_cookie(COOKIE)
    return response


def _local(target: str) -> str:
    """Only paths on this site may follow a login (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/")
def home(request: Request) -> Response:
    who = session_user(request)
    if who is None:
        return RedirectResponse(login_url("/"), 303)
    if who.role is UserRole.AGENT:
        return RedirectResponse(f"/agents/{who.agent_id}" if who.agent_id else "/calls", 303)
    return RedirectResponse("/board", 303)


# ---- live --------------------------------------------------------------------------------

@router.get("/board", response_class=HTMLResponse)
def board(request: Request, who: Viewer) -> Response:
    must_be(who, UserRole.SUPERVISOR, UserRole.ADMIN)
    return page(request, "board.html", who)


@router.get("/assist", response_class=HTMLResponse)
def assist(request: Request, who: Viewer, call: Annotated[str | None, Query(
        max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")] = None) -> Response:
    return page(request, "assist.html", who, call_id=call)


# ---- calls -------------------------------------------------------------------------------

@router.get("/calls", response_class=HTMLResponse)
def calls(request: Request, who: Viewer) -> Response:
    with service_state(request).database.session() as db:
        rows = queries.latest_calls(db, visible_calls(who), 100)
    return page(request, "calls.html", who, calls=rows)


@router.get("/calls/{call_id}", response_class=HTMLResponse)
def call_page(request: Request, who: Viewer, call_id: CallId) -> Response:
    return _call_page(request, who, call_id)


def _call_page(request: Request, who: Principal, call_id: str, status: int = 200,
               error: str | None = None, draft: str = "", draft_kind: str = "") -> Response:
    with service_state(request).database.session() as db:
        view = queries.call_view(db, visible_calls(who), call_id)
        if view is None:
            raise PageNotFound(f"no call {call_id!r} that you may see")
        audit.record(db, who, "call.read", call_id, "web")
    report = view.report or {"turns": []}
    by_turn = {t["index"]: t for t in report.get("turns", [])}
    turns = [(t, highlighted(t.text, by_turn.get(t.index, {}).get("signals", [])),
              by_turn.get(t.index, {}).get("temperature")) for t in view.turns]
    points, markers = temperature_curve(report)
    return page(request, "call.html", who, status, view=view, call=view.call, report=view.report,
                turns=turns, criteria=scorecard_rows(report),
                curve={"points": points, "markers": markers},
                may_comment=who.role in (UserRole.SUPERVISOR, UserRole.ADMIN),
                may_dispute=who.role is UserRole.AGENT and who.agent_id == view.call.agent_id,
                error=error, draft=draft, draft_kind=draft_kind)


@router.post("/calls/{call_id}/comments", response_class=HTMLResponse)
async def comment(request: Request, who: Viewer, call_id: CallId) -> Response:
    must_be(who, UserRole.SUPERVISOR, UserRole.ADMIN)
    return await _feedback(request, who, call_id, FeedbackKind.COMMENT)


@router.post("/calls/{call_id}/disputes", response_class=HTMLResponse)
async def dispute(request: Request, who: Viewer, call_id: CallId) -> Response:
    must_be(who, UserRole.AGENT)
    return await _feedback(request, who, call_id, FeedbackKind.DISPUTE)


async def _feedback(request: Request, who: Principal, call_id: str, kind: FeedbackKind) -> Response:
    text = (await form(request)).get("text", "")
    with service_state(request).database.session() as db:
        view = queries.call_view(db, visible_calls(who), call_id)
        if view is None:
            raise PageNotFound(f"no call {call_id!r} that you may see")
        if kind is FeedbackKind.DISPUTE and view.call.agent_id != who.agent_id:
            raise NotAllowed("only the call's agent may dispute its verdict")
        try:
            add_feedback(db, call_id, who, kind, text)
        except CalmlineError as error:
            failed: str | None = error.message
        else:
            failed = None
            audit.record(db, who, f"call.{kind.value}", call_id)
    if failed is not None:
        return _call_page(request, who, call_id, 422, error=failed, draft=text[:5000], draft_kind=kind.value)
    return RedirectResponse(f"/calls/{call_id}#review", 303)


# ---- agents and teams ------------------------------------------------------------------------

@router.get("/me")
def me(who: Viewer) -> Response:
    if who.agent_id is None:
        return RedirectResponse("/team", 303)
    return RedirectResponse(f"/agents/{who.agent_id}", 303)


@router.get("/agents/{agent_id}", response_class=HTMLResponse)
def agent_page(request: Request, who: Viewer, agent_id: AgentId) -> Response:
    playbooks = _playbooks(request)
    with service_state(request).database.session() as db:
        agent = queries.agent_row(db, visible_agents(who), agent_id)
        if agent is None:
            raise PageNotFound(f"no agent {agent_id!r} that you may see")
        where = visible_calls(who)
        points = queries.score_points(db, where, agent_id)
        mine = queries.outcome_tallies(db, where, queries.AGENT_REPORTS, agent_id)
        # The team average is shown to the agent too, as a benchmark (no other agent's calls).
        team_where = queries.team_scope(visible_calls(_team_reader(who)), agent.team)
        team = queries.outcome_tallies(db, team_where, queries.TEAM_REPORTS)
        candidates = queries.review_candidates(db, where, agent_id, queries.AGENT_REPORTS)
        playbook = playbooks.playbook(active_version(db))
        live = [c for c in service_state(request).hub.calls.values() if c.agent_id == agent_id]
    rates = rates_against_team(mine, team)
    strongest, weakest = strongest_and_weakest(rates)
    review = sorted(candidates, key=lambda cr: -review_priority(cr[1]))[:3]
    tips = {t.name: t.coaching_tip for t in playbook.techniques}
    return page(request, "agent.html", who, agent=agent, points=points, rates=rates, strongest=strongest,
                weakest=weakest, review=review, tips=[(w.name, tips.get(w.name)) for w in weakest],
                live=live)


def _team_reader(who: Principal) -> Principal:
    """Whom the team benchmark is read as: an agent's team-mates' calls count in the average."""
    if who.role is not UserRole.AGENT:
        return who
    return Principal(who.user_id, who.username, UserRole.SUPERVISOR, who.team, who.agent_id)


@router.get("/team", response_class=HTMLResponse)
def team_page(request: Request, who: Viewer,
              team: Annotated[str | None, Query(max_length=64)] = None,
              days: Annotated[int, Query(ge=1, le=3660)] = queries.TEAM_WINDOW_DAYS) -> Response:
    must_be(who, UserRole.SUPERVISOR, UserRole.ADMIN)
    if who.role is UserRole.SUPERVISOR:
        team = who.team
    with service_state(request).database.session() as db:
        # A supervisor's visible calls are their team's already.
        where = visible_calls(who)
        if who.role is not UserRole.SUPERVISOR:
            where = queries.team_scope(where, team)
        since = queries.window_start(db, where, days)
        summary = queries.team_summary(db, where, since) if since else TeamSummary()
        risks = queries.top_risks(db, where, since) if since else []
        topics, topic_calls = queries.complaint_topic_counts(db, where, queries.TEAM_REPORTS)
        disputes = recent_disputes(db, where)
        agents = queries.agents_of_team(db, visible_agents(who), team)
        all_teams = queries.teams(db, visible_agents(who))
    return page(request, "team.html", who, team=team, teams=all_teams, summary=summary, risks=risks,
                topics=topics, topic_calls=topic_calls, disputes=disputes, agents=agents, since=since,
                days=days)


# ---- playbook ------------------------------------------------------------------------------

@router.get("/playbook", response_class=HTMLResponse)
def playbook_page(request: Request, who: Viewer) -> Response:
    must_be(who, UserRole.ADMIN)
    return _playbook_page(request, who)


@router.post("/playbook", response_class=HTMLResponse)
async def upload_playbook(request: Request, who: Viewer) -> Response:
    must_be(who, UserRole.ADMIN)
    source = (await form(request)).get("source", "")
    if not source.strip():
        return _playbook_page(request, who, 422, draft=source,
                              issues=["the playbook is empty: paste or choose a YAML file"])
    try:
        book = parse_playbook(source, source="upload")
    except PlaybookError as error:
        return _playbook_page(request, who, 422, issues=error.issues, draft=source)
    with service_state(request).database.session() as db:
        row = add_version(db, book, source, who.user_id)
        audit.record(db, who, "playbook.replace", detail=f"version {row.id}: {row.name} {row.version} (web)")
    return RedirectResponse("/playbook?saved=1", 303)


def _playbook_page(request: Request, who: Principal, status: int = 200, issues: list[str] | None = None,
                   draft: str | None = None) -> Response:
    with service_state(request).database.session() as db:
        row = active_version(db)
        versions = list_versions(db)
        book = _playbooks(request).playbook(row)
    return page(request, "playbook.html", who, status, active=row, book=book, versions=versions,
                issues=issues or [], draft=draft, saved=request.query_params.get("saved") == "1")


def _playbooks(request: Request) -> PlaybookCache:
    return service_state(request).playbooks
