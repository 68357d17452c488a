"""Arbitrary bytes either read as a conversation with turns or raise CalmlineError: nothing else."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calmline.conversation import Conversation
from calmline.errors import CalmlineError
from calmline.formats import FORMATS, parse_conversation

# Bytes shaped like the formats, so the fuzzer reaches the parsers rather than the decoders.
PREFIXES = [
    b"",
    b"WEBVTT\n\n",
    b"Agent: ",
    b"role,text\n",
    b'{"turns": [',
    b"{",
    b"1\n00:00:01,000 --> ",
    b'{"Transcript": [{"ParticipantRole": "AGENT", "Content": ',
]
shaped = st.tuples(st.sampled_from(PREFIXES), st.binary(max_size=300)).map(lambda p: p[0] + p[1])
texty = st.text(
    alphabet=st.sampled_from('Agent:Customer: {}[]",\n0123456789.-->tx<v>'), max_size=200
).map(str.encode)


def outcome(data: bytes, format_name: str | None) -> Conversation | CalmlineError:
    try:
        return parse_conversation(data, source="fuzz.bin", format=format_name)
    except CalmlineError as error:
        return error


def check(data: bytes, format_name: str | None) -> None:
    result = outcome(data, format_name)
    if isinstance(result, CalmlineError):
        assert result.message.startswith(f"[{result.code.value}] fuzz.bin")
    else:
        assert isinstance(result, Conversation)
        assert len(result.turns) >= 1


@pytest.mark.parametrize("format_name", [None, *FORMATS])
@settings(max_examples=150, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), shaped, texty))
def test_arbitrary_bytes_give_a_conversation_or_a_calmline_error(
    format_name: str | None, data: bytes
) -> None:
    check(data, format_name)


# JSON documents built from each vendor's own key names, so wrong types reach every field.
KEYS = [
    "id",
    "turns",
    "role",
    "text",
    "speaker",
    "begin_ms",
    "end_ms",
    "channel",
    "metadata",
    "started_at",
    "Participants",
    "ParticipantId",
    "ParticipantRole",
    "Transcript",
    "Content",
    "BeginOffsetMillis",
    "EndOffsetMillis",
    "CustomerMetadata",
    "ContactId",
    "JobStatus",
    "Categories",
    "MatchedCategories",
    "ContentMetadata",
    "Output",
    "Channel",
    "JobName",
    "transcript",
    "transcriptSegments",
    "segmentParticipant",
    "channelTag",
    "callMetadata",
    "agentChannel",
    "customerChannel",
    "words",
    "startOffset",
    "endOffset",
    "name",
    "medium",
    "startTime",
    "transcripts",
    "phrases",
    "participantPurpose",
    "startTimeMs",
    "duration",
    "milliseconds",
    "conversationStartTime",
    "mediaType",
    "conversationId",
]
VALUES = [
    "agent",
    "AGENT",
    "CUSTOMER",
    "END_USER",
    "internal",
    "external",
    "1.5s",
    "2",
    "²",
    "",
    "VOICE",
    "chat",
    "2024-01-01T00:00:00Z",
    "COMPLETED",
]
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True)
    | st.sampled_from(VALUES)
    | st.text(max_size=5)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)
    ),
    max_leaves=25,
)


@pytest.mark.parametrize(
    "format_name", ["json", "contact_lens", "transcribe_call_analytics", "ccai", "genesys"]
)
@settings(max_examples=300, deadline=None)
@given(document=json_values)
def test_arbitrary_json_documents_give_a_conversation_or_a_calmline_error(
    format_name: str, document: object
) -> None:
    check(json.dumps(document).encode(), format_name)
