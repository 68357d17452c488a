"""Detectors: small components, registered by name, that find playbook labels in turns."""

# Importing the detector modules registers their detectors by name.
from calmline.detectors import agent as _agent  # noqa: F401
from calmline.detectors import customer as _customer  # noqa: F401
from calmline.detectors import lexicon as _lexicon  # noqa: F401
from calmline.detectors import questions as _questions  # noqa: F401
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
