"""Replay a sample call to `calmline serve` in real time over the live-assist WebSocket and
print each nudge as it arrives, then the final score.

    calmline users create ann                       # prints ann's API token
    calmline serve &
    CALMLINE_TOKEN=cl_... python examples/live_client.py examples/calls/billing_double_charge.json

Turns are paced by their timestamps when the transcript has them (``--speed 2`` plays twice
as fast), else one every two seconds. Each turn is sent first as a partial segment, then as
the final one, as a speech-to-text stream would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import uuid

from websockets.asyncio.client import connect

from calmline import read_conversation
from calmline.conversation import Turn

DEFAULT_GAP_S = 2.0


async def replay(path: str, server: str, token: str, speed: float, agent_id: str | None) -> None:
    conversation = read_conversation(path)
    call_id = f"replay-{uuid.uuid4().hex[:8]}"
    headers = {"Authorization": f"Bearer {token}"}
    async with connect(f"{server}/v1/live/calls/{call_id}", additional_headers=headers) as socket:
        await socket.send(json.dumps({"type": "start", "agent_id": agent_id,
                                      "customer_name": conversation.customer_name}))
        started = json.loads(await socket.recv())
        print(started)
        if started["type"] == "error":
            return
        previous: Turn | None = None
        for turn in conversation.turns:
            await asyncio.sleep(_gap(previous, turn) / speed)
            await _send_turn(socket, turn)
            answer = json.loads(await socket.recv())
            print(f"[{turn.role.value:>8}] {turn.text[:70]}")
            print(f"           temperature {answer['temperature']:.0f}")
            for nudge in answer.get("nudges", []):
                print(f"           → {nudge['text']}  ({nudge['reason']})")
            previous = turn
        await socket.send(json.dumps({"type": "end"}))
        report = json.loads(await socket.recv())["report"]
    print(f"score {report['scorecard']['overall']}, de-escalated: {report['outcome']['deescalated']}")


async def _send_turn(socket: object, turn: Turn) -> None:
    segment = {"type": "segment", "segment_id": f"t{turn.index}", "role": turn.role.value,
               "speaker": turn.speaker, "begin_ms": turn.begin_ms, "end_ms": turn.end_ms}
    words = turn.text.split()
    if len(words) > 4:
        partial = " ".join(words[: len(words) // 2])
        await socket.send(json.dumps({**segment, "text": partial, "final": False}))  # type: ignore[attr-defined]
    await socket.send(json.dumps({**segment, "text": turn.text, "final": True}))  # type: ignore[attr-defined]


def _gap(previous: Turn | None, turn: Turn) -> float:
    if previous is None:
        return 0.0
    if previous.begin_ms is not None and turn.begin_ms is not None:
        return max(0.0, (turn.begin_ms - previous.begin_ms) / 1000)
    return DEFAULT_GAP_S


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("transcript", help="a transcript file in any supported format")
    parser.add_argument("--server", default="ws://127.0.0.1:8000")
    parser.add_argument("--token", default=os.environ.get("CALMLINE_TOKEN"), help="default: $CALMLINE_TOKEN")
    parser.add_argument("--speed", type=float, default=1.0, help="playback speed (2 = twice as fast)")
    parser.add_argument("--agent-id", default=None,
                        help="the call's agent (supervisors and admins; an agent's token uses its own)")
    args = parser.parse_args()
    if not args.token:
        parser.error("an API token is needed: --token or CALMLINE_TOKEN (calmline users token NAME)")
    asyncio.run(replay(args.transcript, args.server, args.token, args.speed, args.agent_id))


if __name__ == "__main__":
    main()
