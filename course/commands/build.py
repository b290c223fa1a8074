"""Regenerate exercises/ (what students get) and solutions/ (the answer key) from source/ with nbgrader.

Runs `nbgrader generate_assignment` and `nbgrader generate_solution` for each assignment, then checks
that no solution text, hidden test or output reached exercises/, and that solutions/ holds no hidden
tests, no solution markers and no cell that raised.

The first build on an account also creates the instructor's seed of hidden test cases, outside the course
(~/.config/pact-course/seeds/<course id>: course.grading.seed), and says so.

The build replaces exercises/<assignment>/ and solutions/<assignment>/ entirely. If they hold a file it did
not make itself (an answered notebook, notes, decision logs), it changes nothing, names each file and exits
with status 2; --overwrite copies them to .pact-backup/<time>/ first and then builds. Work in my-work/
(`make my-work`), which the build never touches.
"""

from __future__ import annotations

import argparse
import sys

from course.coursedir import add_root, course_root

HELP = "regenerate exercises/ and solutions/ from source/ (nbgrader) and check them for leaks and errors"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", nargs="*", help="assignment ids (default: every folder in source/)")
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace files in exercises/ and solutions/ that the build did not make, after copying them to "
        ".pact-backup/<time>/",
    )
    add_root(parser)


def run(args: argparse.Namespace) -> int:
    from course.autograde.build import BuildError, WorkAtRisk, build

    root = course_root(args)
    if root is None:
        return 2
    try:
        report = build(root, args.assignment or None, overwrite=args.overwrite)
    except WorkAtRisk as err:
        print(err, file=sys.stderr)
        return 2
    except BuildError as err:
        print(f"build failed: {err}", file=sys.stderr)
        return 1
    for note in report.notes:
        print(note)
    if report.backup:
        print(f"copied {len(report.backed_up)} file(s) the build did not make to {report.backup}:")
        for name in report.backed_up:
            print(f"  {name}")
    if not report.assignments:
        print("nothing to build: source/ holds no assignment yet")
        return 0
    print(
        f"built {len(report.assignments)} assignment(s), {report.notebooks} notebook(s): "
        + ", ".join(report.assignments)
    )
    return 0
