"""The label taxonomy calmline publishes: every label a detector may emit.

The public names (PRODUCT.md) are fixed; the extra labels cover the rest of the
playbook (venting, jargon, interruptions...) and are published here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from calmline.conversation import Role


class Polarity(StrEnum):
    """Whether an agent move helps, hurts, or (for customers) describes a state."""

    GOOD = "good"
    HARMFUL = "harmful"
    STATE = "state"


@dataclass(frozen=True, slots=True)
class LabelInfo:
    name: str
    role: Role
    polarity: Polarity
    description: str
    public: bool = True


def _customer(name: str, description: str, public: bool = True) -> LabelInfo:
    return LabelInfo(name, Role.CUSTOMER, Polarity.STATE, description, public)


def _agent(name: str, description: str, polarity: Polarity, public: bool = True) -> LabelInfo:
    return LabelInfo(name, Role.AGENT, polarity, description, public)


_G, _H = Polarity.GOOD, Polarity.HARMFUL

TAXONOMY: tuple[LabelInfo, ...] = (
    _customer("anger", "The customer is angry or furious."),
    _customer("frustration", "Frustration or disappointment with the situation."),
    _customer("confusion", "The customer does not understand something."),
    _customer("abuse", "Insults or profanity aimed at the agent."),
    _customer("satisfaction", "Thanks, relief or satisfaction."),
    _customer("escalation_request", "Asks for a manager or supervisor."),
    _customer("threat", "Threatens to cancel, sue, complain publicly or go elsewhere."),
    _customer("repeat_contact", "Says this is not the first contact about the issue.", False),
    _customer("venting", "A long emotional turn: the customer needs to be heard.", False),
    _agent("empathy", "Names or validates the customer's feeling.", _G),
    _agent("acknowledgment", "Restates or confirms the customer's issue.", _G),
    _agent("apology", "An apology that takes ownership.", _G),
    _agent("non_apology", "An apology that shifts the fault ('sorry you feel that way').", _H),
    _agent("question", "Any question to the customer.", _G),
    _agent("open_question", "A question that invites the customer to explain.", _G),
    _agent("solution", "Offers a concrete fix or next step.", _G),
    _agent("options", "Offers the customer a choice between several options.", _G),
    _agent("reassurance", "Reassures the customer that it will be handled.", _G),
    _agent("timeline", "Gives a time frame for what happens next.", _G),
    _agent("follow_up", "Commits to follow up with the customer.", _G),
    _agent("boundary", "Calmly sets a limit on abusive language.", _G),
    _agent("escalation_offer", "Offers to bring in a supervisor or specialist.", _G),
    _agent("callback_offer", "Offers to call the customer back.", _G),
    _agent("blame", "Blames the customer.", _H),
    _agent("dismissive", "Dismisses the customer ('calm down', 'nothing I can do').", _H),
    _agent("active_listening", "Short cues that show the agent is listening.", _G, False),
    _agent("admission", "Admits the company made a mistake.", _G, False),
    _agent("pros_cons", "Explains the pros and cons of the options.", _G, False),
    _agent("resolution_check", "Checks the issue is resolved ('anything else?').", _G, False),
    _agent("personalisation", "Uses the customer's name or history.", _G, False),
    _agent("extra_mile", "Goes beyond the fix: a credit, discount or expedite.", _G, False),
    _agent("jargon", "Internal or technical terms the customer may not know.", _H, False),
    _agent("interruption", "Talks over a customer who is still speaking.", _H, False),
    _agent("repeat_question", "Asks for something the customer already gave.", _H, False),
    _agent("negative_language", "Policy-hiding or negative phrasing ('we can't', 'policy').", _H, False),
    _agent("arguing", "Argues back or contradicts the customer.", _H, False),
)

LABELS: dict[str, LabelInfo] = {info.name: info for info in TAXONOMY}
CUSTOMER_LABELS: tuple[str, ...] = tuple(i.name for i in TAXONOMY if i.role is Role.CUSTOMER)
AGENT_LABELS: tuple[str, ...] = tuple(i.name for i in TAXONOMY if i.role is Role.AGENT)
HARMFUL_LABELS: frozenset[str] = frozenset(i.name for i in TAXONOMY if i.polarity is _H)
PUBLIC_LABELS: tuple[str, ...] = tuple(i.name for i in TAXONOMY if i.public)
