"""JSONL is read one line at a time: records before a bad line are usable; the bad line is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calmline.errors import CalmlineError, ErrorCode
from calmline.formats import read_conversations


def record(number: int) -> str:
    turns = [{"role": "customer", "text": f"Problem {number}"}, {"role": "agent", "text": "On it."}]
    return json.dumps({"id": f"c{number}", "turns": turns})


def test_records_before_a_bad_line_are_yielded_first(tmp_path: Path) -> None:
    path = tmp_path / "calls.jsonl"
    path.write_text(f"{record(1)}\n{record(2)}\n{{broken\n{record(4)}\n", encoding="utf-8")
    conversations = read_conversations(path)
    assert [next(conversations).id, next(conversations).id] == ["c1", "c2"]
    with pytest.raises(CalmlineError) as caught:
        next(conversations)
    assert caught.value.code is ErrorCode.E004_MALFORMED
    assert "calls.jsonl, line 3" in caught.value.message


def test_many_records_stream_lazily(tmp_path: Path) -> None:
    path = tmp_path / "archive.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for number in range(20_000):
            stream.write(record(number) + "\n")
        stream.write("not json at all\n")
    conversations = read_conversations(path)
    first = [next(conversations).id for _ in range(3)]
    assert first == ["c0", "c1", "c2"]


@pytest.mark.parametrize(
    ("line", "code", "needle"),
    [
        (b"caf\xe9\n", ErrorCode.E002_ENCODING, "line 2, column 4"),
        (b'{"turns": 5}\n', ErrorCode.E005_SCHEMA, "line 2, turns"),
        (
            b'{"turns": [{"role": "agent", "text": 5}]}\n',
            ErrorCode.E005_SCHEMA,
            "line 2, turns[0].text",
        ),
        (b"[1]\n", ErrorCode.E005_SCHEMA, "line 2"),
    ],
)
def test_bad_line_error_names_the_line(
    tmp_path: Path, line: bytes, code: ErrorCode, needle: str
) -> None:
    path = tmp_path / "calls.jsonl"
    path.write_bytes(record(1).encode() + b"\n" + line)
    with pytest.raises(CalmlineError) as caught:
        list(read_conversations(path))
    assert caught.value.code is code
    assert needle in caught.value.message


def test_missing_ids_come_from_stem_and_line(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n" + json.dumps({"turns": [{"role": "agent", "text": "hi"}]}) + "\n")
    assert [c.id for c in read_conversations(path)] == ["batch-2"]
