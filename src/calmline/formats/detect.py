"""Guess a transcript's format from the start of its content, using the file name only to
break ties (``.jsonl``) or as a last resort."""

from __future__ import annotations

import json
import re
from pathlib import PurePath

from calmline.errors import ErrorCode, FormatError
from calmline.formats.csv_table import csv_header_looks_right
from calmline.formats.speakers import SPEAKER_LABEL

_SRT_TIMING = re.compile(r"^\s*\d+:\d{2}:\d{2},\d{1,3}\s+-->\s+", re.MULTILINE)
_SPEAKER_LINE = re.compile(
    rf"^\s*(?:\[[\d:.,]+\]\s*)?{SPEAKER_LABEL}\s*(?:\[[\d:.,]+\])?\s*:[ \t]+\S", re.MULTILINE
)
_TIMESTAMP_START = re.compile(r"\[\d{1,3}:\d")
_BY_EXTENSION = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".csv": "csv",
    ".tsv": "csv",
    ".vtt": "vtt",
    ".srt": "srt",
}
# Keys that only one vendor's JSON has, checked in this order (Contact Lens output also
# has Transcribe's ParticipantRole, so it goes first).
_JSON_SIGNATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("contact_lens", ("CustomerMetadata",)),
    ("contact_lens", ("Participants", "ParticipantId")),
    ("transcribe_call_analytics", ("Transcript", "ParticipantRole")),
    ("ccai", ("transcriptSegments",)),
    ("genesys", ("phrases", "participantPurpose")),
    ("genesys", ("transcripts", "conversationId")),
    ("json", ("turns",)),
)


def detect_format(head: str | bytes, filename: str | PurePath | None = None) -> str:
    """Name the format of content starting with ``head`` (the first few KB are enough)."""
    text = _head_text(head).lstrip("\ufeff \t\r\n")
    suffix = PurePath(filename).suffix.lower() if filename else ""
    found = _by_content(text, suffix)
    if found is None:
        found = _BY_EXTENSION.get(suffix)
    if found is None:
        raise FormatError(
            "cannot tell the transcript format from the content",
            source=str(filename) if filename else None,
            code=ErrorCode.E007_UNKNOWN_FORMAT,
            hint="name it with format=..., one of: json, jsonl, text, csv, vtt, srt, "
            "contact_lens, transcribe_call_analytics, ccai, genesys",
        )
    return found


def _head_text(head: str | bytes) -> str:
    """Enough of the head as text to recognise it; broken bytes are reported later."""
    if isinstance(head, str):
        return head
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    return head.decode("utf-16" if utf16 else "utf-8", errors="replace")


def _by_content(text: str, suffix: str) -> str | None:
    if text.startswith("WEBVTT"):
        return "vtt"
    if text.startswith("{") or (text.startswith("[") and not _TIMESTAMP_START.match(text)):
        return _json_kind(text, suffix)
    if _SRT_TIMING.search(text[:2000]):
        return "srt"
    if csv_header_looks_right(text.split("\n", 1)[0]):
        return "csv"
    return "text" if _SPEAKER_LINE.search(text) else None


def _json_kind(text: str, suffix: str) -> str | None:
    if suffix in (".jsonl", ".ndjson") or _is_json_lines(text):
        return "jsonl"
    for name, keys in _JSON_SIGNATURES:
        if all(re.search(rf'"{key}"\s*:', text) for key in keys):
            return name
    return None


def _is_json_lines(text: str) -> bool:
    """Two or more lines, the first a whole JSON object on its own."""
    first, _, rest = text.partition("\n")
    if not rest.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False
