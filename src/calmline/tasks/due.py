"""Due dates: the time a promise names ("by Friday", "within 3 to 5 business days"),
resolved from the call's start on a business calendar (time zone, weekends, holidays).
Pure: no clock, no I/O."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from calmline.errors import CalmlineError, ErrorCode

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A promise "on your next bill" is checked one billing cycle later.
BILLING_CYCLE_DAYS = 30
# "Right now", "immediately": the agent has this long before it counts as late.
IMMEDIATE = timedelta(hours=1)
# A span longer than this many units is not a promise anyone can keep (and would overflow).
MAX_COUNT = 1000
_PARTS = {"morning": time(12, 0), "afternoon": time(17, 0), "evening": time(20, 0),
          "night": time(21, 0), "tonight": time(21, 0)}


class ScheduleError(CalmlineError):
    """A business calendar (time zone, hours, holidays) is invalid."""

    code = ErrorCode.E103_SCHEDULE


@dataclass(frozen=True, slots=True)
class Schedule:
    """The contact centre's business calendar: where due dates are worked out."""

    timezone: str = "UTC"
    holidays: frozenset[date] = frozenset()
    business_days: frozenset[int] = frozenset(range(5))  # Monday=0 … Friday=4
    start_of_day: time = time(9, 0)
    end_of_day: time = time(17, 0)
    default_window_business_days: int = 1  # a promise with no time: next business day

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ScheduleError(f"unknown time zone {self.timezone!r}", location="timezone",
                                hint="use an IANA name such as Europe/London or America/New_York") from exc
        if not self.business_days or not self.business_days <= frozenset(range(7)):
            raise ScheduleError("business days must be a non-empty set of weekday numbers 0-6",
                                location="business_days")
        if self.start_of_day >= self.end_of_day:
            raise ScheduleError("the working day must start before it ends", location="start_of_day")
        if self.default_window_business_days < 0:
            raise ScheduleError("the default follow-up window cannot be negative",
                                location="default_window_business_days")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() in self.business_days and day not in self.holidays

    def next_business_day(self, day: date) -> date:
        """The first business day after ``day``."""
        day += timedelta(days=1)
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def on_or_after(self, day: date) -> date:
        """``day`` when it is a business day, else the next one."""
        return day if self.is_business_day(day) else self.next_business_day(day)

    def add_business_days(self, day: date, count: int) -> date:
        for _ in range(count):
            day = self.next_business_day(day)
        return day

    def close_of(self, day: date) -> datetime:
        return datetime.combine(day, self.end_of_day, self.zone)


class DueRule(StrEnum):
    """How a due date was reached: from the words said, or the default window."""

    PHRASE = "phrase"
    DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class Due:
    at: datetime  # aware, in the schedule's time zone
    rule: DueRule


# Words for numbers, and how many a vague quantity means.
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
          "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
          "couple": 2, "a couple": 2, "a couple of": 2, "couple of": 2, "few": 3, "a few": 3, "several": 5}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_NUMBER = (r"\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ][a-z]+)?|a couple(?: of)?|"
           r"couple of|a few|few|several|[a-z]+")
_SPAN = re.compile(
    rf"\b(?:within|in)\s+(?:the\s+next\s+)?(?:about\s+)?(?P<low>{_NUMBER})"
    rf"(?:\s+(?:to|or|-)\s+(?P<high>{_NUMBER}))?\s+(?P<business>business\s+|working\s+)?"
    r"(?P<unit>minute|hour|day|week|month)s?\b")
_ABOUT = re.compile(rf"\babout\s+(?P<low>{_NUMBER})\s+(?P<unit>minute|hour)s?\b")
_WITHIN_THE_HOUR = re.compile(r"\b(?:within|in)\s+(?:the|an|the next)\s+hour\b")
_CLOCK = re.compile(
    r"\b(?:at|by)\s+(?P<hour>\d{1,2}|[a-z]+)(?::(?P<minute>\d\d))?\s*(?P<half>[ap]\.?\s?m\.?|o'clock)?")
_DAY_OF_MONTH = re.compile(r"\b(?:by|on)\s+the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\b")
_WEEKDAY = re.compile(r"\b(?P<next>next\s+)?(?:this\s+)?(?P<day>" + "|".join(WEEKDAYS) + r")\b")
_PART = re.compile(r"\b(?P<part>morning|afternoon|evening|night|tonight)\b")


