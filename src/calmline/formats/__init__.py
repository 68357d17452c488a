"""Transcript readers and the native writer: every supported format in, one
:class:`~calmline.conversation.Conversation` model out, with located errors for bad input."""

from calmline.formats.base import MAX_FILE_BYTES, MAX_RECORD_BYTES, MAX_TURN_CHARS
from calmline.formats.detect import detect_format
from calmline.formats.native import to_record, write_json
from calmline.formats.reading import (
    parse_conversation,
    parse_conversations,
    read_conversation,
    read_conversations,
)
from calmline.formats.registry import FORMATS, ReaderInfo, reader_for
from calmline.formats.speakers import DEFAULT_SPEAKERS

__all__ = [
    "DEFAULT_SPEAKERS",
    "FORMATS",
    "MAX_FILE_BYTES",
    "MAX_RECORD_BYTES",
    "MAX_TURN_CHARS",
    "ReaderInfo",
    "detect_format",
    "parse_conversation",
    "parse_conversations",
    "read_conversation",
    "read_conversations",
    "reader_for",
    "to_record",
    "write_json",
]
