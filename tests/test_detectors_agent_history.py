"""Agent labels that depend on what came before: the customer's name, talking over the
customer, and asking again for what the customer already gave."""

from __future__ import annotations

import pytest

from calmline.conversation import Conversation, Role, Turn
from calmline.detectors.pipeline import DetectorPipeline, detect_conversation
from calmline.signals import Signal

from .detecting import role_pipeline

A, C = Role.AGENT, Role.CUSTOMER


@pytest.fixture(scope="module")
def pipeline() -> DetectorPipeline:
    return role_pipeline(Role.AGENT)


def last_turn_signals(
    pipeline: DetectorPipeline, lines: list[tuple[Role, str]], customer_name: str | None = None
) -> tuple[Signal, ...]:
    turns = tuple(Turn(i, role, text) for i, (role, text) in enumerate(lines))
    call = Conversation("t", turns, customer_name=customer_name)
    return detect_conversation(pipeline, call)[-1]


def evidence_of(signals: tuple[Signal, ...], label: str) -> list[str]:
    return [s.evidence for s in signals if s.label == label]


# (lines, customer_name from the call record, expected evidence of the name or None)
PERSONAL_NAME = [
    ([(C, "Hi, my name is Priya Shah."), (A, "Thanks Priya, let me look.")], None, "Priya"),
    ([(C, "this is Tom calling about my bill"), (A, "Okay Tom, I can help.")], None, "Tom"),
    ([(C, "Hello"), (A, "Good morning Mrs Okafor.")], "Ada Okafor", "Okafor"),
    ([(C, "hi"), (A, "hi ada how can i help")], "Ada Okafor", "ada"),
    ([(C, "My name's Luis."), (A, "Luis, I'm sorry about this.")], None, "Luis"),
    ([(C, "It's Grace here."), (A, "Hi Grace, what happened?")], None, "Grace"),
    ([(C, "my name is john smith"), (A, "thanks john")], None, "john"),
    ([(C, "I'm Sam, I called yesterday"), (A, "Right, Sam, I see the note.")], None, "Sam"),
    ([(C, "Hi"), (A, "Mr Patel, I've refunded it.")], "Raj Patel", "Patel"),
    ([(C, "Yes, this is Mei."), (A, "Mei, thanks for waiting.")], None, "Mei"),
    # a title and surname said to the customer, with no name on record
    ([(C, "Hi"), (A, "Of course, Mr. Adeyemi.")], None, "Mr. Adeyemi"),
    ([(C, "hello"), (A, "Thanks for holding, Dr Novak, I've found it.")], None, "Dr Novak"),
    ([(C, "Hi"), (A, "Ms. O'Hara, your refund is on its way.")], None, "Ms. O'Hara"),
    ([(C, "my name is Olu"), (C, "still waiting"), (A, "Sorry Olu.")], None, "Olu"),
    ([(C, "Hi"), (A, "Thanks for holding, Jo.")], "Jo Brown", "Jo"),
    # negatives: no name known, or not used
    ([(C, "Hi, my name is Priya."), (A, "Let me look into it.")], None, None),
    ([(C, "This is ridiculous!"), (A, "I understand.")], None, None),
    ([(C, "I'm frustrated."), (A, "I'm sorry you're frustrated.")], None, None),
    ([(C, "Hi"), (A, "Hello, how can I help?")], None, None),
    ([(C, "Hi"), (A, "Hello, how can I help?")], "Ada Okafor", None),
    ([(A, "My name is Dan, how can I help?"), (A, "Dan here again.")], None, None),
    ([(C, "I'm Very angry"), (A, "I'm sorry about that.")], None, None),
    ([(C, "my name is Sue"), (A, "Let me sue-proof this.")], None, None),
    ([(C, "This is Alex"), (A, "The alexa app needs an update.")], None, None),
    ([(C, "Hello, it's Kim"), (A, "Thanks for waiting.")], None, None),
    ([(C, "hi there"), (A, "Is this the account holder?")], "Bo Li", None),
    ([(C, "I'm so tired of this"), (A, "So, tired of waiting, I understand.")], None, None),
    ([(C, "Hi"), (A, "Dr. Hale, our specialist, will call you.")], None, None),
    ([(C, "Hi"), (A, "I'll pass this to Mr. Grant, he manages billing.")], None, None),
    ([(C, "Hi"), (A, "Thanks, Mrs. Lind.")], "Ada Okafor", None),
    ([(C, "Hi"), (A, "Mr Grant will call you at noon.")], None, None),
]


