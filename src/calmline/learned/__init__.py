"""Learned detectors: linear models per role beside the rules (see docs/models.md)."""

from __future__ import annotations

from pathlib import Path

from calmline.learned.model import ModelSet, RoleModel, load_models, save_models
from calmline.learned.stage import LearnedStage

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "default"


def shipped_models() -> ModelSet | None:
    """The models that ship with calmline, or None in a build without them."""
    if not (DEFAULT_MODEL_DIR / "model.json").exists():
        return None
    return load_models(DEFAULT_MODEL_DIR)


__all__ = ["DEFAULT_MODEL_DIR", "LearnedStage", "ModelSet", "RoleModel", "load_models",
           "save_models", "shipped_models"]
