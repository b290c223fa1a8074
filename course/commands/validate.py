"""Check scenario files against the schema and the cross-field rules; print file:line: field: problem."""

from __future__ import annotations

import argparse

HELP = "check scenario YAML files (exit 1 with file:line: field: problem lines)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario YAML files")


def run(args: argparse.Namespace) -> int:
    from course.scenario.loader import ScenarioError, load

    bad = 0
    good = []
    for name in args.files:
        try:
            scenario = load(name)
        except ScenarioError as err:
            print(err)
            bad += 1
        else:
            good.append(scenario)
    if bad:
        return 1
    summary = ", ".join(
        f"{s.id} ({len(s.actions)} actions, {sum(len(o.doctrines) for o in s.opponents)} doctrines, "
        f"{len(s.outcomes)} outcomes)"
        for s in good
    )
    print(f"ok: {len(good)} scenario file(s) valid: {summary}")
    return 0
