"""Crisis-engine figures: turns/s and games/s (one process and --jobs N), and a large tournament.

    .venv/bin/python benchmarks/engine.py [--jobs 2] [--repeat 3]

Prints medians over ``--repeat`` runs. Targets (issue 3): >= 50,000 turns/s on one core (engine loop);
a 100-strategy x 5-doctrine x 100-seed tournament in < 30 s on two cores. Figures, never asserts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course import tournament  # noqa: E402
from course.engine import Crisis  # noqa: E402
from course.scenario import load  # noqa: E402
from course.strategies import Plan  # noqa: E402

SCENARIO = load("korean-peninsula-2024")
CYCLE = ["coordinate-with-allies", "humanitarian-opening", "burden-sharing", "joint-exercises"]


def engine_loop(games: int) -> tuple[float, float, float]:
    """Raw engine: play() with moves chosen without a View (what a tournament's engine part costs).
    Returns turns/s and games/s of wall time, and turns per CPU second (honest on a busy machine)."""
    start, cpu, turns = time.perf_counter(), time.process_time(), 0
    for seed in range(games):
        game = Crisis(SCENARIO, seed=seed)
        while not game.over:
            game.play(CYCLE[(seed + game.turn) % 4])
        turns += game.turn
    dt, dcpu = time.perf_counter() - start, time.process_time() - cpu
    return turns / dt, games / dt, turns / dcpu


def with_policy(games: int) -> tuple[float, float, float]:
    """Engine plus a View per turn and a plan policy (what a strategy tournament costs per game)."""
    policy = Plan("coordinate-with-allies", 2, "talks-with-guarantees")
    start, cpu, turns = time.perf_counter(), time.process_time(), 0
    for seed in range(games):
        turns += Crisis(SCENARIO, seed=seed).run(policy).turn
    dt, dcpu = time.perf_counter() - start, time.process_time() - cpu
    return turns / dt, games / dt, turns / dcpu


def plans(n: int) -> list[str]:
    """n parametrised fixed-plan strategies (A for k turns, then B), by importable name."""
    actions = [a.id for a in SCENARIO.actions]
    names = [f"plan:{a}*{k}:{b}" for k in (1, 2, 3, 4, 6) for a in actions for b in actions if a != b]
    return names[:n]


def big_tournament(jobs: int) -> tuple[float, int]:
    doctrines = [d.id for d in SCENARIO.opponents[0].doctrines]
    doctrines.append({"north-korea": "deterrence-sensitive-opportunist", "russia": "committed-patron"})
    names = plans(100)
    start = time.perf_counter()
    res = tournament.run(names, SCENARIO, seeds=100, doctrines=doctrines, jobs=jobs)
    return time.perf_counter() - start, sum(c.games for c in res.table)


def parallel_games(jobs: int, seeds: int) -> tuple[float, float]:
    names = ["plan:coordinate-with-allies*2:talks-with-guarantees"] * 8
    start = time.perf_counter()
    res = tournament.run(names, SCENARIO, seeds=seeds, doctrines=[{}], jobs=jobs)
    dt = time.perf_counter() - start
    games = sum(c.games for c in res.table)
    return games / dt, dt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--games", type=int, default=5000)
    args = parser.parse_args()

    def median(fn, *a):
        runs = [fn(*a) for _ in range(args.repeat)]
        return tuple(statistics.median(r[i] for r in runs) for i in range(len(runs[0])))

    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores shared)")
    tps, gps, cps = median(engine_loop, args.games)
    print(
        f"engine loop, 1 process:        {tps:>9,.0f} turns/s  {gps:>7,.0f} games/s ({cps:,.0f} turns/CPU-s)"
    )
    tps, gps, cps = median(with_policy, args.games)
    print(
        f"engine + view + policy, 1 proc:{tps:>9,.0f} turns/s  {gps:>7,.0f} games/s ({cps:,.0f} turns/CPU-s)"
    )
    for jobs in sorted({1, args.jobs}):
        gps, dt = median(parallel_games, jobs, 1000)
        print(f"tournament games, --jobs {jobs}:    {gps:>9,.0f} games/s ({dt:.1f} s for 8,000 games)")
    dt, games = median(big_tournament, args.jobs)
    print(f"100 strategies x 5 doctrines x 100 seeds ({games:,} games), --jobs {args.jobs}: {dt:.1f} s")


if __name__ == "__main__":
    main()
