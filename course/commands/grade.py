"""Autograde every submission of an assignment with nbgrader, in parallel, and report each bad one.

Grades submitted/<student>/ASSIGNMENT/ into the gradebook and autograded/ exactly as
`nbgrader autograde` would, with --jobs worker processes. Students already graded (and not
re-submitted since) are skipped unless --force. Kernels run under a memory cap and a per-cell
time limit, and under bubblewrap where the machine allows (the summary says whether they did).

Exit status: 0 every submission graded; 1 at least one could not be graded (see the table);
2 usage error (no such assignment, no submissions, unknown student); 130 interrupted by Ctrl-C
(students finished before it keep their grades; run the command again to resume).
"""

from __future__ import annotations

import argparse
import os
import sys

from course.coursedir import add_root

HELP = "autograde submissions in parallel with nbgrader; report bad submissions by student"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="assignment id, e.g. 00-demo")
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="worker processes (default: 2, or 1 on a one-core machine)",
    )
    parser.add_argument(
        "--student", action="extend", nargs="+", default=[], metavar="ID", help="grade only these students"
    )
    parser.add_argument("--timeout", type=int, default=None, help="seconds per cell (default: nbgrader_config.py)")
    parser.add_argument("--memory-mb", type=int, default=None, help="kernel memory cap in MiB (default: 4096)")
    parser.add_argument("--force", action="store_true", help="grade again students already graded")
    parser.add_argument(
        "--salvage",
        action="store_true",
        help="when a cell kills the kernel, grade a copy with that cell replaced by an error (reported)",
    )
    parser.add_argument(
        "--no-sandbox",
        action="store_true",
        help="grade without bubblewrap, as where it cannot run (what that leaves open is flagged instead); "
        "the same as PACT_COURSE_SANDBOX=off, while PACT_COURSE_SANDBOX=require refuses to grade without it",
    )
    add_root(parser)


def run(args: argparse.Namespace) -> int:
    from course.autograde.kernel_limits import DEFAULT_MEMORY_MB
    from course.autograde.progress import Progress, summary
    from course.autograde.run import EXIT_USAGE, Options, UsageError, exit_status, grade_class
    from course.sandbox import jail

    if args.jobs < 1 or (args.timeout is not None and args.timeout < 1):
        print("--jobs and --timeout must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.no_sandbox:
        os.environ[jail.ENV] = "off"  # the grading processes inherit it
    options = Options(
        root=args.root.resolve(),
        assignment=args.assignment,
        jobs=args.jobs,
        students=list(dict.fromkeys(args.student)),
        timeout=args.timeout,
        memory_mb=args.memory_mb or DEFAULT_MEMORY_MB,
        force=args.force,
        salvage=args.salvage,
    )
    try:
        outcomes, interrupted = grade_class(options, Progress(0, sys.stderr))
    except UsageError as err:
        print(f"grade: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(summary(outcomes, args.assignment, sandbox=jail.describe()))
    return exit_status(outcomes, interrupted)
