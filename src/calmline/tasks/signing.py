"""Webhook signatures: HMAC-SHA256 over the timestamp and the body, so a receiver can
check that a delivery is ours and fresh (the scheme is in docs/tasks.md)."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Calmline-Signature"
TIMESTAMP_HEADER = "X-Calmline-Timestamp"
EVENT_HEADER = "X-Calmline-Event"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` of ``"<timestamp>." + body`` under ``secret``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: int, body: bytes, signature: str) -> bool:
    """Whether ``signature`` is ours for this timestamp and body (constant-time compare)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
