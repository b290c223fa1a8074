"""Regenerate exercises/ (what students get) and solutions/ (the answer key) from source/ with nbgrader.

Runs `nbgrader generate_assignment` and `nbgrader generate_solution` for each assignment, then checks
that no solution text, hidden test or output reached exercises/, and that solutions/ holds no hidden
tests, no solution markers and no cell that raised.
"""

from __future__ import annotations

import argparse
import sys

from course.coursedir import add_root, course_root

HELP = "regenerate exercises/ and solutions/ from source/ (nbgrader) and check them for leaks and errors"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", nargs="*", help="assignment ids (default: every folder in source/)")
    add_root(parser)


def run(args: argparse.Namespace) -> int:
    from course.autograde.build import BuildError, build

    root = course_root(args)
    if root is None:
        return 2
    try:
        report = build(root, args.assignment or None)
    except BuildError as err:
        print(f"build failed: {err}", file=sys.stderr)
        return 1
    if not report.assignments:
        print("nothing to build: source/ holds no assignment yet")
        return 0
    print(
        f"built {len(report.assignments)} assignment(s), {report.notebooks} notebook(s): "
        + ", ".join(report.assignments)
    )
    return 0