@pytest.mark.parametrize(("lines", "customer_name", "name"), PERSONAL_NAME)
def test_customer_name_is_personalisation(
    pipeline: DetectorPipeline,
    lines: list[tuple[Role, str]],
    customer_name: str | None,
    name: str | None,
) -> None:
    found = evidence_of(last_turn_signals(pipeline, lines, customer_name), "personalisation")
    assert found == ([name] if name else [])


LONG_VENT = ("I have called four times about this and every time nothing happens, it is awful "
             "and I am furious and sick of it, I want it sorted today or I'm leaving for good")


def _timed(*rows: tuple[Role, str, int, int]) -> list[Turn]:
    return [Turn(i, role, text, begin_ms=b, end_ms=e) for i, (role, text, b, e) in enumerate(rows)]


# (turns, expected: None for no interruption, else the minimum score)
INTERRUPTIONS: list[tuple[list[Turn], float | None]] = [
    (_timed((C, "My bill is wrong.", 0, 3000), (A, "Let me check that.", 2000, 4000)), 0.5),
    (_timed((C, LONG_VENT, 0, 12000), (A, "Okay, but what's your number?", 6000, 8000)), 0.85),
    (_timed((C, "It's a disgrace, awful service!", 0, 4000), (A, "Sir, sir.", 3000, 5000)), 0.7),
    (_timed((C, "The router keeps dropping and", 0, 5000), (A, "Did you restart it", 4000, 6000)),
     0.5),
    (_timed((C, "So I ordered it on Monday", 0, 6000), (A, "Right so the", 2000, 7000)), 0.5),
    (_timed((C, LONG_VENT, 0, 15000), (A, "I need your account number.", 14000, 16000)), 0.7),
    (_timed((A, "Hello.", 0, 800), (C, "Hi, my parcel is late.", 1000, 4000),
            (A, "What's the order number?", 3200, 5000)), 0.5),
    (_timed((C, "I was charged twice for", 0, 4000), (A, "That's not possible.", 3500, 5500)),
     0.5),
    (_timed((C, "the engineer never came", 0, 9000), (A, "Okay okay", 8000, 8900)), 0.5),
    (_timed((C, "And then they hung up on me", 0, 3000), (A, "When was that call", 2500, 4000)),
     0.5),
    (_timed((C, "I want to cancel because", 0, 4000), (A, "We can't cancel.", 1000, 2500)), 0.5),
    (_timed((C, "Listen to me, this is hopeless", 0, 5000), (A, "Hold on.", 4400, 5200)), 0.7),
    # negatives
    (_timed((C, "My bill is wrong.", 0, 3000), (A, "Let me check that.", 3200, 5000)), None),
    (_timed((C, LONG_VENT, 0, 12000), (A, "I'm so sorry.", 12100, 13000)), None),
    (_timed((C, "My bill is wrong.", 0, 3000), (A, "Mm-hmm.", 1500, 1900)), None),
    (_timed((C, "It keeps failing and", 0, 5000), (A, "Right.", 4000, 4300)), None),
    (_timed((C, "It's late.", 0, 2000), (A, "I see.", 1900, 2500)), None),
    (_timed((C, "hello", 0, 1000), (A, "Hello, thanks for calling.", 1100, 3000)), None),
    ([Turn(0, C, "My bill is wrong."), Turn(1, A, "Let me check that.")], None),
    ([Turn(0, C, "My bill is wrong.", begin_ms=0, end_ms=3000), Turn(1, A, "Let me check.")], None),
    (_timed((A, "How can I help?", 0, 2000), (C, "Hi", 1500, 2500)), None),
    (_timed((C, "The app crashed.", 0, 2000), (A, "Uh-huh.", 1000, 1500)), None),
    (_timed((C, "I paid on time.", 0, 2000), (A, "Okay, thank you.", 2100, 3000)), None),
    (_timed((C, "It broke", 0, 2000), (A, "Go on.", 1200, 1700)), None),
]


