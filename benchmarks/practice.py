"""Practice mode: compute time per trainee turn (detectors + temper + customer line),
over the whole curriculum, good and poor agents, several seeds. Also the one-off start-up
(loading the detectors) and the debrief. Target: under a second per turn.

    python benchmarks/practice.py              # 5 seeds per scenario and script
    python benchmarks/practice.py --seeds 20
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    from tests.simulator.scripts import GOOD, POOR

    from calmline.simulator import PracticeSession, curriculum, debrief

    PracticeSession(curriculum()["double_billing"], seed=0)
    startup = time.perf_counter() - started

    turns: list[float] = []
    debriefs: list[float] = []
    for scenario in curriculum().values():
        for script in (GOOD[scenario.id], POOR[scenario.id]):
            for seed in range(args.seeds):
                session = PracticeSession(scenario, seed=seed)
                for text in script:
                    if session.finished:
                        break
                    began = time.perf_counter()
                    session.reply(text)
                    turns.append(time.perf_counter() - began)
                began = time.perf_counter()
                debrief(session)
                debriefs.append(time.perf_counter() - began)

    ms = sorted(t * 1000 for t in turns)
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{len(curriculum())} scenarios x 2 scripts x {args.seeds} seeds")
    print(f"start-up (load detectors, first session): {startup:.2f} s")
    print(f"per trainee turn ({len(ms)} turns): median {statistics.median(ms):.1f} ms, "
          f"p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms, max {ms[-1]:.1f} ms")
    print(f"debrief (scorecard + advice): median {statistics.median(debriefs) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
