"""The rule detectors: one per role, driven by a lexicon file of phrase patterns."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from calmline.conversation import Role
from calmline.detectors.base import TurnContext, make_signal, register_detector
from calmline.detectors.patterns import LEXICON_DIR, LexiconMatcher, load_lexicon
from calmline.detectors.resources import shared_resources
from calmline.signals import Signal


class LexiconDetector:
    """Finds every label of a lexicon file in a turn of ``role``."""

    def __init__(self, name: str, role: Role, lexicon_path: Path) -> None:
        self.name = name
        self.roles = frozenset({role})
        self.lexicon_path = lexicon_path
        self.labels = tuple(lex.label for lex in load_lexicon(lexicon_path))

    @cached_property
    def _matcher(self) -> LexiconMatcher:
        return LexiconMatcher(shared_resources().nlp, load_lexicon(self.lexicon_path))

    def detect(self, context: TurnContext) -> list[Signal]:
        return [
            make_signal(context, m.label, m.score, m.start_char, m.end_char, self.name)
            for m in self._matcher.matches_in(context.tokens)
        ]


@register_detector("lexicon.customer")
def customer_lexicon() -> LexiconDetector:
    return LexiconDetector("lexicon.customer", Role.CUSTOMER, LEXICON_DIR / "customer.yaml")


@register_detector("lexicon.agent")
def agent_lexicon() -> LexiconDetector:
    return LexiconDetector("lexicon.agent", Role.AGENT, LEXICON_DIR / "agent.yaml")
