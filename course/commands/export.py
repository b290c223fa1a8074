"""Export the gradebook: grades.csv (every assignment's score, max and status, and a total) and
canvas-grades.csv (Canvas's gradebook-import format). Columns: docs/how-to/grade-a-class.md.

Reads nbgrader's gradebook (db_url in nbgrader_config.py) and never writes to it.
Exit status: 0 written; 2 usage error (not a course directory, or a gradebook that cannot be opened).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.coursedir import add_root, course_root

HELP = "export grades from the gradebook as a CSV and a Canvas gradebook-import CSV"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, default=None, help="folder for the CSVs (default: exports/)")
    parser.add_argument("--section", default="", help="value of Canvas's Section column (default: empty)")
    add_root(parser)


def run(args: argparse.Namespace) -> int:
    root = course_root(args)
    if root is None:
        return 2
    from course.autograde.export import read, write_canvas, write_plain
    from course.autograde.gradebook import gradebook_problem
    from course.coursedir import course_id, db_url

    url, course = db_url(root), course_id(root)
    problem = gradebook_problem(url, course)
    if problem:
        print(f"export: {problem}", file=sys.stderr)
        return 2
    output = (args.output or root / "exports").resolve()
    output.mkdir(parents=True, exist_ok=True)
    table = read(url, course)
    plain = write_plain(table, output / "grades.csv")
    canvas = write_canvas(table, output / "canvas-grades.csv", section=args.section)
    print(f"{len(table.rows)} student(s), {len(table.assignments)} assignment(s)")
    for status in ("needs manual grading", "not graded"):
        who = [f"{r.student} ({a})" for r in table.rows for a, m in r.marks.items() if m[2] == status]
        if who:
            print(f"{status} ({len(who)}): {', '.join(who)}")
    print(f"wrote {plain}")
    print(f"wrote {canvas}")
    return 0
