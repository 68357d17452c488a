"""The redactor finds card numbers (figures and spoken digit words, Luhn-checked), US SSNs,
phone numbers and e-mail addresses, offline; everything else is left alone."""

from __future__ import annotations

import pytest

from calmline.redaction import loaded_redactor, luhn_valid
from calmline.redaction.spoken import longest_card

SPOKEN_VISA = "four one one one one one one one one one one one one one one one"

CASES = [
    ("my card is 4111 1111 1111 1111 thanks", "my card is [CREDIT_CARD] thanks"),
    ("card 4111-1111-1111-1111.", "card [CREDIT_CARD]."),
    (f"it's {SPOKEN_VISA}, expiry oh nine", "it's [CREDIT_CARD], expiry oh nine"),
    ("Four One One One, one one one one, one one one one, one one one one", "[CREDIT_CARD]"),
    ("five five five five four four four four three three three three one one one one",
     "[CREDIT_CARD]"),  # 5555 4444 3333 1111 is Luhn-valid
    ("four double one " + " ".join(["one"] * 13), "[CREDIT_CARD]"),
    ("my social security number is 219-09-9999", "my social security number is [US_SSN]"),
    ("call me on (212) 555-0199 tonight", "call me on [PHONE_NUMBER] tonight"),
    ("write to marcus.o@example.co.uk please", "write to [EMAIL_ADDRESS] please"),
    # left alone: no PII, a Luhn-invalid spoken run, an order number, a short digit run
    ("You charged me twice! This is ridiculous.", "You charged me twice! This is ridiculous."),
    ("four one one one one one one one one one one one one one one two",
     "four one one one one one one one one one one one one one one two"),
    ("order 12345678 please", "order 12345678 please"),
    ("I called three or four times", "I called three or four times"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_redaction_table(text: str, expected: str) -> None:
    assert loaded_redactor().redact(text) == expected


@pytest.mark.parametrize(("digits", "valid"), [("4111111111111111", True), ("4111111111111112", False),
                                               ("79927398713", True), ("5555444433331111", True)])
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


def test_longest_valid_window_wins_when_more_digits_follow() -> None:
    run = f"{SPOKEN_VISA} one two three"
    span = longest_card(run)
    assert span is not None and run[span[0]:span[1]] == SPOKEN_VISA
