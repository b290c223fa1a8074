"""Run the reference strategies against every doctrine over many seeds and print the leaderboard."""

from __future__ import annotations

import argparse

HELP = "run the reference strategies over many seeds and print the leaderboard"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", default="korean-peninsula-2024", help="scenario id or YAML file")
    parser.add_argument("--seeds", type=int, default=200, help="number of seeds per strategy and doctrine")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--table", action="store_true", help="also print the strategy x doctrine table")


def run(args: argparse.Namespace) -> int:
    from course.engine import tournament
    from course.scenario.loader import load

    scenario = load(args.scenario)
    results = tournament.run(tournament.REFERENCE, scenario, seeds=args.seeds, jobs=args.jobs)
    print(f"{scenario.id}: {args.seeds} seeds per doctrine; scores are illustrative, weights in the scenario")
    print(results.format_leaderboard())
    if args.table:
        print()
        print(results.format_table())
    return 0
