"""Time values found in transcripts, converted to milliseconds: clock times
(``01:02:03.500``, ``00:01,250``), plain seconds (``12.5``) and protobuf durations (``1.2s``)."""

from __future__ import annotations

import math
import re

_CLOCK = re.compile(r"(?:(\d{1,3}):)?([0-5]?\d):([0-5]\d)(?:[.,](\d{1,3}))?")
_SECONDS = re.compile(r"\d{1,9}(?:\.\d+)?")
_DURATION = re.compile(r"(\d{1,12}(?:\.\d+)?)s")


def clock_ms(text: str) -> int | None:
    """``[hh:]mm:ss[.mmm]`` (``,`` also accepted, as in SRT) in milliseconds, else None."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    millis = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis


def seconds_ms(text: str, unit_ms: int = 1000) -> int | None:
    """A plain, non-negative number of seconds (or of ``unit_ms`` units) in ms, else None."""
    text = text.strip()
    if _SECONDS.fullmatch(text) is None:
        return None
    return round(float(text) * unit_ms)


def duration_ms(text: str) -> int | None:
    """A protobuf JSON duration such as ``"1.200s"`` in milliseconds, else None."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        return None
    value = float(match.group(1)) * 1000
    return round(value) if math.isfinite(value) else None