def resolve_due(phrase: str | None, start: datetime, schedule: Schedule = Schedule()) -> Due:
    """When a promise made at ``start`` falls due. ``phrase`` is the time as said ("by
    Friday", "within 3 to 5 business days"); none, or words no rule knows, give the
    schedule's default window (the next business day, at close)."""
    local = _localise(start, schedule)
    words = " ".join((phrase or "").lower().replace(",", " ").split())
    found = _resolve_words(words, local, schedule) if words else None
    if found is None:
        day = schedule.add_business_days(local.date(), schedule.default_window_business_days)
        return Due(schedule.close_of(schedule.on_or_after(day)), DueRule.DEFAULT)
    return Due(found, DueRule.PHRASE)


def _localise(start: datetime, schedule: Schedule) -> datetime:
    """The start in the schedule's zone (a naive start is taken to be UTC)."""
    aware = start.replace(tzinfo=UTC) if start.tzinfo is None else start
    return aware.astimezone(schedule.zone)


def _resolve_words(words: str, local: datetime, schedule: Schedule) -> datetime | None:
    for rule in (_immediate, _relative, _first_thing, _named_day, _day_words, _week_month,
                 _day_of_month, _next_bill, _clock_today):
        found = rule(words, local, schedule)
        if found is not None:
            return found
    return None


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    if text.isdigit():
        return int(text)
    if text in _SMALL:
        return _SMALL[text]
    tens, _, unit = text.replace("-", " ").partition(" ")
    if tens in _TENS:
        return _TENS[tens] + (_SMALL.get(unit, 0) if unit else 0)
    return None


def _immediate(words: str, local: datetime, _schedule: Schedule) -> datetime | None:
    if re.search(r"\b(?:right now|right away|straight away|immediately|as we speak)\b", words):
        return local + IMMEDIATE
    if _WITHIN_THE_HOUR.search(words):
        return local + timedelta(hours=1)
    return None


def _relative(words: str, local: datetime, schedule: Schedule) -> datetime | None:
    """"in 48 hours", "within 3 to 5 business days", "about two minutes": the longest
    end of a range, since that is what the customer was told to expect."""
    match = _SPAN.search(words) or _ABOUT.search(words)
    if match is None:
        return None
    groups = match.groupdict()
    count = _number(groups.get("high")) or _number(groups["low"])
    if count is None or count > MAX_COUNT:
        return None
    unit = groups["unit"]
    if unit in ("minute", "hour"):
        return local + timedelta(**{unit + "s": count})
    if groups.get("business"):
        if unit == "week":
            count *= len(schedule.business_days)
        return schedule.close_of(schedule.add_business_days(local.date(), count))
    days = count * {"day": 1, "week": 7, "month": 30}[unit]
    return schedule.close_of(schedule.on_or_after(local.date() + timedelta(days=days)))


def _first_thing(words: str, local: datetime, schedule: Schedule) -> datetime | None:
    """"first thing Monday", "first thing tomorrow": an hour after opening."""
    if "first thing" not in words:
        return None
    opening = (datetime.combine(date(2000, 1, 1), schedule.start_of_day) + timedelta(hours=1)).time()
    weekday = _WEEKDAY.search(words)
    if weekday is not None:
        day = _weekday_date(local.date(), WEEKDAYS.index(weekday["day"]), bool(weekday["next"]))
    elif "tomorrow" in words:
        day = local.date() + timedelta(days=1)
    else:
        day = schedule.next_business_day(local.date())
    return datetime.combine(day, opening, schedule.zone)


def _weekday_date(today: date, weekday: int, next_week: bool) -> date:
    """The coming ``weekday`` (a week on when it is today); "next Friday" is the Friday of
    next week."""
    if next_week:
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return monday + timedelta(days=weekday)
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _at_time(words: str, day: date, schedule: Schedule, default: time) -> datetime:
    """``day`` at the clock time or part of day said, else at ``default``."""
    clock = _clock(words)
    if clock is not None:
        return datetime.combine(day, clock, schedule.zone)
    part = _PART.search(words)
    return datetime.combine(day, _PARTS[part["part"]] if part else default, schedule.zone)


def _clock(words: str) -> time | None:
    if re.search(r"\b(?:noon|midday)\b", words):
        return time(12, 0)
    match = _CLOCK.search(words)
    if match is None:
        return None
    hour = _number(match["hour"])
    half = (match["half"] or "").replace(".", "").replace(" ", "")
    if hour is None or hour > 23 or (not half and not match["minute"] and hour > 12):
        return None
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    elif not half and hour < 8:
        hour += 12  # "by five" in a working day means 5 p.m.
    return time(hour, int(match["minute"] or 0))


