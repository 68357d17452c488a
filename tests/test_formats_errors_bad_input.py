"""Bad input of every kind, for every reader, raises a located CalmlineError with the right code."""

from __future__ import annotations

import json
from typing import Any

import pytest

from calmline.errors import CalmlineError, ErrorCode
from calmline.formats import FORMATS, MAX_TURN_CHARS, parse_conversation

E002, E003, E004, E005, E006, E007, E008 = (
    ErrorCode.E002_ENCODING,
    ErrorCode.E003_EMPTY,
    ErrorCode.E004_MALFORMED,
    ErrorCode.E005_SCHEMA,
    ErrorCode.E006_NO_SPEAKERS,
    ErrorCode.E007_UNKNOWN_FORMAT,
    ErrorCode.E008_TOO_LARGE,
)
SOURCE = "calls/bad-input.dat"


def error_of(data: str | bytes, format_name: str | None) -> CalmlineError:
    with pytest.raises(CalmlineError) as caught:
        parse_conversation(data, source=SOURCE, format=format_name)
    return caught.value


def js(value: Any) -> str:
    return json.dumps(value)


# A minimal valid document per format, with {text} where the first turn's text goes.
VALID = {
    "json": js({"turns": [{"role": "agent", "text": "@T"}, {"role": "customer", "text": "hi"}]}),
    "jsonl": js({"turns": [{"role": "agent", "text": "@T"}]}) + "\n",
    "text": "Agent: @T\nCustomer: hi\n",
    "csv": "role,text\nagent,@T\ncustomer,hi\n",
    "vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Agent>@T\n",
    "srt": "1\n00:00:01,000 --> 00:00:02,000\nAgent: @T\n",
    "contact_lens": js(
        {
            "Participants": [{"ParticipantId": "A", "ParticipantRole": "AGENT"}],
            "CustomerMetadata": {"ContactId": "c"},
            "Transcript": [
                {
                    "ParticipantId": "A",
                    "Content": "@T",
                    "BeginOffsetMillis": 0,
                    "EndOffsetMillis": 5,
                }
            ],
        }
    ),
    "transcribe_call_analytics": js(
        {"JobName": "j", "Transcript": [{"ParticipantRole": "AGENT", "Content": "@T"}]}
    ),
    "ccai": js(
        {
            "transcript": {
                "transcriptSegments": [
                    {"text": "@T", "segmentParticipant": {"role": "HUMAN_AGENT"}}
                ]
            }
        }
    ),
    "genesys": js(
        {
            "conversationId": "g",
            "transcripts": [
                {"phrases": [{"text": "@T", "participantPurpose": "internal", "startTimeMs": 5}]}
            ],
        }
    ),
}


def valid(format_name: str, text: str = "Hello there.") -> str:
    return VALID[format_name].replace("@T", text)


def test_every_format_has_a_valid_sample() -> None:
    assert set(VALID) == set(FORMATS)
    for name in FORMATS:
        assert parse_conversation(valid(name), source=SOURCE, format=name).turns[0].text == (
            "Hello there."
        )


