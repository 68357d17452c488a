"""WebVTT captions with speakers: ``<v Agent>...</v>`` voice spans or ``Agent: ...`` prefixes;
cue times become each turn's offsets."""

from __future__ import annotations

from collections.abc import Iterator

from calmline.conversation import Conversation
from calmline.errors import ErrorCode
from calmline.formats.base import ReadContext, fail
from calmline.formats.cues import Cue, blocks, cues_to_conversation, parse_timing

_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


def parse_vtt(text: str, context: ReadContext) -> Conversation:
    """Read a WebVTT file."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].startswith("WEBVTT"):
        fail(context, ErrorCode.E004_MALFORMED, "a WebVTT file must start with 'WEBVTT'", "line 1")
    return cues_to_conversation(_cues(lines, context), context)


def _cues(lines: list[str], context: ReadContext) -> Iterator[Cue]:
    for start, block in blocks(lines):
        if block[0].startswith(("WEBVTT", *_SKIPPED_BLOCKS)):
            continue
        yield _cue(start, block, context)


def _cue(start: int, block: list[str], context: ReadContext) -> Cue:
    """A cue is an optional identifier line, a timing line, then the payload."""
    for offset, line in enumerate(block[:2]):
        timing = parse_timing(line, start + offset, context)
        if timing is not None:
            payload = tuple(block[offset + 1 :])
            return Cue(timing[0], timing[1], payload, start + offset)
    fail(
        context,
        ErrorCode.E004_MALFORMED,
        "this block has no 'begin --> end' timing line",
        f"line {start}",
        "separate cues with one blank line",
    )