def _named_day(words: str, local: datetime, schedule: Schedule) -> datetime | None:
    match = _WEEKDAY.search(words)
    if match is None:
        return None
    day = _weekday_date(local.date(), WEEKDAYS.index(match["day"]), bool(match["next"]))
    return _at_time(words, day, schedule, schedule.end_of_day)


def _day_words(words: str, local: datetime, schedule: Schedule) -> datetime | None:
    """"today", "tonight", "this afternoon", "end of day", "tomorrow morning"…"""
    if re.search(r"\bnext (?:business|working) day\b", words):
        return schedule.close_of(schedule.next_business_day(local.date()))
    if "tomorrow" in words:
        return _at_time(words, local.date() + timedelta(days=1), schedule, schedule.end_of_day)
    if re.search(r"\b(?:today|tonight|this (?:morning|afternoon|evening)|end of (?:the )?day|eod|"
                 r"close of business|cob)\b", words):
        return _later_today(_at_time(words, local.date(), schedule, schedule.end_of_day), local)
    return None


def _later_today(due: datetime, local: datetime) -> datetime:
    """A same-day time already past when it was promised means the end of that day."""
    if due > local:
        return due
    return datetime.combine(local.date(), time(23, 59), local.tzinfo)


def _week_month(words: str, local: datetime, schedule: Schedule) -> datetime | None:
    """Week and month words: due at the close of the last business day of that week or
    month."""
    today = local.date()
    monday = today - timedelta(days=today.weekday())
    if re.search(r"\bnext week\b", words):
        return schedule.close_of(_last_business_day(monday + timedelta(days=7), 7, schedule))
    if re.search(r"\b(?:end of (?:the |this )?week|this week)\b", words):
        last = _last_business_day(monday, 7, schedule)
        if last < today:
            last = _last_business_day(monday + timedelta(days=7), 7, schedule)
        return _later_today(schedule.close_of(last), local) if last == today else schedule.close_of(last)
    if re.search(r"\bnext month\b", words):
        first = _month_start(today, 1)
        return schedule.close_of(_last_business_day(first, _month_length(first), schedule))
    if re.search(r"\b(?:end of (?:the |this )?month|this month)\b", words):
        first = _month_start(today, 0)
        return schedule.close_of(_last_business_day(first, _month_length(first), schedule))
    return None


def _last_business_day(first: date, length: int, schedule: Schedule) -> date:
    """The last business day in the ``length`` days from ``first`` (or the last day, when
    none is one)."""
    days = [first + timedelta(days=n) for n in range(length)]
    working = [d for d in days if schedule.is_business_day(d)]
    return working[-1] if working else days[-1]


def _month_start(today: date, ahead: int) -> date:
    month = today.month - 1 + ahead
    return date(today.year + month // 12, month % 12 + 1, 1)


def _month_length(first: date) -> int:
    return (_month_start(first, 1) - first).days


def _day_of_month(words: str, local: datetime, schedule: Schedule) -> datetime | None:
    match = _DAY_OF_MONTH.search(words)
    if match is None:
        return None
    wanted, today = int(match["day"]), local.date()
    for ahead in range(3):  # this month, else the next that has that day
        first = _month_start(today, ahead)
        if wanted <= _month_length(first) and (day := first.replace(day=wanted)) >= today:
            return schedule.close_of(day)
    return None


def _next_bill(words: str, local: datetime, schedule: Schedule) -> datetime | None:
    if re.search(r"\bnext (?:bill|statement|invoice)\b", words):
        return schedule.close_of(schedule.on_or_after(local.date() + timedelta(days=BILLING_CYCLE_DAYS)))
    return None


def _clock_today(words: str, local: datetime, schedule: Schedule) -> datetime | None:
    """"by 5pm", "by noon": today at that time, or tomorrow when it has passed."""
    clock = _clock(words)
    if clock is None:
        return None
    due = datetime.combine(local.date(), clock, schedule.zone)
    return due if due > local else due + timedelta(days=1)


def parse_holidays(lines: Sequence[str], source: str = "holidays") -> frozenset[date]:
    """Holiday dates, one ISO date per line (``#`` comments and blank lines skipped)."""
    found: set[date] = set()
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            found.add(date.fromisoformat(text))
        except ValueError as exc:
            raise ScheduleError(f"{text[:40]!r} is not a date", source=source, location=f"line {number}",
                                hint="write one date per line as YYYY-MM-DD") from exc
    return frozenset(found)
