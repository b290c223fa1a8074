"""What evaluating a student's function outside the kernel costs (course.sandbox.runner).

Prints the median wall time of one sandbox evaluation of a trivial function (start-up: a fresh
``python -I -S`` that imports course.sandbox.runner, defines the code and answers one case), the per-call
overhead of 1,000 calls in one subprocess (time beyond start-up, divided by the calls), strategy games
through the one strategy runner (``course.grading.strategy.play_games``: the engine on this side, one view
per turn to the child), and the 80 hidden games of a typical strategy (the answer key's ``my_strategy`` of
04 over the seeds of ``test_strategy_safety``). Figures, never asserts: the machine is shared.

    .venv/bin/python benchmarks/sandbox.py [--runs N] [--calls N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from course.grading.strategy import play_games
from course.sandbox.runner import evaluate

TRIVIAL = "def f(x):\n    return x + 1\n"
FIRST = "def first(view):\n    return view.actions[0]\n"
KEY = Path(__file__).resolve().parents[1] / "solutions" / "04-crisis-wargame" / "crisis-wargame.ipynb"
DOCTRINES = (
    "spiral-prone-reciprocator",
    "deterrence-sensitive-opportunist",
    "resolved-hardliner",
    "status-quo-cautious",
)
NORTH_KOREA = [{"north-korea": d} for d in DOCTRINES]


def typical_strategy() -> str:
    """The answer key's my_strategy (04): a few comparisons per turn, as the assignment asks."""
    cells = json.loads(KEY.read_text(encoding="utf-8"))["cells"]
    grade_id = "answer_my_strategy"
    return next("".join(c["source"]) for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def timed(fn) -> float:
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    assert result.ok, result.first_failure() or result.setup_error
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    one = [timed(lambda: evaluate(TRIVIAL, "f", [(1,)])) for _ in range(args.runs)]
    start_up = statistics.median(one)
    many = [timed(lambda: evaluate(TRIVIAL, "f", [(k,) for k in range(args.calls)])) for _ in range(5)]
    per_call = (statistics.median(many) - start_up) / args.calls
    games = [timed(lambda: play_games(FIRST, "first", "korean-peninsula-2024", range(1))) for _ in range(5)]
    ten = [timed(lambda: play_games(FIRST, "first", "korean-peninsula-2024", range(10))) for _ in range(3)]
    key = typical_strategy()
    hidden = [
        timed(
            lambda: play_games(
                key,
                "my_strategy",
                "korean-peninsula-2024",
                range(7101, 7121),
                NORTH_KOREA,
                timeout_per_call=0.1,
                total_timeout=40,
            )
        )  # fmt: skip
        for _ in range(5)
    ]
    print(f"Python {sys.version.split()[0]}; medians")
    print(f"  start-up, one call of a trivial function:    {start_up * 1000:7.1f} ms  ({args.runs} runs)")
    print(f"  {args.calls} calls in one subprocess:              {statistics.median(many) * 1000:7.1f} ms")
    print(f"  per-call overhead beyond start-up:           {per_call * 1e6:7.1f} us")
    print(f"  play_games, 1 game:                          {statistics.median(games) * 1000:7.1f} ms")
    print(f"  play_games, 10 games:                        {statistics.median(ten) * 1000:7.1f} ms")
    print(f"  80 hidden games of a typical strategy:       {statistics.median(hidden) * 1000:7.1f} ms  (budget 2 s)")


if __name__ == "__main__":
    main()
