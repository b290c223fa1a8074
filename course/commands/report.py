"""Write the class report: one self-contained HTML page (figures embedded as PNG; opens offline).

Per assignment in the gradebook (or ASSIGNMENT only): the score distribution, the mean share of the
points per graded cell (which questions the class found hard), and the manual-grading backlog. For
04-crisis-wargame also: how the class's games ended (each decision log replayed) and a tournament of
every student's strategy against each doctrine over --seeds seeds, with the kit's reference strategies as
baselines. Students' strategies are copied from their notebooks' text and run only in sandbox
subprocesses (0.1 s per move, 180 s per student, 512 MiB); --jobs students play at a time.

Reads the gradebook and the students' files; writes only the page.
Exit status: 0 written, nothing failed; 1 written, but something is listed as needing attention (a
submission nbgrader could not grade, a missing/damaged/foreign/unfinished decision log, a strategy that
could not be ranked); 2 usage error (not a course directory, no gradebook, unknown assignment).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from course.coursedir import add_root

HELP = "write the class report (HTML): scores, hard questions, backlog, wargame outcomes and tournament"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", nargs="?", default=None, help="one assignment (default: all in the gradebook)")
    add_root(parser)
    parser.add_argument(
        "--output", type=Path, default=None, help="the HTML file (default: reports/<assignment or class>.html)"
    )
    parser.add_argument("--seeds", type=int, default=200, help="tournament seeds per doctrine (default: 200)")
    parser.add_argument(
        "--jobs", "-j", type=int, default=min(2, os.cpu_count() or 1), help="students played at once (default: 2)"
    )


def run(args: argparse.Namespace) -> int:
    if args.seeds < 2 or args.jobs < 1:
        print("--seeds must be at least 2 and --jobs at least 1", file=sys.stderr)
        return 2
    from course.report.class_report import ReportError, build, write

    root = args.root.resolve()
    try:
        report = build(root, args.assignment, seeds=args.seeds, jobs=args.jobs)
    except ReportError as err:
        print(f"report: {err}", file=sys.stderr)
        return 2
    output = (args.output or root / "reports" / f"{args.assignment or 'class'}.html").resolve()
    write(report, output)
    for a in report.assignments:
        print(f"{a.name}: {a.submissions} submission(s), {len(a.backlog)} waiting for a person")
    if report.wargame:
        t = report.wargame.tournament
        ranked = sum(1 for e in t.leaderboard if not e.reference)
        print(f"{report.wargame.assignment}: {ranked} strategies ranked, {len(t.failures)} not ranked")
    problems = report.problems()
    for line in problems:
        print(f"  attention: {line}")
    print(f"wrote {output}")
    return 1 if problems else 0
