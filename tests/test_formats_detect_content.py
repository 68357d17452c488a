"""Formats are detected from content (the file name only breaks ties) and selectable by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmline.errors import CalmlineError, ErrorCode
from calmline.formats import FORMATS, detect_format, reader_for

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("native.json", "json"),
        ("native_single.jsonl", "json"),  # one object on one line is valid JSON too
        ("native_multi.jsonl", "jsonl"),
        ("call.txt", "text"),
        ("call_custom_names.txt", "text"),
        ("call.csv", "csv"),
        ("call_speakers.csv", "csv"),
        ("call.vtt", "vtt"),
        ("call_prefix.vtt", "vtt"),
        ("call.srt", "srt"),
        ("contact_lens.json", "contact_lens"),
        ("transcribe_call_analytics.json", "transcribe_call_analytics"),
        ("ccai.json", "ccai"),
        ("genesys.json", "genesys"),
    ],
)
def test_fixtures_detected_from_content_without_a_file_name(name: str, expected: str) -> None:
    assert detect_format((FIXTURES / name).read_bytes()) == expected


@pytest.mark.parametrize(
    ("head", "filename", "expected"),
    [
        ('{"id": "a", "turns": []}\n{"id": "b", "turns": []}\n', None, "jsonl"),
        ('{"id": "a", "turns": []}\n', "calls.jsonl", "jsonl"),
        ('{"id": "a", "turns": []}\n', "calls.ndjson", "jsonl"),
        ('{"id": "a", "turns": []}\n', "calls.json", "json"),
        ('{\n  "id": "a",\n  "turns": []\n}\n', None, "json"),
        ('{"something": "else"}', "export.json", "json"),
        ("\ufeffWEBVTT\n\n", None, "vtt"),
        ("Speaker,Text,Start\nAgent,hi,0\n", None, "csv"),
        ("role;text\nagent;hi\n", None, "csv"),
        ("[00:00:01] Caller: hello\n", None, "text"),
        ("Hello there, no speakers here.", "notes.txt", "text"),
        (
            '{"JobName": "x", "Transcript": [{"ParticipantRole": "AGENT"}]}',
            None,
            "transcribe_call_analytics",
        ),
        ("Agent: hi".encode("utf-16"), None, "text"),
    ],
)
def test_detect_format_table(head: str | bytes, filename: str | None, expected: str) -> None:
    assert detect_format(head, filename) == expected


@pytest.mark.parametrize("head", ["plain words", '{"unrelated": 1}', "", "12,34\n56,78"])
def test_undetectable_head_is_e007(head: str) -> None:
    with pytest.raises(CalmlineError) as caught:
        detect_format(head, "mystery.bin")
    assert caught.value.code is ErrorCode.E007_UNKNOWN_FORMAT
    assert "mystery.bin" in caught.value.message


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("JSON", "json"),
        ("webvtt", "vtt"),
        ("transcribe", "transcribe_call_analytics"),
        ("contact-lens", "contact_lens"),
        ("ndjson", "jsonl"),
        ("txt", "text"),
    ],
)
def test_reader_names_and_aliases(alias: str, name: str) -> None:
    assert reader_for(alias).name == name


def test_formats_listing_describes_every_reader() -> None:
    assert list(FORMATS) == [
        "json",
        "jsonl",
        "text",
        "csv",
        "vtt",
        "srt",
        "contact_lens",
        "transcribe_call_analytics",
        "ccai",
        "genesys",
    ]
    for name, info in FORMATS.items():
        assert info.name == name
        assert info.description
        assert info.extensions
        assert (info.parse is None) == info.streaming