@pytest.mark.parametrize(("turns", "expected"), INTERRUPTIONS)
def test_talking_over_the_customer_is_interruption(
    pipeline: DetectorPipeline, turns: list[Turn], expected: float | None
) -> None:
    call = Conversation("t", tuple(turns))
    found = [s for s in detect_conversation(pipeline, call)[-1] if s.label == "interruption"]
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1
        assert found[0].score >= expected
        assert found[0].start == 0
        assert found[0].evidence


def test_interruption_is_stronger_after_a_long_emotional_turn(pipeline: DetectorPipeline) -> None:
    short = Conversation("s", tuple(_timed((C, "I ordered it on Monday", 0, 2000),
                                           (A, "Let me see", 1500, 3000))))
    vent = Conversation("v", tuple(_timed((C, LONG_VENT, 0, 12000),
                                          (A, "Let me see", 11500, 13000))))
    score = {c.id: next(s.score for s in detect_conversation(pipeline, c)[-1]
                        if s.label == "interruption") for c in (short, vent)}
    assert score["v"] > score["s"]


# (lines, expected evidence of repeat_question or None)
REPEATS: list[tuple[list[tuple[Role, str]], str | None]] = [
    ([(C, "My account number is 55512345."), (A, "What's your account number?")],
     "account number"),
    ([(C, "It's order 88812 and it never came."), (A, "Can I have the order number please?")],
     "order number"),
    ([(C, "my email is ana@example.com"), (A, "could you give me your email address")],
     "email address"),
    ([(C, "Call me on 07700 900123."), (A, "What's the best phone number for you?")],
     "phone number"),
    ([(C, "Hi, my name is Priya Shah."), (A, "Can I take your full name?")], "your full name"),
    ([(C, "I live at 12 Baker Street."), (A, "What's your address?")], "your address"),
    ([(C, "Postcode is SW1A 1AA."), (A, "And your postcode?")], "postcode"),
    ([(C, "My date of birth is 3/4/1980."), (A, "Please confirm your date of birth.")],
     "date of birth"),
    ([(A, "What's the order number?"), (C, "It's 77123."), (A, "Sorry, the order number?")],
     "order number"),
    ([(C, "ref 4455667"), (C, "hello?"), (A, "do you have a reference number")],
     "reference number"),
    ([(A, "When did it stop working?"), (C, "Tuesday."), (A, "When did it stop working?")],
     "When did it stop working?"),
    ([(A, "Have you tried restarting it?"), (C, "Yes, twice."),
      (A, "OK, have you tried restarting it?")], "OK, have you tried restarting it?"),
    # negatives
    ([(C, "Hi, my parcel is late."), (A, "What's your order number?")], None),
    ([(C, "My account number is 55512345."), (A, "Is your account number 55512345?")], None),
    ([(C, "My email is ana@example.com"), (A, "Thanks, I've found your account.")], None),
    ([(C, "My account number is 55512345."), (A, "What's your email address?")], None),
    ([(A, "What's your account number?"), (C, "55512345"), (A, "Thank you.")], None),
    ([(A, "When did it stop?"), (A, "When did it stop?")], None),
    ([(C, "I was charged 45 pounds."), (A, "What's your account number?")], None),
    ([(C, "My name is Priya."), (A, "Thanks Priya, what happened?")], None),
    ([(C, "I have 3 kids"), (A, "Could you tell me your postcode?")], None),
    ([(C, "order 88812 please help"), (A, "I'll check order 88812 now.")], None),
    ([(A, "What happened?"), (C, "It broke."), (A, "What colour is it?")], None),
    ([(C, "My number is 07700 900123"), (A, "I'll send the email address to you.")], None),
]


@pytest.mark.parametrize(("lines", "evidence"), REPEATS)
def test_asking_again_is_repeat_question(
    pipeline: DetectorPipeline, lines: list[tuple[Role, str]], evidence: str | None
) -> None:
    found = evidence_of(last_turn_signals(pipeline, lines), "repeat_question")
    assert found == ([evidence] if evidence else [])
