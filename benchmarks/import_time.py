"""How long `import course` (and the modules a student kernel imports) take in a fresh interpreter.

Prints the median of several fresh interpreters for each import, next to a bare interpreter. Every
notebook and every autograded submission pays these once, so they are kept small (DESIGN.md).

    .venv/bin/python benchmarks/import_time.py [--runs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time

MODULES = [
    "course",
    "course.reading.digest",
    "course.scenario.loader",
    "course.engine.crisis",
    "course.engine.strategies",
    "course.grading.checks",
    "course.sandbox.runner",
    "course.games",
    "course.widgets",
]


def fresh(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bare = statistics.median(fresh("pass") for _ in range(args.runs))
    print(f"median of {args.runs} fresh interpreters (Python {sys.version.split()[0]})")
    print(f"{'bare interpreter':<28}{bare:8.3f} s")
    for name in MODULES:
        if importlib.util.find_spec(name.split(".")[0]) is None:
            continue
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            print(f"{'import ' + name:<28}{'(not in this version)':>22}")
            continue
        median = statistics.median(fresh(f"import {name}") for _ in range(args.runs))
        print(f"{'import ' + name:<28}{median:8.3f} s   ({median - bare:+.3f} s over bare)")


if __name__ == "__main__":
    main()
