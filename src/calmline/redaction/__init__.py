"""PII redaction before storage (an edge): Presidio, configured to run offline.

Card numbers (also spoken as digit words), US social security numbers, phone numbers and
e-mail addresses are found with pattern recognizers; names too when a spaCy model with an
entity recogniser is installed and named in the settings. Nothing is ever downloaded.
"""

from calmline.redaction.redactor import DEFAULT_ENTITIES, Redactor, loaded_redactor
from calmline.redaction.spoken import SpokenCardRecognizer, luhn_valid

__all__ = ["DEFAULT_ENTITIES", "Redactor", "SpokenCardRecognizer", "loaded_redactor", "luhn_valid"]
