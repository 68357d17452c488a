"""Every transcript format calmline reads, registered by name (for ``--format`` and the
``calmline formats`` listing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from calmline.conversation import Conversation
from calmline.errors import ErrorCode, FormatError
from calmline.formats.base import ReadContext
from calmline.formats.ccai import parse_ccai
from calmline.formats.contact_lens import parse_contact_lens
from calmline.formats.csv_table import parse_csv
from calmline.formats.genesys import parse_genesys
from calmline.formats.native import parse_json
from calmline.formats.plain_text import parse_text
from calmline.formats.srt import parse_srt
from calmline.formats.transcribe import parse_transcribe
from calmline.formats.webvtt import parse_vtt

Parser = Callable[[str, ReadContext], Conversation]


@dataclass(frozen=True, slots=True)
class ReaderInfo:
    """A format: its name, a one-line description, usual file extensions, and its parser.

    ``streaming`` formats hold many conversations and are read record by record; their
    ``parse`` is None.
    """

    name: str
    description: str
    extensions: tuple[str, ...]
    parse: Parser | None
    streaming: bool = False


_READERS = (
    ReaderInfo("json", "calmline native JSON: one conversation object", (".json",), parse_json),
    ReaderInfo(
        "jsonl",
        "calmline native JSONL: one conversation per line, streamed",
        (".jsonl", ".ndjson"),
        None,
        streaming=True,
    ),
    ReaderInfo(
        "text",
        "plain text, one 'Agent: ...' / 'Customer: ...' line per turn",
        (".txt", ".text", ".log"),
        parse_text,
    ),
    ReaderInfo(
        "csv",
        "CSV with a header: role (or speaker), text, optional start, end",
        (".csv", ".tsv"),
        parse_csv,
    ),
    ReaderInfo(
        "vtt", "WebVTT captions with <v Speaker> spans or 'Speaker:' prefixes", (".vtt",), parse_vtt
    ),
    ReaderInfo("srt", "SubRip subtitles with 'Speaker:' prefixes", (".srt",), parse_srt),
    ReaderInfo(
        "contact_lens",
        "Amazon Connect Contact Lens post-call analysis output",
        (".json",),
        parse_contact_lens,
    ),
    ReaderInfo(
        "transcribe_call_analytics",
        "Amazon Transcribe Call Analytics output",
        (".json",),
        parse_transcribe,
    ),
    ReaderInfo("ccai", "Google Contact Center AI Insights conversation", (".json",), parse_ccai),
    ReaderInfo(
        "genesys", "Genesys Cloud speech and text analytics transcript", (".json",), parse_genesys
    ),
)

FORMATS: dict[str, ReaderInfo] = {reader.name: reader for reader in _READERS}

# Other names people use for the same formats.
_ALIASES = {
    "native": "json",
    "ndjson": "jsonl",
    "txt": "text",
    "plain": "text",
    "webvtt": "vtt",
    "subrip": "srt",
    "transcribe": "transcribe_call_analytics",
    "tca": "transcribe_call_analytics",
    "contactlens": "contact_lens",
    "connect": "contact_lens",
    "insights": "ccai",
    "genesys_cloud": "genesys",
}


def reader_for(name: str, source: str | None = None) -> ReaderInfo:
    """The reader registered as ``name`` (or one of its aliases), or an E007 error."""
    key = name.strip().lower().replace("-", "_")
    info = FORMATS.get(_ALIASES.get(key, key))
    if info is None:
        raise FormatError(
            f"unknown format {name!r}",
            source=source,
            code=ErrorCode.E007_UNKNOWN_FORMAT,
            hint=f"use one of: {', '.join(FORMATS)}",
        )
    return info