GENERIC_BAD: list[tuple[str, bytes, ErrorCode, str]] = [
    ("empty", b"", E003, "empty"),
    ("blank", b"  \n\t\n", E003, ""),
    ("latin-1", "Agent: Ça coûte très cher\n".encode("latin-1"), E002, "line 1, column 8"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", E002, "PNG"),
    ("zip", b"PK\x03\x04\x14\x00\x00\x00", E002, "ZIP"),
    ("nul", b"Agent: hi\x00\x00\x00there", E002, "NUL"),
]


@pytest.mark.parametrize("format_name", [*FORMATS, None])
@pytest.mark.parametrize(
    ("case", "data", "code", "needle"), GENERIC_BAD, ids=[c[0] for c in GENERIC_BAD]
)
def test_generic_bad_input(
    format_name: str | None, case: str, data: bytes, code: ErrorCode, needle: str
) -> None:
    error = error_of(data, format_name)
    assert error.code is code
    assert SOURCE in error.message
    assert needle in error.message


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_huge_turn_text_is_e008_with_place(format_name: str) -> None:
    error = error_of(valid(format_name, "x" * (MAX_TURN_CHARS + 1)), format_name)
    assert error.code is E008
    assert error.location


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_whitespace_only_turns_are_e003(format_name: str) -> None:
    content = valid(format_name, "   ").replace("Customer: hi\n", "")
    content = content.replace("customer,hi\n", "")
    content = content.replace(', {"role": "customer", "text": "hi"}', "")
    assert error_of(content, format_name).code in (E003, E006)


JSON_FORMATS = ["json", "contact_lens", "transcribe_call_analytics", "ccai", "genesys"]


@pytest.mark.parametrize("format_name", JSON_FORMATS)
def test_truncated_json_is_e004_with_line(format_name: str) -> None:
    content = json.dumps(json.loads(valid(format_name)), indent=2)
    error = error_of(content[: len(content) // 2], format_name)
    assert error.code is E004
    assert "line " in (error.location or "")


@pytest.mark.parametrize("format_name", JSON_FORMATS)
def test_json_not_an_object_is_e005(format_name: str) -> None:
    assert error_of("[1, 2, 3]", format_name).code is E005


SPECIFIC_BAD: list[tuple[str, str, ErrorCode, str]] = [
    # native JSON
    ("json", "{'id': 'x'}", E004, "line 1, column 2"),
    ("json", js({"turns": "Agent: hi"}), E005, "turns"),
    ("json", js({"turns": [{"role": "agent", "text": 42}]}), E005, "turns[0].text"),
    ("json", js({"turns": [{"role": "agent"}]}), E005, "turns[0].text"),
    (
        "json",
        js({"turns": [{"role": "agent", "text": "a"}, {"role": "boss", "text": "b"}]}),
        E005,
        "turns[1].role",
    ),
    (
        "json",
        js({"turns": [{"role": "agent", "text": "a", "begin_ms": -5}]}),
        E005,
        "turns[0].begin_ms",
    ),
    (
        "json",
        js({"turns": [{"role": "agent", "text": "a", "end_ms": "soon"}]}),
        E005,
        "turns[0].end_ms",
    ),
    ("json", js({"turns": [{"role": "agent", "text": "a", "begin_ms": True}]}), E005, "begin_ms"),
    ("json", js({"started_at": "yesterday", "turns": []}), E005, "started_at"),
    ("json", js({"channel": "fax", "turns": []}), E005, "channel"),
    ("json", js({"metadata": [], "turns": []}), E005, "metadata"),
    ("json", js({"turns": []}), E003, "no turns"),
    ("json", js({"turns": [{"role": "system", "text": "Recorded line."}]}), E006, ""),
    ("json", "[" * 100_000, E004, "nested too deeply"),
    (
        "json",
        '{"turns": [{"role": "agent", "text": "a", "begin_ms": 1' + "0" * 400 + "}]}",
        E005,
        "turns[0].begin_ms",
    ),
    (
        "json",
        '{"turns": [{"role": "agent", "text": "a", "begin_ms": 1' + "0" * 5000 + "}]}",
        E004,
        "4300",
    ),
    # native JSONL
    ("jsonl", valid("jsonl") + '{"turns": [\n', E004, "line 2"),
    ("jsonl", valid("jsonl") + "\n" + js({"turns": 7}) + "\n", E005, "line 3, turns"),
    ("jsonl", valid("jsonl") + js({"turns": []}) + "\n", E003, "line 2"),
    # plain text
    ("text", "Hello, I have a question about my bill.\nThanks.", E006, "no 'Agent: ...'"),
    ("text", "Dana: hi\nAgent: hello\nDana: my bill", E006, "'Dana' (line 1)"),
    ("text", "System: Recorded line.", E006, "agent or a customer"),
    # CSV
    ("csv", "who,what\nagent,hi\n", E005, "line 1"),
    ("csv", "role,text\nagent,hi,extra\n", E005, "line 2"),
    ("csv", "role,text\nagent,hi\nboss,hello\n", E006, "line 3, column 'role'"),
    ("csv", "role,text,start\nagent,hi,soon\n", E005, "column 'start'"),
    ("csv", 'role,text\nagent,"unterminated\n', E004, "line 2"),
    ("csv", 'role,text\nagent,"bad"quote,x\n', E004, "line 2"),
    ("csv", "role,text\n", E003, "no turns"),
    # WebVTT
    ("vtt", "00:01.000 --> 00:02.000\n<v Agent>hi\n", E004, "line 1"),
    ("vtt", "WEBVTT\n\n00:01.000 --> later\n<v Agent>hi\n", E004, "line 3"),
    ("vtt", "WEBVTT\n\n<v Agent>hi\n", E004, "line 3"),
    ("vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Bob>hi\n", E006, "'Bob'"),
    ("vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\njust words\n", E006, "no cue names"),
    (
        "vtt",
        "WEBVTT\n\n00:01.000 --> 00:02.000\nwords\n\n00:02.000 --> 00:03.000\nAgent: hi\n",
        E006,
        "line 3",
    ),
    # SRT
    ("srt", "1\nAgent: hi\n", E004, "line 1"),
    ("srt", "1\n00:00:01,000 --> 00:00:0x,000\nAgent: hi\n", E004, "line 2"),
    ("srt", "1\n00:00:01,000 --> 00:00:02,000\nHello there\n", E006, ""),
    # Contact Lens
    ("contact_lens", js({"Transcript": []}), E005, "Participants"),
    (
        "contact_lens",
        valid("contact_lens").replace('"Content": "Hello there."', '"Content": 3'),
        E005,
        "Transcript[0].Content",
    ),
    (
        "contact_lens",
        valid("contact_lens").replace(
            '"ParticipantId": "A", "Content"', '"ParticipantId": "Z", "Content"'
        ),
        E005,
        "Transcript[0].ParticipantId",
    ),
    (
        "contact_lens",
        valid("contact_lens").replace('"ParticipantRole": "AGENT"', '"ParticipantRole": "BOSS"'),
        E005,
        "Participants[0].ParticipantRole",
    ),
    (
        "contact_lens",
        valid("contact_lens").replace("{", '{"JobStatus": "FAILED", ', 1),
        E005,
        "FAILED",
    ),
    (
        "contact_lens",
        valid("contact_lens").replace('"BeginOffsetMillis": 0', '"BeginOffsetMillis": "0"'),
        E005,
        "Transcript[0].BeginOffsetMillis",
    ),
    # Transcribe Call Analytics
    ("transcribe_call_analytics", js({"JobName": "j", "Transcript": {}}), E005, "Transcript"),
    (
        "transcribe_call_analytics",
        js({"Transcript": [{"ParticipantRole": "BOT", "Content": "x"}]}),
        E005,
        "Transcript[0].ParticipantRole",
    ),
    (
        "transcribe_call_analytics",
        js({"Transcript": [{"Content": "x"}]}),
        E005,
        "Transcript[0].ParticipantRole",
    ),
    ("transcribe_call_analytics", js({"Channel": "FAX", "Transcript": []}), E005, "Channel"),
    # CCAI Insights
    ("ccai", js({"name": "c"}), E005, "transcript"),
    (
        "ccai",
        js({"transcript": {"transcriptSegments": [{"text": "x"}]}}),
        E005,
        "transcript.transcriptSegments[0].segmentParticipant.role",
    ),
    (
        "ccai",
        js(
            {
                "transcript": {
                    "transcriptSegments": [
                        {
                            "text": "x",
                            "segmentParticipant": {"role": "END_USER"},
                            "words": [{"startOffset": "soon"}],
                        }
                    ]
                }
            }
        ),
        E005,
        "transcriptSegments[0].words[0].startOffset",
    ),
    (
        "ccai",
        js({"callMetadata": {"agentChannel": "²"}, "transcript": {"transcriptSegments": []}}),
        E005,
        "callMetadata.agentChannel",
    ),
    (
        "ccai",
        js({"callMetadata": {"agentChannel": "left"}, "transcript": {"transcriptSegments": []}}),
        E005,
        "callMetadata.agentChannel",
    ),
    (
        "ccai",
        js(
            {
                "transcript": {
                    "transcriptSegments": [
                        {"text": "Hold please", "segmentParticipant": {"role": "AUTOMATED_AGENT"}}
                    ]
                }
            }
        ),
        E006,
        "",
    ),
    # Genesys
    ("genesys", js({"transcripts": [{"phrases": {}}]}), E005, "transcripts[0].phrases"),
    (
        "genesys",
        js({"transcripts": [{"phrases": [{"text": "x", "participantPurpose": "alien"}]}]}),
        E005,
        "transcripts[0].phrases[0].participantPurpose",
    ),
    (
        "genesys",
        js({"transcripts": [{"phrases": [{"text": ["x"], "participantPurpose": "internal"}]}]}),
        E005,
        "transcripts[0].phrases[0].text",
    ),
    (
        "genesys",
        js({"transcripts": [{"phrases": [{"text": "Queue", "participantPurpose": "acd"}]}]}),
        E006,
        "",
    ),
    (
        "genesys",
        js(
            {
                "conversationStartTime": 10**20,
                "transcripts": [{"phrases": [{"text": "x", "participantPurpose": "internal"}]}],
            }
        ),
        E005,
        "conversationStartTime",
    ),
]


@pytest.mark.parametrize(("format_name", "content", "code", "needle"), SPECIFIC_BAD)
def test_format_specific_bad_input(
    format_name: str, content: str, code: ErrorCode, needle: str
) -> None:
    error = error_of(content, format_name)
    assert error.code is code, error.message
    assert SOURCE in error.message
    assert needle in error.message


@pytest.mark.parametrize(("format_name", "content", "code", "needle"), SPECIFIC_BAD)
def test_errors_are_one_line_without_traceback_text(
    format_name: str, content: str, code: ErrorCode, needle: str
) -> None:
    message = error_of(content, format_name).message
    assert "\n" not in message
    assert "Traceback" not in message
    assert message.startswith(f"[{code.value}] ")


@pytest.mark.parametrize(
    "data", ["just some words", "12345", "<html><body>hi</body></html>", '{"unrelated": true}']
)
def test_undetectable_content_is_e007(data: str) -> None:
    assert error_of(data, None).code is E007


def test_unknown_format_name_is_e007_listing_formats() -> None:
    error = error_of("Agent: hi", "docx")
    assert error.code is E007
    assert "contact_lens" in error.message


def test_utf8_bom_and_utf16_are_decoded() -> None:
    for data in ("\ufeffAgent: hi".encode(), "Agent: hi".encode("utf-16")):
        assert parse_conversation(data, source=SOURCE).turns[0].text == "hi"
