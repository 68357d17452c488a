"""calmline's errors: one base class, a numbered catalogue, and a message that says
what was wrong, where, and what to do."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Numbered error catalogue; the number stays stable across releases."""

    E001_UNREADABLE = "E001"  # file missing, unreadable, or a directory
    E002_ENCODING = "E002"  # not UTF-8 text, or binary content
    E003_EMPTY = "E003"  # empty file or no turns at all
    E004_MALFORMED = "E004"  # syntax error in JSON/CSV/VTT/SRT
    E005_SCHEMA = "E005"  # well-formed but not the expected shape
    E006_NO_SPEAKERS = "E006"  # turns exist but no agent/customer could be identified
    E007_UNKNOWN_FORMAT = "E007"  # auto-detection failed or unknown format name
    E008_TOO_LARGE = "E008"  # input exceeds a safety limit
    E101_PLAYBOOK = "E101"  # playbook file invalid
    E102_TAXONOMY = "E102"  # complaint-topic taxonomy file invalid
    E103_SCHEDULE = "E103"  # business calendar (time zone, holidays) invalid
    E201_LABELLED_DATA = "E201"  # labelled-data file invalid
    E301_USAGE = "E301"  # API misuse (e.g. feeding a closed session)
    E401_SCENARIO = "E401"  # practice scenario file invalid
    E402_PRACTICE_BACKEND = "E402"  # practice language-model endpoint failed


class CalmlineError(Exception):
    """Base class of every error calmline raises on purpose.

    ``source`` names the file (or other origin) and ``location`` the place inside it
    (line, record, JSON path), so a user can go straight to the problem.
    """

    code: ErrorCode = ErrorCode.E005_SCHEMA

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        location: str | None = None,
        hint: str | None = None,
        code: ErrorCode | None = None,
    ) -> None:
        self.problem = problem
        self.source = source
        self.location = location
        self.hint = hint
        if code is not None:
            self.code = code
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One line: ``[E004] calls/a.json, line 3: unexpected end of data (hint)``."""
        where = ", ".join(part for part in (self.source, self.location) if part)
        text = f"[{self.code.value}] {where + ': ' if where else ''}{self.problem}"
        return f"{text} ({self.hint})" if self.hint else text


class FormatError(CalmlineError):
    """A transcript could not be read."""

    code = ErrorCode.E004_MALFORMED


class PlaybookError(CalmlineError):
    """A playbook file is invalid; ``issues`` lists every problem found."""

    code = ErrorCode.E101_PLAYBOOK

    def __init__(self, issues: list[str], *, source: str | None = None) -> None:
        self.issues = issues
        count = f"{len(issues)} problem{'s' if len(issues) != 1 else ''}"
        super().__init__(f"invalid playbook, {count}: " + "; ".join(issues), source=source)


class LabelledDataError(CalmlineError):
    """A labelled-data (JSONL) file is invalid."""

    code = ErrorCode.E201_LABELLED_DATA


class UsageError(CalmlineError):
    """The API was called in a way it does not support."""

    code = ErrorCode.E301_USAGE
