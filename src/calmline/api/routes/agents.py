"""/v1/agents: the agents you may see, with their score trends."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from calmline.api.errors import responses
from calmline.api.schemas import AgentTrend, ScorePoint
from calmline.api.security import CurrentUser
from calmline.api.state import service_state
from calmline.storage.access import visible_agents, visible_calls
from calmline.storage.calls import agent_scores
from calmline.storage.models import Agent

router = APIRouter(prefix="/v1/agents", tags=["agents"])


@router.get("", response_model=list[AgentTrend], responses=responses(401, 422))
def list_agents(
    request: Request,
    who: CurrentUser,
    team: Annotated[str | None, Query(max_length=64)] = None,
    window: Annotated[int, Query(ge=2, le=500, description="Latest scored calls per agent.")] = 20,
) -> list[AgentTrend]:
    """Each agent's latest scores, their average, and whether they are going up or down."""
    with service_state(request).database.session() as db:
        query = select(Agent).where(visible_agents(who)).order_by(Agent.id)
        if team is not None:
            query = query.where(Agent.team == team)
        agents = list(db.scalars(query))
        scores = agent_scores(db, visible_calls(who), [a.id for a in agents], window)
    return [_trend(a, scores[a.id]) for a in agents]


def _trend(agent: Agent, points: list[tuple[datetime, float, str]]) -> AgentTrend:
    values = [score for _, score, _ in points]
    half = len(values) // 2
    trend = (sum(values[half:]) / (len(values) - half) - sum(values[:half]) / half) if half else None
    return AgentTrend(agent_id=agent.id, team=agent.team, calls=len(values),
                      average=sum(values) / len(values) if values else None,
                      trend=round(trend, 2) if trend is not None else None,
                      points=[ScorePoint.model_validate({"call_id": c, "at": at, "score": s})
                              for at, s, c in points])
