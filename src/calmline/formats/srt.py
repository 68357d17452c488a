"""SubRip (SRT) subtitles with speakers: ``Agent: ...`` prefixes (or ``<v Agent>`` spans);
cue times become each turn's offsets."""

from __future__ import annotations

from collections.abc import Iterator

from calmline.conversation import Conversation
from calmline.errors import ErrorCode
from calmline.formats.base import ReadContext, fail
from calmline.formats.cues import Cue, blocks, cues_to_conversation, parse_timing


def parse_srt(text: str, context: ReadContext) -> Conversation:
    """Read an SRT file."""
    return cues_to_conversation(_cues(text.lstrip("\ufeff").splitlines(), context), context)


def _cues(lines: list[str], context: ReadContext) -> Iterator[Cue]:
    for start, block in blocks(lines):
        yield _cue(start, block, context)


def _cue(start: int, block: list[str], context: ReadContext) -> Cue:
    """A cue is a sequence number, a timing line, then the text; the number may be missing."""
    for offset, line in enumerate(block[:2]):
        timing = parse_timing(line, start + offset, context)
        if timing is not None:
            return Cue(timing[0], timing[1], tuple(block[offset + 1 :]), start + offset)
    fail(
        context,
        ErrorCode.E004_MALFORMED,
        "this block has no '00:00:01,000 --> ...' timing line",
        f"line {start}",
        "separate subtitles with one blank line",
    )
