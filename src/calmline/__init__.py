"""calmline: a de-escalation copilot for contact centers."""

__version__ = "0.1.0"
