"""Playbook versions: the active one scores new calls; old reports keep the one they had."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from calmline.playbook import DEFAULT_PLAYBOOK_PATH, Playbook, parse_playbook, playbook_fingerprint
from calmline.storage.models import PlaybookVersion


def active_version(session: Session) -> PlaybookVersion:
    """The active playbook version; the bundled default becomes version 1 on first use."""
    found = session.scalar(select(PlaybookVersion).where(PlaybookVersion.active.is_(True)))
    if found is not None:
        return found
    source = DEFAULT_PLAYBOOK_PATH.read_text(encoding="utf-8")
    return add_version(session, parse_playbook(source, source="default.yaml"), source, None)


def add_version(session: Session, playbook: Playbook, source: str, user_id: int | None) -> PlaybookVersion:
    """Store a validated playbook and make it the active one."""
    session.execute(update(PlaybookVersion).where(PlaybookVersion.active.is_(True)).values(active=False))
    row = PlaybookVersion(name=playbook.name[:200], version=str(playbook.version)[:64],
                          fingerprint=playbook_fingerprint(playbook), source=source, active=True,
                          created_by=user_id)
    session.add(row)
    session.flush()
    return row


def get_version(session: Session, version_id: int) -> PlaybookVersion | None:
    return session.get(PlaybookVersion, version_id)


def list_versions(session: Session) -> list[PlaybookVersion]:
    return list(session.scalars(select(PlaybookVersion).order_by(PlaybookVersion.id)))


class PlaybookCache:
    """Parsed playbooks by version id: a stored version never changes, so parse it once."""

    def __init__(self) -> None:
        self._parsed: dict[int, Playbook] = {}

    def playbook(self, row: PlaybookVersion) -> Playbook:
        found = self._parsed.get(row.id)
        if found is None:
            found = self._parsed[row.id] = parse_playbook(row.source, source=f"playbook v{row.id}")
        return found
