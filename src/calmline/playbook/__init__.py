"""The playbook as data: the model, the loader with its validation, the default file."""

from calmline.playbook.loader import (
    DEFAULT_PLAYBOOK_PATH,
    load_playbook,
    parse_playbook,
    playbook_fingerprint,
)
from calmline.playbook.model import (
    Condition,
    DetectionPolicy,
    Kind,
    LabelPolicy,
    LiveSettings,
    NudgeSpec,
    OperatingPoint,
    Playbook,
    Technique,
)

__all__ = [
    "DEFAULT_PLAYBOOK_PATH",
    "Condition",
    "DetectionPolicy",
    "Kind",
    "LabelPolicy",
    "LiveSettings",
    "NudgeSpec",
    "OperatingPoint",
    "Playbook",
    "Technique",
    "load_playbook",
    "parse_playbook",
    "playbook_fingerprint",
]
