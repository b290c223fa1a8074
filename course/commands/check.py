"""Check your saved notebook as the grader would run it: per graded question, passed or failed.

Runs the notebook from the top in a fresh kernel, in a temporary copy of its folder (nothing is written
beside your file), and prints each visible test's result with its message and points, the written
answers your instructor will grade (with the notebook's self-assessment list), and any other cell that
raised. Hidden tests are never run or shown. Exit status: 0 when every visible test passes, 1 when one
fails, 2 when the notebook cannot be read. See docs/how-to/check-your-work.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "run your saved notebook in a fresh kernel and report each graded question (visible tests only)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebook", type=Path, help="the notebook to check, e.g. exercises/00-demo/demo.ipynb")
    parser.add_argument(
        "--timeout",
        type=float,
        default=60,
        help="seconds a cell may run before it is interrupted (default 60)",
    )


def run(args: argparse.Namespace) -> int:
    path: Path = args.notebook
    if path.suffix != ".ipynb" or not path.is_file():
        print(f"{path}: no such notebook (give the path of a .ipynb file)", file=sys.stderr)
        return 2
    from course.grading.selfcheck import check

    try:
        report = check(path, timeout=args.timeout)
    except (ValueError, OSError) as err:  # nbformat's NotJSONError is a ValueError
        print(f"{path}: cannot be read as a notebook: {err}", file=sys.stderr)
        return 2
    print(report.render())
    return 0 if report.ok else 1
