"""Timed caption cues (WebVTT, SRT) to turns: find each line's speaker from a ``<v Name>`` voice
span or a ``Name:`` prefix, and merge consecutive lines of the same speaker into one turn."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
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

_VOICE = re.compile(r"^\s*<v(?:\.[\w.-]+)*[ \t]+(?P<name>[^>]+)>")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_PREFIX = re.compile(rf"^\s*(?P<name>{SPEAKER_LABEL})\s*:(?:\s+|$)(?P<text>.*)$")
_TIMING = re.compile(r"^\s*(?P<begin>\S+)\s+-->\s+(?P<end>\S+)")
# A name that starts two or more cue lines is a speaker, not a word followed by a colon.
_UNKNOWN_SPEAKER_MIN_LINES = 2


@dataclass(frozen=True, slots=True)
class Cue:
    """One caption cue: its times, payload lines, and the line number its timing is on."""

    begin_ms: int
    end_ms: int
    lines: tuple[str, ...]
    line: int


@dataclass
class _Turns:
    """Mutable state while merging cue lines into turns; private to this module."""

    turns: list[RawTurn] = field(default_factory=list)
    unknown: dict[str, list[int]] = field(default_factory=dict)
    unattributed: list[int] = field(default_factory=list)


def blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Blank-line separated blocks with the line number each starts on."""
    block: list[str] = []
    start = 1
    for number, line in enumerate(lines, start=1):
        if line.strip():
            start = start if block else number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def parse_timing(line: str, number: int, context: ReadContext) -> tuple[int, int] | None:
    """``begin --> end`` in milliseconds; None when ``line`` is not a timing line."""
    match = _TIMING.match(line)
    if match is None or "-->" not in line:
        return None
    begin, end = clock_ms(match["begin"]), clock_ms(match["end"])
    if begin is None or end is None:
        fail(
            context,
            ErrorCode.E004_MALFORMED,
            f"bad cue timing {line.strip()!r:.60}",
            f"line {number}",
            "write times as hh:mm:ss.mmm --> hh:mm:ss.mmm",
        )
    return begin, end


def cues_to_conversation(cues: Iterable[Cue], context: ReadContext) -> Conversation:
    """Build the conversation from cues, refusing cues whose speaker cannot be told."""
    state = _Turns()
    for cue in cues:
        for line in cue.lines:
            _add_line(state, cue, line, context)
    _check_speakers(state, context)
    return build_conversation(ConversationFields(context.stem), state.turns, context)


def _add_line(state: _Turns, cue: Cue, line: str, context: ReadContext) -> None:
    name, text = _speaker_and_text(line)
    role = role_of(name, context.speakers) if name is not None else None
    if name is not None and role is None and _VOICE.match(line):
        fail(
            context,
            ErrorCode.E006_NO_SPEAKERS,
            unknown_speakers_problem({name: [cue.line]}),
            f"line {cue.line}",
            MAPPING_HINT,
        )
    if role is None:
        _continue(state, cue, _plain(line))
        return
    last = state.turns[-1] if state.turns else None
    if last is not None and (last.role, last.speaker) == (role, name):
        state.turns[-1] = _extend(last, cue, text)
    else:
        state.turns.append(RawTurn(role, text, f"line {cue.line}", name, cue.begin_ms, cue.end_ms))


def _speaker_and_text(line: str) -> tuple[str | None, str]:
    voice = _VOICE.match(line)
    if voice is not None:
        return voice["name"].strip(), _plain(line[voice.end() :])
    plain = _plain(line)
    prefix = _PREFIX.match(plain)
    if prefix is None:
        return None, plain
    return prefix["name"].strip(), prefix["text"]


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub("", text)).strip()


def _continue(state: _Turns, cue: Cue, text: str) -> None:
    prefix = _PREFIX.match(text)
    if prefix is not None:
        state.unknown.setdefault(prefix["name"].strip(), []).append(cue.line)
    if not state.turns:
        if text.strip():
            state.unattributed.append(cue.line)
        return
    state.turns[-1] = _extend(state.turns[-1], cue, text)


def _extend(turn: RawTurn, cue: Cue, text: str) -> RawTurn:
    joined = f"{turn.text} {text}".strip()
    end = max(turn.end_ms or 0, cue.end_ms)
    return RawTurn(turn.role, joined, turn.location, turn.speaker, turn.begin_ms, end)


def _check_speakers(state: _Turns, context: ReadContext) -> None:
    repeated = {
        name: lines
        for name, lines in state.unknown.items()
        if len(lines) >= _UNKNOWN_SPEAKER_MIN_LINES
    }
    if repeated or not state.turns:
        problem = (
            unknown_speakers_problem(repeated or state.unknown)
            if state.unknown
            else "no cue names its speaker"
        )
        fail(context, ErrorCode.E006_NO_SPEAKERS, problem, hint=MAPPING_HINT)
    if state.unattributed:
        fail(
            context,
            ErrorCode.E006_NO_SPEAKERS,
            "this cue comes before any speaker is named",
            f"line {state.unattributed[0]}",
            "start the cue with <v Agent> or 'Agent:'",
        )
