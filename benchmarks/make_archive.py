"""Build a synthetic archive of N realistic calls for load tests.

Each call is stitched from the sample calls' building blocks: the opening of one sample,
a middle of customer and agent turns drawn (in order, alternating) from the samples'
heated, discovery and resolution passages, and the closing of another, with names,
amounts and ids varied, and most turns opened by a short detail holding a number, so that
turn texts seldom repeat, as in a real archive: the detectors cache some results by text,
and an archive of a few hundred distinct texts would measure those caches, not the scoring.
The numbers come from a small range, so the archive's vocabulary stays that of the samples
(the tokenizer learns each new word once; an archive full of never-seen words such as
long ids pays that on every one). Calls average ~40 turns. The output kind follows --out:
    python benchmarks/make_archive.py --calls 20000 --out archive.jsonl     # one call a line
    python benchmarks/make_archive.py --calls 2000 --out archive.parquet    # a transcript table
    python benchmarks/make_archive.py --calls 500 --out calls/              # mixed .json/.txt/.csv files
The same --seed gives the same archive.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from calmline.conversation import Conversation, Role, Turn
from calmline.formats import read_conversations, to_record

CALLS = Path(__file__).resolve().parents[1] / "examples" / "calls"
SUFFIXES = {".json", ".jsonl", ".txt", ".csv", ".vtt", ".srt"}
NAMES = ("Marcus", "Priya", "Dana", "Tomasz", "Aisha", "Keiko", "Luis", "Fiona", "Omar", "Ruth")
AGENTS = ("Kyle", "Derek", "Sam", "Jo", "Maya", "Ben", "Nadia", "Chris")
MEAN_TURNS = 40


def sample_calls() -> list[Conversation]:
    return [c for p in sorted(CALLS.iterdir()) if p.suffix in SUFFIXES for c in read_conversations(p)]


class Blocks:
    """The sample calls cut into openings, middles (by role) and closings."""

    def __init__(self, calls: list[Conversation]) -> None:
        self.openings = [c.turns[:2] for c in calls]
        self.closings = [c.turns[-2:] for c in calls]
        self.middles = [c.turns[2:-2] for c in calls if len(c.turns) > 6]

    def middle(self, rng: random.Random, length: int) -> list[Turn]:
        """``length`` turns from runs of consecutive sample turns, so replies follow."""
        turns: list[Turn] = []
        while len(turns) < length:
            source = rng.choice(self.middles)
            start = rng.randrange(len(source))
            run = list(source[start:start + rng.randint(4, 10)])
            if turns and run and run[0].role is turns[-1].role:
                run = run[1:]
            turns.extend(run)
        return turns[:length]


# Openings of a turn that make its text its own; {n} is a number from NUMBERS.
DETAILS = {
    Role.CUSTOMER: ("It's account {n}.", "My reference is {n}.", "This is about order {n}.",
                    "Ticket {n}.", "I'm calling about invoice {n}."),
    Role.AGENT: ("I have account {n} open.", "Your reference is {n}.", "Order {n}, yes.",
                 "I'm noting that on ticket {n}.", "Invoice {n}, I see it."),
}
DETAIL_SHARE = 0.7
NUMBERS = (2, 999)


def vary(text: str, rng: random.Random, role: Role = Role.SYSTEM) -> str:
    """Swap names and numbers, and open most spoken turns with a detail of their own, so
    no two calls are the same text and few turns are."""
    for name in NAMES + AGENTS:
        if name in text:
            text = text.replace(name, rng.choice(NAMES if name in NAMES else AGENTS))
    words = text.split(" ")
    text = " ".join(str(rng.randint(*NUMBERS)) if w.isdigit() else w for w in words)
    if role in DETAILS and rng.random() < DETAIL_SHARE:
        text = rng.choice(DETAILS[role]).format(n=rng.randint(*NUMBERS)) + " " + text
    return text


def make_call(blocks: Blocks, rng: random.Random, number: int) -> Conversation:
    length = max(8, int(rng.gauss(MEAN_TURNS, 6)))
    parts = [*rng.choice(blocks.openings), *blocks.middle(rng, length - 4), *rng.choice(blocks.closings)]
    turns = tuple(Turn(i, t.role, vary(t.text, rng, t.role), t.speaker) for i, t in enumerate(parts))
    return Conversation(id=f"call-{number:07d}", turns=turns, agent_id=f"ag-{rng.randint(1, 400):03d}",
                        customer_id=f"cu-{rng.randint(1, 10**6):07d}")


def calls(count: int, seed: int) -> Iterator[Conversation]:
    rng = random.Random(seed)
    blocks = Blocks(sample_calls())
    for number in range(1, count + 1):
        yield make_call(blocks, rng, number)


def as_text(call: Conversation) -> str:
    spoken = (t for t in call.turns if t.role is not Role.SYSTEM)
    return "".join(f"{t.role.value.capitalize()}: {t.text}\n" for t in spoken)


def as_csv(call: Conversation) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["role", "text"])
    writer.writerows([t.role.value, t.text] for t in call.turns)
    return buffer.getvalue()


def write_jsonl(out: Path, count: int, seed: int) -> None:
    with out.open("w", encoding="utf-8") as stream:
        for call in calls(count, seed):
            stream.write(json.dumps(to_record(call), ensure_ascii=False) + "\n")


def write_folder(out: Path, count: int, seed: int) -> None:
    """Mixed formats: native JSON, plain text and CSV, in turn."""
    out.mkdir(parents=True, exist_ok=True)
    for number, call in enumerate(calls(count, seed)):
        kind = number % 3
        if kind == 0:
            (out / f"{call.id}.json").write_text(json.dumps(to_record(call)), encoding="utf-8")
        elif kind == 1:
            (out / f"{call.id}.txt").write_text(as_text(call), encoding="utf-8")
        else:
            (out / f"{call.id}.csv").write_text(as_csv(call), encoding="utf-8")


def write_parquet(out: Path, count: int, seed: int) -> None:
    """A transcript table (key, name, transcript), written 1,000 rows at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("key", pa.string()), ("name", pa.string()), ("transcript", pa.string())])
    batch: list[dict[str, str]] = []
    with pq.ParquetWriter(out, schema) as writer:
        for call in calls(count, seed):
            batch.append({"key": call.id, "name": f"{call.id}.json",
                          "transcript": json.dumps(to_record(call), ensure_ascii=False)})
            if len(batch) == 1000:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--out", type=Path, required=True, help=".jsonl, .parquet, or a folder")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    suffix = args.out.suffix.lower()
    writer = {".jsonl": write_jsonl, ".parquet": write_parquet}.get(suffix, write_folder)
    writer(args.out, args.calls, args.seed)
    print(f"wrote {args.calls} calls to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
