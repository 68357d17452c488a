"""Due dates: the time a promise names, resolved from the call's start on a business
calendar (time zone, weekends, holidays)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calmline.commitments import DueRule, Schedule, ScheduleError, parse_holidays, resolve_due

UK = Schedule("Europe/London", frozenset({date(2026, 4, 3), date(2026, 4, 6)}))  # Good Friday, Easter Monday
NY = Schedule("America/New_York", frozenset({date(2026, 7, 3)}))  # Independence Day observed
TOKYO = Schedule("Asia/Tokyo")
PLAIN = Schedule()

THU = datetime(2026, 3, 5, 10, 21, tzinfo=UTC)  # Thursday morning
FRI_LATE = datetime(2026, 3, 6, 18, 30, tzinfo=UTC)  # Friday after close
SAT = datetime(2026, 3, 7, 11, 0, tzinfo=UTC)
BEFORE_EASTER = datetime(2026, 4, 2, 14, 0, tzinfo=UTC)  # Thursday before Good Friday (15:00 in London)
NY_BEFORE_4TH = datetime(2026, 7, 2, 20, 0, tzinfo=UTC)  # Thursday 16:00 in New York
LATE_UTC = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)  # already Friday 08:30 in Tokyo


@pytest.mark.parametrize(
    ("phrase", "start", "schedule", "due"),
    [
        # relative times
        ("in 48 hours", THU, PLAIN, "2026-03-07 10:21"),
        ("within forty-eight hours", THU, PLAIN, "2026-03-07 10:21"),
        ("within the hour", THU, PLAIN, "2026-03-05 11:21"),
        ("in the next few minutes", THU, PLAIN, "2026-03-05 10:24"),
        ("about two minutes", THU, PLAIN, "2026-03-05 10:23"),
        ("right now", THU, PLAIN, "2026-03-05 11:21"),
        ("in a few days", THU, PLAIN, "2026-03-09 17:00"),  # Sunday rolls to Monday
        ("within a week", THU, PLAIN, "2026-03-12 17:00"),
        # business days skip weekends and holidays
        ("within 3 to 5 business days", THU, PLAIN, "2026-03-12 17:00"),
        ("within three to five business days", THU, PLAIN, "2026-03-12 17:00"),
        ("within five working days", SAT, PLAIN, "2026-03-13 17:00"),
        ("within 2 business days", BEFORE_EASTER, UK, "2026-04-08 17:00"),
        ("next business day", FRI_LATE, PLAIN, "2026-03-09 17:00"),
        ("next business day", BEFORE_EASTER, UK, "2026-04-07 17:00"),
        ("next business day", NY_BEFORE_4TH, NY, "2026-07-06 17:00"),
        # days and times of day
        ("tomorrow", THU, PLAIN, "2026-03-06 17:00"),
        ("tomorrow morning", THU, PLAIN, "2026-03-06 12:00"),
        ("tomorrow at 10am", THU, PLAIN, "2026-03-06 10:00"),
        ("today", THU, PLAIN, "2026-03-05 17:00"),
        ("later today", FRI_LATE, PLAIN, "2026-03-06 23:59"),  # promised after close: by midnight
        ("end of day", THU, PLAIN, "2026-03-05 17:00"),
        ("by end of day", LATE_UTC, TOKYO, "2026-03-06 17:00"),  # Friday in Tokyo
        ("tomorrow", LATE_UTC, TOKYO, "2026-03-07 17:00"),
        ("this afternoon", THU, PLAIN, "2026-03-05 17:00"),
        ("tonight", THU, PLAIN, "2026-03-05 21:00"),
        ("by four p.m. today", THU, PLAIN, "2026-03-05 16:00"),
        ("by 5pm", THU, PLAIN, "2026-03-05 17:00"),
        ("by 9am", THU, PLAIN, "2026-03-06 09:00"),  # already past: tomorrow
        ("by noon", THU, PLAIN, "2026-03-05 12:00"),
        # named days and weeks
        ("by Friday", THU, PLAIN, "2026-03-06 17:00"),
        ("on Thursday afternoon", THU, PLAIN, "2026-03-12 17:00"),  # said on a Thursday: next week's
        ("Tuesday at ten a.m.", THU, PLAIN, "2026-03-10 10:00"),
        ("by next Wednesday", THU, PLAIN, "2026-03-11 17:00"),
        ("first thing Monday", THU, PLAIN, "2026-03-09 10:00"),
        ("first thing Monday", SAT, NY, "2026-03-09 10:00"),
        ("first thing tomorrow", THU, PLAIN, "2026-03-06 10:00"),
        ("next week", THU, PLAIN, "2026-03-13 17:00"),
        ("next week", BEFORE_EASTER, UK, "2026-04-10 17:00"),
        ("by the end of the week", THU, PLAIN, "2026-03-06 17:00"),
        ("by the end of the week", BEFORE_EASTER, UK, "2026-04-02 17:00"),  # Good Friday is off
        ("end of the month", THU, PLAIN, "2026-03-31 17:00"),
        ("next month", THU, PLAIN, "2026-04-30 17:00"),
        ("by the 15th", THU, PLAIN, "2026-03-15 17:00"),
        ("by the 2nd", THU, PLAIN, "2026-04-02 17:00"),
        ("on your next bill", THU, PLAIN, "2026-04-06 17:00"),  # one billing cycle, rolled to Monday
    ],
)
def test_due_phrase_resolves(phrase: str, start: datetime, schedule: Schedule, due: str) -> None:
    found = resolve_due(phrase, start, schedule)
    assert found.rule is DueRule.PHRASE
    assert found.at.tzinfo is not None
    assert found.at.strftime("%Y-%m-%d %H:%M") == due


@pytest.mark.parametrize(
    ("phrase", "start", "schedule", "due"),
    [
        (None, THU, PLAIN, "2026-03-06 17:00"),
        (None, FRI_LATE, PLAIN, "2026-03-09 17:00"),
        (None, SAT, PLAIN, "2026-03-09 17:00"),
        (None, BEFORE_EASTER, UK, "2026-04-07 17:00"),
        ("whenever suits", THU, PLAIN, "2026-03-06 17:00"),
        ("", THU, PLAIN, "2026-03-06 17:00"),
        ("within 99999999999999999999 days", THU, PLAIN, "2026-03-06 17:00"),
        ("by the 45th", THU, PLAIN, "2026-03-06 17:00"),
        ("at 99 o'clock", THU, PLAIN, "2026-03-06 17:00"),
    ],
)
def test_no_time_said_gives_the_default_window(phrase: str | None, start: datetime, schedule: Schedule,
                                               due: str) -> None:
    found = resolve_due(phrase, start, schedule)
    assert (found.rule, found.at.strftime("%Y-%m-%d %H:%M")) == (DueRule.DEFAULT, due)


def test_default_window_is_configurable() -> None:
    found = resolve_due(None, THU, Schedule(default_window_business_days=3))
    assert found.at.strftime("%Y-%m-%d %H:%M") == "2026-03-10 17:00"


def test_due_is_in_the_schedules_zone_across_a_clock_change() -> None:
    found = resolve_due("in 2 days", datetime(2026, 3, 28, 10, 0, tzinfo=UTC), UK)  # BST starts 29 March
    assert found.at.utcoffset() is not None
    assert (found.at.date(), found.at.time()) == (date(2026, 3, 30), time(17))
    assert found.at.astimezone(UTC).hour == 16  # British Summer Time


def test_naive_start_is_taken_as_utc() -> None:
    assert resolve_due("in 1 hour", datetime(2026, 3, 5, 10, 0)).at == datetime(2026, 3, 5, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("options", "location"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"business_days": frozenset()}, "business_days"),
        ({"business_days": frozenset({9})}, "business_days"),
        ({"start_of_day": time(18), "end_of_day": time(9)}, "start_of_day"),
        ({"default_window_business_days": -1}, "default_window_business_days"),
    ],
)
def test_bad_schedule_is_refused(options: dict[str, object], location: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        Schedule(**options)  # type: ignore[arg-type]
    assert caught.value.code.value == "E103"
    assert caught.value.location == location


def test_holidays_file_is_parsed_with_comments() -> None:
    lines = ["# UK bank holidays", "2026-04-03  # Good Friday", "", "2026-04-06"]
    assert parse_holidays(lines) == {date(2026, 4, 3), date(2026, 4, 6)}


def test_bad_holiday_line_names_its_line() -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_holidays(["2026-04-03", "Easter Monday"], source="holidays.txt")
    assert caught.value.location == "line 2"
    assert "holidays.txt" in caught.value.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)))
def test_any_phrase_resolves_to_an_aware_time(phrase: str, start: datetime) -> None:
    found = resolve_due(phrase, start.replace(tzinfo=UTC), UK)
    assert found.at.tzinfo is not None
