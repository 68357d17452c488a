"""File-level problems: missing, folders, too large, several conversations where one is wanted."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmline.errors import CalmlineError, ErrorCode
from calmline.formats import MAX_FILE_BYTES, parse_conversation, read_conversation

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def read_bytes(path: Path) -> object:
    return parse_conversation(path.read_bytes(), source=path.name)


def error_reading(path: Path, format_name: str | None = None) -> CalmlineError:
    with pytest.raises(CalmlineError) as caught:
        read_conversation(path, format_name)
    return caught.value


def test_missing_file_is_e001(tmp_path: Path) -> None:
    error = error_reading(tmp_path / "nope.json")
    assert error.code is ErrorCode.E001_UNREADABLE
    assert "nope.json" in error.message
    assert "no such file" in error.message


def test_folder_is_e001(tmp_path: Path) -> None:
    assert error_reading(tmp_path).code is ErrorCode.E001_UNREADABLE


@pytest.mark.parametrize("format_name", [None, "text", "json"])
def test_file_over_the_limit_is_e008_before_reading(
    tmp_path: Path, format_name: str | None
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.write(b"Agent: hi\n" * 10_000)  # a clean head, longer than the detection window
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    error = error_reading(path, format_name)
    assert error.code is ErrorCode.E008_TOO_LARGE
    assert "huge.txt" in error.message


def test_in_memory_content_over_the_limit_is_e008() -> None:
    with pytest.raises(CalmlineError) as caught:
        parse_conversation(b"Agent: " + b"a" * MAX_FILE_BYTES, source="upload.txt")
    assert caught.value.code is ErrorCode.E008_TOO_LARGE


@pytest.mark.parametrize("reader", ["file", "memory"])
def test_several_conversations_where_one_is_wanted_is_a_usage_error(reader: str) -> None:
    path = FIXTURES / "native_multi.jsonl"
    read = read_conversation if reader == "file" else read_bytes
    with pytest.raises(CalmlineError, match="read_conversations") as caught:
        read(path)
    assert caught.value.code is ErrorCode.E301_USAGE


def test_empty_file_is_e003(tmp_path: Path) -> None:
    path = tmp_path / "empty.vtt"
    path.write_bytes(b"")
    assert error_reading(path).code is ErrorCode.E003_EMPTY


def test_binary_file_with_transcript_extension_is_e002(tmp_path: Path) -> None:
    path = tmp_path / "call.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    error = error_reading(path)
    assert error.code is ErrorCode.E002_ENCODING
    assert "PNG" in error.message
