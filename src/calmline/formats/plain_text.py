"""Plain-text transcripts: ``Agent: ...`` / ``Customer: ...`` lines, optional ``[00:01:02]``
timestamps, and continuation lines that belong to the previous speaker."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from calmline.conversation import Conversation
from calmline.errors import ErrorCode
from calmline.formats.base import ConversationFields, RawTurn, ReadContext, build_conversation, fail
from calmline.formats.speakers import (
    MAPPING_HINT,
    SPEAKER_LABEL,
    role_of,
    unknown_speakers_problem,
)
from calmline.formats.timecodes import clock_ms

_STAMP = r"\[(?P<{name}>\d{{1,3}}(?::\d{{1,2}}){{1,2}}(?:[.,]\d{{1,3}})?)\]"
_LINE = re.compile(
    rf"^\s*(?:{_STAMP.format(name='lead')}\s*)?(?P<name>{SPEAKER_LABEL})"
    rf"\s*(?:{_STAMP.format(name='trail')})?\s*:(?:\s+|$)(?P<text>.*)$"
)
_LEADING_STAMP = re.compile(rf"^\s*{_STAMP.format(name='lead')}\s*")
# A name that starts two or more lines is a speaker, not a word followed by a colon.
_UNKNOWN_SPEAKER_MIN_LINES = 2


@dataclass
class _Scan:
    """Mutable state while scanning lines; private to this module."""

    turns: list[RawTurn] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    unknown: dict[str, list[int]] = field(default_factory=dict)


def parse_text(text: str, context: ReadContext) -> Conversation:
    """Read a plain-text transcript."""
    scan = _Scan()
    for number, line in enumerate(text.splitlines(), start=1):
        _scan_line(scan, number, line, context)
    _check_speakers(scan, context)
    metadata = {"preamble": "\n".join(scan.preamble)} if scan.preamble else {}
    return build_conversation(
        ConversationFields(context.stem, metadata=metadata), scan.turns, context
    )


def _scan_line(scan: _Scan, number: int, line: str, context: ReadContext) -> None:
    match = _LINE.match(line)
    role = role_of(match["name"], context.speakers) if match else None
    if match and role is not None:
        stamp = match["lead"] or match["trail"]
        begin = clock_ms(stamp) if stamp else None
        scan.turns.append(RawTurn(role, match["text"], f"line {number}", match["name"], begin))
        return
    if match:
        scan.unknown.setdefault(match["name"].strip(), []).append(number)
    _continue(scan, _LEADING_STAMP.sub("", line))


def _continue(scan: _Scan, text: str) -> None:
    if not scan.turns:
        if text.strip():
            scan.preamble.append(text.strip())
        return
    last = scan.turns[-1]
    joined = f"{last.text}\n{text.strip()}" if text.strip() else last.text
    scan.turns[-1] = RawTurn(last.role, joined, last.location, last.speaker, last.begin_ms)


def _check_speakers(scan: _Scan, context: ReadContext) -> None:
    repeated = {
        name: lines
        for name, lines in scan.unknown.items()
        if len(lines) >= _UNKNOWN_SPEAKER_MIN_LINES
    }
    if repeated:
        fail(
            context,
            ErrorCode.E006_NO_SPEAKERS,
            unknown_speakers_problem(repeated),
            f"line {min(min(lines) for lines in repeated.values())}",
            MAPPING_HINT,
        )
    if not scan.turns:
        problem = (
            unknown_speakers_problem(scan.unknown)
            if scan.unknown
            else "no 'Agent: ...' / 'Customer: ...' lines were found"
        )
        fail(context, ErrorCode.E006_NO_SPEAKERS, problem, hint=MAPPING_HINT)
