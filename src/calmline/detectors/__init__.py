"""Detectors: small components, registered by name, that find playbook labels in turns."""

from calmline.detectors import lexicon as _lexicon  # noqa: F401  (registers detectors)
from calmline.detectors.base import Detector, TurnContext, register_detector, registered_detectors
from calmline.detectors.pipeline import DEFAULT_DETECTORS, DetectorPipeline, detect_conversation

__all__ = [
    "DEFAULT_DETECTORS",
    "Detector",
    "DetectorPipeline",
    "TurnContext",
    "detect_conversation",
    "register_detector",
    "registered_detectors",
]
