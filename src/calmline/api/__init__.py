"""The calmline service (an edge): FastAPI REST + WebSocket API over the core and storage."""

from calmline.api.app import create_app
from calmline.api.settings import Settings

__all__ = ["Settings", "create_app"]
