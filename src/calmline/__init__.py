"""calmline: a de-escalation copilot for contact centers.

The core API::

    from calmline import analyze, Session, read_conversation
    report = analyze(read_conversation("call.json"))
    print(report.scorecard.overall)
"""

from calmline.conversation import Channel, Conversation, Role, Turn
from calmline.engine import analyze
from calmline.errors import CalmlineError
from calmline.nudges import Nudge
from calmline.playbook import Playbook, load_playbook
from calmline.report import Report
from calmline.session import Session
from calmline.signals import Signal

__version__ = "0.1.0"


def read_conversation(path: str, format: str | None = None) -> Conversation:
    """Read one call from a transcript file in any supported format."""
    from calmline.formats import read_conversation as _read

    return _read(path, format)


__all__ = [
    "CalmlineError",
    "Channel",
    "Conversation",
    "Nudge",
    "Playbook",
    "Report",
    "Role",
    "Session",
    "Signal",
    "Turn",
    "__version__",
    "analyze",
    "load_playbook",
    "read_conversation",
]
