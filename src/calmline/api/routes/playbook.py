"""/v1/playbook: the active playbook (anyone signed in), replace and validate (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from calmline.api.errors import ApiError, responses
from calmline.api.limits import read_body
from calmline.api.schemas import PlaybookCheck, PlaybookVersionOut
from calmline.api.security import AdminUser, CurrentUser
from calmline.api.state import service_state
from calmline.errors import PlaybookError
from calmline.playbook import Playbook, parse_playbook
from calmline.storage import audit
from calmline.storage.playbooks import active_version, add_version, get_version, list_versions

router = APIRouter(prefix="/v1/playbook", tags=["playbook"])

_YAML = {
    "requestBody": {
        "required": True,
        "description": "The playbook file (YAML), as `calmline playbook show` describes it.",
        "content": {kind: {"schema": {"type": "string"}}
                    for kind in ("application/yaml", "text/yaml", "text/plain")},
    }
}


@router.get("", response_model=PlaybookVersionOut, responses=responses(401))
def active(request: Request, who: CurrentUser) -> PlaybookVersionOut:
    """The playbook new calls are scored with, with its YAML."""
    with service_state(request).database.session() as db:
        return PlaybookVersionOut.of(active_version(db), with_source=True)


@router.put("", response_model=PlaybookVersionOut, openapi_extra=_YAML,
            responses=responses(401, 403, 413, 422))
async def replace(request: Request, who: AdminUser) -> PlaybookVersionOut:
    """Make a new playbook version active. Calls already scored keep the version they had."""
    state = service_state(request)
    source, playbook = _parse(await read_body(request, state.settings.max_body_bytes))
    with state.database.session() as db:
        row = add_version(db, playbook, source, who.user_id)
        audit.record(db, who, "playbook.replace", detail=f"version {row.id}: {row.name} {row.version}")
        return PlaybookVersionOut.of(row, with_source=True)


@router.post("/validate", response_model=PlaybookCheck, openapi_extra=_YAML,
             responses=responses(401, 403, 413))
async def validate(request: Request, who: AdminUser) -> PlaybookCheck:
    """Check a playbook without making it active: every problem, with its line."""
    try:
        _, book = _parse(await read_body(request, service_state(request).settings.max_body_bytes))
    except PlaybookError as error:
        return PlaybookCheck(valid=False, issues=error.issues)
    return PlaybookCheck(valid=True, name=book.name, version=str(book.version),
                         techniques=len(book.techniques))


@router.get("/versions", response_model=list[PlaybookVersionOut], responses=responses(401))
def versions(request: Request, who: CurrentUser) -> list[PlaybookVersionOut]:
    """Every playbook version, oldest first."""
    with service_state(request).database.session() as db:
        active_version(db)
        return [PlaybookVersionOut.of(v) for v in list_versions(db)]


@router.get("/versions/{version_id}", response_model=PlaybookVersionOut, responses=responses(401, 404, 422))
def version(request: Request, who: CurrentUser,
            version_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> PlaybookVersionOut:
    """One playbook version with its YAML (what an old report was scored with)."""
    with service_state(request).database.session() as db:
        row = get_version(db, version_id)
        if row is None:
            raise ApiError(404, f"no playbook version {version_id}")
        return PlaybookVersionOut.of(row, with_source=True)


def _parse(data: bytes) -> tuple[str, Playbook]:
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlaybookError([f"byte {exc.start}: not UTF-8 text"], source="request body") from None
    return source, parse_playbook(source, source="request body")
