"""The redactor: Presidio's analyzer with offline recognizers, and its anonymizer replacing
each finding with its kind in brackets (``[CREDIT_CARD]``)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from calmline.conversation import Conversation

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine
    from presidio_anonymizer import AnonymizerEngine

DEFAULT_ENTITIES = ("CREDIT_CARD", "US_SSN", "PHONE_NUMBER", "EMAIL_ADDRESS")
# Presidio's weakest patterns (a bare 9-digit number as an SSN) score 0.05; 0.3 keeps the
# ones with a checksum, a strict format or a context word nearby.
SCORE_THRESHOLD = 0.3


class Redactor:
    """Replaces PII in text before it is stored. ``load()`` builds the engines (slow, once)."""

    def __init__(self, entities: tuple[str, ...] = DEFAULT_ENTITIES, spacy_model: str | None = None) -> None:
        self.entities = entities
        self.spacy_model = spacy_model
        self._analyzer: AnalyzerEngine | None = None
        self._anonymizer: AnonymizerEngine | None = None

    def load(self) -> Redactor:
        from presidio_analyzer import AnalyzerEngine
        from presidio_anonymizer import AnonymizerEngine

        from calmline.redaction.engine import OfflineSpacyNlpEngine
        from calmline.redaction.recognizers import recognizer_registry

        nlp_engine = OfflineSpacyNlpEngine(self.spacy_model)
        nlp_engine.load()
        registry = recognizer_registry(with_names=self.spacy_model is not None)
        self._analyzer = AnalyzerEngine(nlp_engine=nlp_engine, registry=registry,
                                        supported_languages=["en"],
                                        default_score_threshold=SCORE_THRESHOLD)
        self._anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]
        return self

    def redact(self, text: str) -> str:
        """``text`` with every finding replaced by ``[KIND]``."""
        if self._analyzer is None or self._anonymizer is None:
            self.load()
        assert self._analyzer is not None and self._anonymizer is not None
        if not text.strip():
            return text
        findings = self._analyzer.analyze(text, language="en", entities=list(self.entities))
        if not findings:
            return text
        from presidio_anonymizer.entities import OperatorConfig

        operators = {kind: OperatorConfig("replace", {"new_value": f"[{kind}]"}) for kind in self.entities}
        result = self._anonymizer.anonymize(text, findings, operators=operators)  # type: ignore[arg-type]
        return str(result.text)

    def redact_conversation(self, conversation: Conversation) -> Conversation:
        """The call with every turn's text redacted; turn times and numbering are unchanged, and
        the analysis then runs on the redacted text, so evidence spans index what is stored."""
        turns = tuple(replace(t, text=self.redact(t.text)) for t in conversation.turns)
        return conversation.with_turns(turns)


@cache
def loaded_redactor(entities: tuple[str, ...] = DEFAULT_ENTITIES, spacy_model: str | None = None) -> Redactor:
    """A loaded redactor, shared across the process (it holds no per-call state)."""
    return Redactor(entities, spacy_model).load()
