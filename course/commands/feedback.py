"""Write nbgrader's feedback HTML for autograded students, with hidden tests removed.

Runs `nbgrader generate_feedback` with a preprocessor that strips hidden-test code from the test
cells and shows a failed hidden test as its message alone, then checks each page for any
hidden-test line and removes a page that has one. Output: feedback/<student>/ASSIGNMENT/*.html.

Exit status: 0 feedback written for every student asked; 1 some student has none (not graded yet,
nbgrader failed, or a page was withheld); 2 usage error.
"""

from __future__ import annotations

import argparse
import sys

from course.coursedir import SOURCE, add_root, assignment_dir, course_root

HELP = "write feedback HTML (nbgrader) without hidden tests or tracebacks that quote them"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="assignment id, e.g. 00-demo")
    parser.add_argument("--student", action="extend", nargs="+", default=[], metavar="ID", help="only these students")
    add_root(parser)


def run(args: argparse.Namespace) -> int:
    root = course_root(args)
    if root is None:
        return 2
    if not assignment_dir(root, SOURCE, args.assignment).is_dir():
        print(f"feedback: no assignment {SOURCE}/{args.assignment}", file=sys.stderr)
        return 2
    from course.autograde.feedback import generate

    report = generate(root, args.assignment, args.student or None)
    for student in report.written:
        print(f"{student}: feedback/{student}/{args.assignment}/")
    for student, why in {**report.failed, **report.withheld}.items():
        print(f"{student}: NO FEEDBACK - {why}")
    if not (report.written or report.failed or report.withheld):
        print(f"nobody has been autograded on {args.assignment} yet")
    return 1 if report.failed or report.withheld else 0
