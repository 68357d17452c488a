"""Follow-up settings: the business calendar is checked when the service starts, with
errors that name the setting or the holidays file's line."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from calmline.api.followups import TaskSettings
from calmline.commitments import ScheduleError


def test_settings_build_the_schedule(tmp_path: Path) -> None:
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("# bank holidays\n2026-12-25\n2026-12-28\n", encoding="utf-8")
    schedule = TaskSettings(timezone="Europe/London", holidays_file=holidays, end_of_day=time(18)).schedule()
    assert (schedule.timezone, schedule.holidays, schedule.end_of_day) == (
        "Europe/London", {date(2026, 12, 25), date(2026, 12, 28)}, time(18))


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"2026-12-25\nChristmas\n", "line 2"), (b"\xff\xfe2026", "cannot read"), (None, "cannot read")],
)
def test_bad_holidays_file_is_refused(tmp_path: Path, content: bytes | None, problem: str) -> None:
    path = tmp_path / "holidays.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ScheduleError, match=problem):
        TaskSettings(holidays_file=path).schedule()


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ScheduleError, match="unknown time zone"):
        TaskSettings(timezone="Mars/Olympus").schedule()


@pytest.mark.parametrize("url", ["ftp://example.org/hook", "file:///etc/passwd", "javascript:alert(1)"])
def test_webhook_url_must_be_http(url: str) -> None:
    with pytest.raises(ValueError, match="webhook_url"):
        TaskSettings(webhook_url=url)
