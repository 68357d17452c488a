"""Scripted trainee transcripts for every shipped scenario: a good agent that should
bring the customer to a resolution, and a poor one that should not."""

from __future__ import annotations

GOOD: dict[str, list[str]] = {
    "double_billing": [
        "I'm so sorry, that's our mistake. I understand how frustrating it is to be charged twice.",
        "So you were charged twice for order A-20417, is that right?",
        "I can refund the duplicate charge of $84.99 today, back to your card.",
    ],
    "broken_product": [
        "I'm sorry, that's really disappointing after only three weeks.",
        "Could you tell me more about what happened?",
        "So the jar cracked along the seam on the third use, is that right?",
        "I can send you a replacement jar today, or refund the blender in full. Which would you prefer?",
    ],
    "warranty_expired": [
        "I'm sorry, I can see how frustrating that is, four days after the warranty ended.",
        "So the hinge snapped just four days after the warranty ended, is that right?",
        "Let me ask my supervisor to approve an exception, as a goodwill gesture.",
        "I can arrange a free repair of the hinge this week.",
    ],
    "abusive_caller": [
        "I'd like to help you, but I need you to stop calling me names.",
        "I'm sorry, two days without internet when you work from home is awful.",
        "So your connection has been down since Tuesday morning, is that right?",
        "I can book a technician visit for tomorrow morning, and credit the two days.",
    ],
    "manager_demand": [
        "I understand you'd like a manager, and I'm sorry we missed your delivery twice.",
        "So the grey corner sofa was due twice and nobody came, is that right?",
        "That's our mistake, and I'm sorry you lost two days waiting.",
        "I can book a guaranteed delivery slot for Saturday morning and refund the delivery charge.",
    ],
    "confused_jargon": [
        "I'm sorry for the worry, that letter is confusing.",
        "So the payment for your May water bill didn't go through, is that right?",
        "Could you tell me what the letter says?",
        "I can take the fee off and set the payment up again for you today.",
    ],
    "third_time_caller": [
        "I'm so sorry, this is your third call and that's our fault.",
        "So on case 55120 the fridge repair was never booked, is that right?",
        "I understand how frustrating nine days without a fridge must be.",
        "I can book a technician for tomorrow between 8 and 12.",
    ],
    "venting_caller": [
        "Mm-hmm.",
        "Go on.",
        "I'm so sorry, that must have been awful with the kids there.",
        "So your booking was cancelled without warning and you had to find a motel, is that right?",
        "I can refund the booking in full today and credit you for the motel night.",
    ],
    "callback_needed": [
        "I'm sorry, five weeks is far too long and I understand how worrying that is.",
        "So transfer PT-90314 has been stuck for five weeks, is that right?",
        "I can't release it today, but I will call you back tomorrow before noon with an update.",
    ],
    "customer_is_right": [
        "You're right. We made a mistake and I apologize.",
        "So the app showed $59 and you were charged $79, is that right?",
        "I can refund the $20 difference today.",
    ],
}

# The generic poor agent: dismisses, blames, hides behind policy.
DISMISSIVE = [
    "Calm down, there's nothing I can do.",
    "You must have done something wrong.",
    "I'm sorry you feel that way.",
    "Whatever.",
    "That's our policy.",
    "You should have read the terms.",
    "Calm down.",
    "It's not my problem.",
]

# Each scenario's own trap, then the generic poor moves if the call is still going.
POOR: dict[str, list[str]] = {scenario: list(DISMISSIVE) for scenario in GOOD}
POOR.update({
    "confused_jargon": [
        "Your DD mandate got an ACH return, so an NSF fee was applied per the T&Cs.",
        "The SKU on the BACS file was flagged by the ERP.",
        "It's a standard R-code from the ACH network, the RMA is pending.",
        *DISMISSIVE,
    ],
    "third_time_caller": [
        "Can I have your case number please?",
        "What's your case number?",
        "Can you give me the case number again?",
        *DISMISSIVE,
    ],
    "venting_caller": [
        "Okay, what is your booking reference?",
        "Right, and what is the booking number?",
        *DISMISSIVE,
    ],
    "abusive_caller": [
        "Okay. Let me check the account.",
        "One moment.",
        "I'm still looking.",
        "Bear with me.",
        *DISMISSIVE,
    ],
    "customer_is_right": [
        "I'm sorry you feel that way, but the price was correct.",
        "Actually, no, the app is never wrong.",
        *DISMISSIVE,
    ],
    "warranty_expired": [
        "Unfortunately we can't do anything, the warranty has expired.",
        "That's our policy, I'm afraid.",
        *DISMISSIVE,
    ],
})
