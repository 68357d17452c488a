"""Who sees which calls: agents their own, supervisors their team's, admins everything."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select, true

from calmline.storage.accounts import Principal, UserRole
from calmline.storage.models import Agent, Call


def can_see(who: Principal, agent_id: str | None, team: str | None) -> bool:
    """Whether ``who`` may see a call handled by ``agent_id`` of ``team``."""
    if who.role is UserRole.ADMIN:
        return True
    if who.role is UserRole.SUPERVISOR:
        return who.team is not None and team == who.team
    return who.agent_id is not None and agent_id == who.agent_id


def visible_calls(who: Principal) -> ColumnElement[bool]:
    """The same rule as :func:`can_see`, as a filter on the calls table."""
    if who.role is UserRole.ADMIN:
        return true()
    if who.role is UserRole.SUPERVISOR:
        if who.team is None:
            return false()
        return Call.agent_id.in_(select(Agent.id).where(Agent.team == who.team))
    return Call.agent_id == who.agent_id if who.agent_id is not None else false()


def visible_agents(who: Principal) -> ColumnElement[bool]:
    if who.role is UserRole.ADMIN:
        return true()
    if who.role is UserRole.SUPERVISOR:
        return Agent.team == who.team if who.team is not None else false()
    return Agent.id == who.agent_id if who.agent_id is not None else false()
