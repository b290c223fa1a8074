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

from course.engine.crisis import (
    Crisis,  # noqa: E402
    tournament,  # noqa: E402
)
from course.engine.strategies import Plan  # noqa: E402
from course.scenario.loader import load  # noqa: E402

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


def teaching_figures(seeds: int) -> None:
    """The DESIGN "What makes the wargame teach" figures (the tests assert them; this prints them)."""
    from course.engine import strategies

    nk = [d.id for d in SCENARIO.opponents[0].doctrines]
    actions = [a.id for a in SCENARIO.actions]
    grid = [Plan(a) for a in actions]
    grid += [Plan(a, k, b) for a in actions for b in actions if a != b for k in (1, 2, 4, 6)]
    drawn = {s: Crisis(SCENARIO, seed=s).doctrines["north-korea"] for s in range(seeds)}
    scores = {p.__name__: [Crisis(SCENARIO, seed=s).run(p).score() for s in range(seeds)] for p in grid}
    print(f"teaching figures over {seeds} seeds drawn from the priors, {len(grid)} fixed plans:")
    for d in nk:
        mine = [s for s in range(seeds) if drawn[s] == d]
        best = max(scores, key=lambda n: statistics.fmean(scores[n][s] for s in mine))
        print(
            f"  best fixed plan vs {d} ({len(mine)} games): {best}"
            f" ({statistics.fmean(scores[best][s] for s in mine):.1f})"
        )
    adaptive = [Crisis(SCENARIO, seed=s).run(strategies.adaptive).score() for s in range(seeds)]
    best = max(scores, key=lambda n: statistics.fmean(scores[n]))
    diff = [a - b for a, b in zip(adaptive, scores[best], strict=True)]
    half = 1.96 * statistics.stdev(diff) / len(diff) ** 0.5
    print(
        f"  adaptive {statistics.fmean(adaptive):.1f} vs best fixed plan {best} {statistics.fmean(scores[best]):.1f}:"
        f" paired difference {statistics.fmean(diff):.1f} ± {half:.1f} (95% CI)"
    )

    def share(policy, doctrine, kinds):
        games = [Crisis(SCENARIO, seed=s, doctrines={"north-korea": doctrine}).run(policy) for s in range(seeds)]
        return sum(g.outcome_kind in kinds for g in games) / len(games)

    print(f"  always-deter vs reciprocator ends in war: {share(strategies.always_deter, nk[0], {'war'}):.0%}")
    print(f"  always-talk vs opportunist ends in breakout: {share(strategies.always_talk, nk[1], {'breakout'}):.0%}")
    games = [Crisis(SCENARIO, seed=s).run(strategies.random_policy) for s in range(2 * seeds)]
    kinds = {k: sum(g.outcome_kind == k for g in games) / len(games) for k in tournament.KINDS}
    print("  random legal play: " + ", ".join(f"{k} {v:.0%}" for k, v in kinds.items()))
    for a in (0.1, 0.5, 0.9):
        s = SCENARIO.with_ambiguity(a)
        russia = s.opponents[1]
        effects = [
            russia.response(t.responses[1]).effects.get("tension", 0.0)
            for seed in range(seeds)
            for t in Crisis(s, seed=seed, doctrines={"north-korea": nk[0]}).run(strategies.always_deter).history
            if t.situations[1] == "clash"
        ]
        print(
            f"  ambiguity {a}: spread (sd) of Russia's tension effect in a clash {statistics.pstdev(effects):.1f}"
            f" over {len(effects)} clashes"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--games", type=int, default=5000)
    parser.add_argument("--teach", type=int, default=0, metavar="SEEDS", help="also print the teaching figures")
    args = parser.parse_args()
    if args.teach:
        teaching_figures(args.teach)

    def median(fn, *a):
        runs = [fn(*a) for _ in range(args.repeat)]
        return tuple(statistics.median(r[i] for r in runs) for i in range(len(runs[0])))

    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores shared)")
    tps, gps, cps = median(engine_loop, args.games)
    print(f"engine loop, 1 process:        {tps:>9,.0f} turns/s  {gps:>7,.0f} games/s ({cps:,.0f} turns/CPU-s)")
    tps, gps, cps = median(with_policy, args.games)
    print(f"engine + view + policy, 1 proc:{tps:>9,.0f} turns/s  {gps:>7,.0f} games/s ({cps:,.0f} turns/CPU-s)")
    for jobs in sorted({1, args.jobs}):
        gps, dt = median(parallel_games, jobs, 5000)
        print(f"tournament games, --jobs {jobs}:    {gps:>9,.0f} games/s ({dt:.1f} s for 40,000 games)")
    dt, games = median(big_tournament, args.jobs)
    print(f"100 strategies x 5 doctrines x 100 seeds ({games:,} games), --jobs {args.jobs}: {dt:.1f} s")


if __name__ == "__main__":
    main()
