"""Service settings, read from ``CALMLINE_*`` environment variables (or given in code)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from calmline.redaction import DEFAULT_ENTITIES


class Settings(BaseSettings):
    """Everything ``calmline serve`` can be told. Defaults need no set-up at all."""

    model_config = SettingsConfigDict(env_prefix="CALMLINE_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///calmline.db",
        description="SQLAlchemy URL: sqlite:///file.db or postgresql://user@host/db")
    migrate_on_start: bool = Field(default=True, description="Run the migrations when the app starts.")
    redaction: bool = Field(default=True, description="Redact PII before anything is stored.")
    redaction_entities: tuple[str, ...] = Field(default=DEFAULT_ENTITIES, description="Presidio kinds.")
    redaction_spacy_model: str | None = Field(
        default=None,
        description="An installed spaCy model with NER (e.g. en_core_web_lg), to redact names too.")
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, description="Largest request body.")
    max_frame_bytes: int = Field(default=256 * 1024, ge=1024, description="Largest WebSocket frame.")
    login_token_hours: float = Field(default=12.0, gt=0, description="Lifetime of a login token.")
    sse_heartbeat_seconds: float = Field(default=15.0, gt=0, description="Idle time between SSE keep-alives.")
