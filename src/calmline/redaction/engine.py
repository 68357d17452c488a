"""Presidio's NLP engine without a downloaded model: spaCy's blank English tokenizer, with
lower-cased words as lemmas so Presidio's context words ("card", "social security") still
raise a match's confidence. A named spaCy model is used instead when it is installed."""

from __future__ import annotations

import spacy
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from spacy.language import Language
from spacy.tokens import Doc

from calmline.errors import CalmlineError, ErrorCode

_LEMMAS = "calmline_lowercase_lemmas"


def _lowercase_lemmas(doc: Doc) -> Doc:
    for token in doc:
        token.lemma_ = token.lower_
    return doc


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    """A SpacyNlpEngine that never downloads: blank English, or an installed model by name."""

    def __init__(self, model: str | None = None) -> None:
        super().__init__(models=[{"lang_code": "en", "model_name": model or "blank:en"}])
        self._model = model

    def load(self) -> None:
        self.nlp = {"en": _load(self._model)}  # type: ignore[assignment]


def _load(model: str | None) -> Language:
    if model is None:
        nlp = spacy.blank("en")
        if not Language.has_factory(_LEMMAS):
            Language.component(_LEMMAS, func=_lowercase_lemmas)
        nlp.add_pipe(_LEMMAS)
        return nlp
    if not spacy.util.is_package(model):
        raise CalmlineError(f"the spaCy model {model!r} is not installed", code=ErrorCode.E301_USAGE,
                            source="CALMLINE_REDACTION_SPACY_MODEL",
                            hint="install it as a package, or unset the setting to redact without names")
    return spacy.load(model)
