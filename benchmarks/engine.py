"""Crisis-engine figures: turns/s and games/s (one process and --jobs N), and a large tournament.

    .venv/bin/python benchmarks/engine.py [--jobs 2] [--repeat 3]
    .venv/bin/python benchmarks/engine.py --teach 200 --no-speed    # the teaching table only

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

from course.engine import tournament  # noqa: E402
from course.engine.crisis import Crisis  # noqa: E402
from course.engine.strategies import Plan  # noqa: E402
from course.scenario.loader import load  # noqa: E402

SCENARIO = load("korean-peninsula-2024")
MIX = ["humanitarian-opening", "joint-exercises", "humanitarian-opening"]  # a third firmness, two thirds offers
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
    """The DESIGN "What makes the wargame teach" table (tests/engine/test_teaching_properties.py asserts it).

    Per North Korean doctrine: the five best fixed plans (constant, and A for k turns then B), chosen on
    seeds 0..SEEDS-1 and scored on the held-out seeds 10000.., with their outcome shares, the share of games
    that ended with nuclear progress above its start, and their stance mix; then the pure plans, a fixed
    mix, the adaptive strategy, and an oracle that knows the doctrine (each doctrine's own best plan).
    Russia's doctrine is drawn from its prior. 95% intervals (normal approximation)."""
    from course.engine import strategies, teaching

    nk = [d.id for d in SCENARIO.opponents[0].doctrines]
    prior = {d.id: d.prior for d in SCENARIO.opponents[0].doctrines}
    train, test = range(seeds), range(10_000, 10_000 + seeds)
    grid = teaching.fixed_plans(SCENARIO)
    print(f"teaching table: {len(grid)} fixed plans, chosen on {seeds} seeds per doctrine, scored on {seeds} others")
    print("columns: mean score, 95% interval, outcome shares (war, breakout, de-escalation, standoff),")
    print("share of games ending with nuclear progress above its start, stance mix of the moves played")
    train_means = {d: {p.__name__: teaching.evaluate(SCENARIO, p, d, train).mean for p in grid} for d in nk}
    by_name = {p.__name__: p for p in grid}
    overall = max(by_name, key=lambda n: sum(prior[d] * train_means[d][n] for d in nk))
    others = [
        ("always-deter", strategies.always_deter),
        ("always-talk", strategies.always_talk),
        ("mixed: offer, drill, offer", strategies.Rotation(MIX)),
        ("adaptive", strategies.adaptive),
    ]
    held: dict[str, dict[str, teaching.Row]] = {}
    for d in nk:
        print(f"\nagainst the {d}:")
        print("  " + teaching.HEADER)
        top = sorted(by_name, key=lambda n: -train_means[d][n])[:5]
        rows = sorted((teaching.evaluate(SCENARIO, by_name[n], d, test) for n in top), key=lambda r: -r.mean)
        for r in rows:
            print("  " + r.line())
        held[d] = {"oracle": rows[0], "best-overall": teaching.evaluate(SCENARIO, by_name[overall], d, test)}
        for label, policy in others:
            held[d][label] = row = teaching.evaluate(SCENARIO, policy, d, test, name=label)
            print("  " + row.line())
    print(f"\nbest single fixed plan over the prior ({', '.join(f'{prior[d]:g}' for d in nk)}): {overall}")

    def weighted(label: str, minus: str) -> tuple[float, float]:
        mean = sum(
            prior[d] * (statistics.fmean(held[d][label].scores) - statistics.fmean(held[d][minus].scores)) for d in nk
        )
        var = sum(
            (prior[d] * teaching.paired_difference(held[d][label].scores, held[d][minus].scores)[1] / 1.96) ** 2
            for d in nk
        )
        return mean, 1.96 * var**0.5

    for label in ("best-overall", "adaptive", "oracle"):
        mean = sum(prior[d] * held[d][label].mean for d in nk)
        print(f"  {label:<14} prior-weighted mean {mean:7.1f}")
    m, h = weighted("adaptive", "best-overall")
    print(f"  value of learning (adaptive - best fixed plan):   {m:6.1f} ± {h:.1f}")
    m, h = weighted("oracle", "best-overall")
    print(f"  value of information (oracle - best fixed plan):  {m:6.1f} ± {h:.1f}")
    m, h = weighted("oracle", "adaptive")
    print(f"  left to learn (oracle - adaptive):                {m:6.1f} ± {h:.1f}")

    for ws in SCENARIO.scoring.weight_sets:
        other = SCENARIO.with_weights(name=ws.id)
        print(f"\nunder the weight set {ws.id!r} (reported, not asserted), on the same held-out seeds:")
        for d in nk:
            best = held[d]["oracle"].name
            cells = [(best, by_name[best])] + [(label, policy) for label, policy in others]
            text = ", ".join(
                f"{label} {teaching.evaluate(SCENARIO, policy, d, test, weights=other).mean:.1f}"
                for label, policy in cells
            )
            print(f"  {d}: {text}")

    games = [Crisis(SCENARIO, seed=s).run(strategies.random_policy) for s in range(2 * seeds)]
    kinds = {k: sum(g.outcome_kind == k for g in games) / len(games) for k in teaching.KINDS}
    print("\nrandom legal play: " + ", ".join(f"{k} {v:.0%}" for k, v in kinds.items()))
    for a in (0.1, 0.5, 0.9):
        s = SCENARIO.with_ambiguity(a)
        russia = s.opponents[1]
        effects = [
            russia.response(t.responses[1]).effects.get("tension", 0.0)
            for seed in range(seeds)
            for t in Crisis(s, seed=seed, doctrines={"north-korea": nk[0]}).run(strategies.always_deter).history
            if t.situations[1].startswith("clash") or t.situations[1] == "provoked"
        ]
        print(
            f"ambiguity {a}: spread (sd) of Russia's tension effect in a clash {statistics.pstdev(effects):.1f}"
            f" over {len(effects)} clashes"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--games", type=int, default=5000)
    parser.add_argument("--teach", type=int, default=0, metavar="SEEDS", help="also print the teaching figures")
    parser.add_argument("--no-speed", action="store_true", help="print only the teaching figures")
    args = parser.parse_args()
    if args.teach:
        teaching_figures(args.teach)
    if args.no_speed:
        return

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
