"""An optional language-model writer for the customer's lines: any OpenAI-compatible
chat-completions endpoint, configured by URL. The simulator still decides what the
customer does (temper, intent, outcome); the model only words it. Off by default."""

from __future__ import annotations

import json
import random
import urllib.error
import urllib.request
from collections.abc import Set
from dataclasses import dataclass

from calmline.errors import CalmlineError, ErrorCode
from calmline.simulator.replies import Intent, ReplyRequest, pool

MAX_REPLY_CHARS = 600
MAX_RESPONSE_BYTES = 1_000_000
# What each intent asks the model to do, in the customer's voice.
_INTENT_BRIEF: dict[Intent, str] = {
    Intent.OPENING: "Open the call: say what went wrong, with the facts.",
    Intent.VENT: "Keep venting about what happened; you are not finished yet.",
    Intent.PRESS: "Push for a fix; you still have no solution.",
    Intent.ANSWER: "Answer the agent's question using the facts.",
    Intent.NOT_READY: "Say you are not ready to accept anything yet; you want to be understood first.",
    Intent.REFUSE: "Turn down what was offered; it is not what you want.",
    Intent.EXCEPTION: "Ask the agent to get an exception approved.",
    Intent.ACCEPT: "Accept the offer and thank the agent; the call ends.",
    Intent.MANAGER: "Demand a manager or supervisor.",
    Intent.HANG_UP: "You have had enough: say so and hang up.",
    Intent.ESCALATED: "Agree to be transferred to a supervisor.",
    Intent.ABUSE: "Insult the agent (mild profanity, no slurs) while complaining.",
    Intent.AFTER_BOUNDARY: "Grudgingly apologise for your language.",
}


class BackendError(CalmlineError):
    """The language-model endpoint failed; the offline writer takes over for that line."""

    code = ErrorCode.E402_PRACTICE_BACKEND


@dataclass(frozen=True, slots=True)
class ChatBackend:
    """Writes lines with an OpenAI-compatible ``/chat/completions`` endpoint at ``url``."""

    url: str
    model: str = "default"
    api_key: str | None = None
    timeout_s: float = 20.0

    def __post_init__(self) -> None:
        if not self.url.lower().startswith(("http://", "https://")):
            raise BackendError(f"the language-model URL must be http(s), not {self.url!r}",
                               hint="e.g. http://127.0.0.1:8080/v1/chat/completions")

    def write(self, request: ReplyRequest, rng: random.Random, used: Set[str]) -> str:
        payload = {"model": self.model, "messages": messages(request),
                   "temperature": 0.8, "seed": rng.randrange(2**31), "max_tokens": 160}
        reply = _content(self._post(payload))
        return reply[:MAX_REPLY_CHARS].strip()

    def _post(self, payload: dict[str, object]) -> object:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        call = urllib.request.Request(self.url, data=json.dumps(payload).encode("utf-8"),
                                      headers=headers, method="POST")
        try:
            with urllib.request.urlopen(call, timeout=self.timeout_s) as response:
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise BackendError(f"the language-model endpoint failed: {exc}", source=self.url,
                               hint="check --llm-url, or leave it out to practise offline") from exc
        if len(body) > MAX_RESPONSE_BYTES:
            raise BackendError("the language-model response is too large", source=self.url)
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BackendError(f"the language-model response is not JSON: {exc}", source=self.url) from exc


def messages(request: ReplyRequest) -> list[dict[str, str]]:
    """The chat prompt: the persona and facts, the call so far, and what to do now."""
    scenario = request.scenario
    facts = "; ".join(f"{key}: {value}" for key, value in scenario.facts.items())
    example = pool(scenario, request.intent.value)[0] if request.intent is not Intent.VENT else ""
    system = (f"You play {scenario.persona.name}, a customer calling a contact center. "
              f"{scenario.persona.description} Facts of the case: {facts or 'none'}. "
              "Reply with one or two short spoken sentences as the customer, nothing else.")
    turns = [{"role": "user" if role == "agent" else "assistant", "content": text}
             for role, text in request.transcript]
    mood = f"Your temper is {request.temper:.0f} out of 100."
    reaction = f" React first to the agent's last move ({request.reaction})." if request.reaction else ""
    task = f"{mood}{reaction} {_INTENT_BRIEF[request.intent]}" + (
        f" For example: {example}" if example else "")
    return [{"role": "system", "content": system}, *turns, {"role": "system", "content": task}]


def _content(body: object) -> str:
    try:
        text = body["choices"][0]["message"]["content"]  # type: ignore[index]
    except (KeyError, IndexError, TypeError) as exc:
        raise BackendError("the language-model response has no choices[0].message.content") from exc
    if not isinstance(text, str):
        raise BackendError("the language-model response's content is not text")
    return text
