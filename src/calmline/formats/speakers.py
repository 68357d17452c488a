"""Speaker names to roles, for the formats that label turns with free-text names
(plain text, CSV, WebVTT, SRT)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from calmline.conversation import Role
from calmline.errors import ErrorCode, FormatError

# Names contact-centre exports and hand-written transcripts use for each side.
DEFAULT_SPEAKERS: Mapping[str, Role] = MappingProxyType(
    {
        **dict.fromkeys(
            (
                "agent",
                "representative",
                "rep",
                "csr",
                "advisor",
                "adviser",
                "associate",
                "operator",
                "support",
                "service agent",
                "customer service",
                "supervisor",
                "manager",
                "team lead",
                "specialist",
            ),
            Role.AGENT,
        ),
        **dict.fromkeys(("customer", "caller", "client", "user", "member", "guest"), Role.CUSTOMER),
        **dict.fromkeys(("system", "ivr", "bot", "virtual agent", "automated"), Role.SYSTEM),
    }
)

# A speaker label: 1-4 short words of letters, digits and name punctuation (not a sentence).
SPEAKER_LABEL = r"[^\W_][\w.'&-]{0,29}(?: [\w.'&-]{1,20}){0,3}"
_SPACES = re.compile(r"\s+")


def speaker_key(name: str) -> str:
    """Normalise a speaker name for lookup: case- and spacing-insensitive."""
    return _SPACES.sub(" ", name.strip()).casefold()


def parse_role(value: str) -> Role | None:
    """The role named exactly ``agent``/``customer``/``system`` (any case), else None."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        return None


def speaker_roles(speakers: Mapping[str, str] | None, *, source: str) -> Mapping[str, Role]:
    """Merge a caller's ``{name: role}`` mapping over the defaults, validating each role."""
    merged = dict(DEFAULT_SPEAKERS)
    for name, role_name in (speakers or {}).items():
        role = role_name if isinstance(role_name, Role) else parse_role(str(role_name))
        if role is None or not name.strip():
            raise FormatError(
                f"speaker mapping {name!r}: {role_name!r} is not agent, customer or system",
                source=source,
                code=ErrorCode.E005_SCHEMA,
                hint='use e.g. speakers={"Rep": "agent", "Caller": "customer"}',
            )
        merged[speaker_key(name)] = role
    return MappingProxyType(merged)


def role_of(name: str, roles: Mapping[str, Role]) -> Role | None:
    """The role of speaker ``name``; trailing numbers are ignored (``Agent 1`` is an agent)."""
    key = speaker_key(name)
    found = roles.get(key)
    if found is None:
        found = roles.get(key.rstrip("0123456789 ").rstrip())
    return found


MAPPING_HINT = 'map the names to roles, e.g. speakers={"Dana": "agent", "Sam": "customer"}'


def unknown_speakers_problem(unknown: Mapping[str, list[int]]) -> str:
    """Describe speaker names (with the first line each appears on) that map to no role."""
    names = ", ".join(f"{name!r} (line {lines[0]})" for name, lines in list(unknown.items())[:5])
    return f"speakers with no known role: {names}"
