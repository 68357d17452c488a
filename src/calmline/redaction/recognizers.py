"""The recognizers the redactor runs: Presidio's own pattern recognizers, an e-mail recognizer
that checks domains against the public-suffix list shipped with tldextract (Presidio's would
fetch it from the network), and the spoken card number recognizer."""

from __future__ import annotations

from functools import cache

import tldextract
from presidio_analyzer import RecognizerRegistry
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UsSsnRecognizer,
)

from calmline.redaction.spoken import SpokenCardRecognizer


@cache
def _offline_suffixes() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail patterns, validated without the network."""

    def validate_result(self, pattern_text: str) -> bool:
        return bool(_offline_suffixes()(pattern_text).fqdn)


def recognizer_registry(with_names: bool) -> RecognizerRegistry:
    recognizers = [CreditCardRecognizer(), SpokenCardRecognizer(), UsSsnRecognizer(), PhoneRecognizer(),
                   OfflineEmailRecognizer()]
    if with_names:
        recognizers.append(SpacyRecognizer(supported_entities=["PERSON"]))
    return RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
