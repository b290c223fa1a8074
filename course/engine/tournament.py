"""Tournaments: strategies x doctrines x seeds -> a results table and a leaderboard.

Every strategy meets the same seeds (common random numbers), so differences between strategies are not
luck of the draw. With ``jobs > 1`` the games run in worker processes (spawn-safe: strategies travel by
their registered name) and the numbers are the same as with one process.

>>> from course.scenario.loader import load
>>> res = run(["always-talk", "adaptive"], load("korean-peninsula-2024"), seeds=20)
>>> [row.strategy for row in res.leaderboard]
['adaptive', 'always-talk']
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from course.engine import strategies as _strategies
from course.engine.crisis import Crisis
from course.scenario.loader import Scenario

KINDS = ("war", "breakout", "de-escalation", "standoff")


@dataclass(frozen=True)
class Cell:
    """One strategy against one doctrine assignment over the seeds."""

    strategy: str
    doctrine: str
    games: int
    mean: float
    ci95: float  # half-width of the 95% confidence interval of the mean (normal approximation)
    outcomes: Mapping[str, float]  # outcome kind -> share of games
    scores: tuple[float, ...]


@dataclass(frozen=True)
class Standing:
    strategy: str
    mean: float
    ci95: float


@dataclass(frozen=True)
class Results:
    table: tuple[Cell, ...]
    leaderboard: tuple[Standing, ...]
    weights: Mapping[str, float]  # doctrine label -> weight in the leaderboard mean

    def cell(self, strategy: str, doctrine: str) -> Cell:
        return next(c for c in self.table if c.strategy == strategy and c.doctrine == doctrine)

    def format_leaderboard(self) -> str:
        lines = [f"{'#':>3}  {'strategy':<40} {'mean score':>10}  95% CI"]
        for n, s in enumerate(self.leaderboard, start=1):
            lines.append(f"{n:>3}  {s.strategy:<40} {s.mean:>10.1f}  ±{s.ci95:.1f}")
        return "\n".join(lines)

    def format_table(self) -> str:
        lines = [f"{'strategy':<28} {'doctrine':<34} {'mean':>7} {'±95%':>6}  " + " ".join(f"{k:>13}" for k in KINDS)]
        for c in self.table:
            shares = " ".join(f"{c.outcomes.get(k, 0.0):>13.0%}" for k in KINDS)
            lines.append(f"{c.strategy:<28} {c.doctrine:<34} {c.mean:>7.1f} {c.ci95:>6.1f}  {shares}")
        return "\n".join(lines)


def _label(assignment: Mapping[str, str]) -> str:
    return "+".join(assignment.values()) if assignment else "drawn-from-priors"


def _play_cell(task: tuple) -> tuple[tuple[float, ...], dict[str, int]]:
    scenario, name, assignment, seeds = task
    policy = _strategies.get(name) if isinstance(name, str) else name
    scores, counts = [], {}
    for seed in seeds:
        game = Crisis(scenario, seed=seed, doctrines=assignment or None).run(policy)
        scores.append(game.score())
        kind = game.outcome_kind
        counts[kind] = counts.get(kind, 0) + 1
    return tuple(scores), counts


def weighted_mean(scores: Mapping[str, Sequence[float]], weights: Mapping[str, float]) -> tuple[float, float]:
    """The prior-weighted mean score over doctrines, and its 95% half-interval (the doctrines' games are
    independent, so their variances add). The interval is infinite when a weighted doctrine has fewer than
    two games: it is unknown, not zero. The tournament and the class report rank strategies with this.

    >>> weighted_mean({"a": [10.0, 20.0], "b": [0.0, 0.0]}, {"a": 0.5, "b": 0.5})
    (7.5, 4.9)
    """
    mean = sum(weights[d] * statistics.fmean(scores[d]) for d in weights)
    if any(len(scores[d]) < 2 for d in weights):
        return mean, math.inf
    var = sum((weights[d] * statistics.stdev(scores[d]) / math.sqrt(len(scores[d]))) ** 2 for d in weights)
    return mean, 1.96 * math.sqrt(var)


def _ci95(scores: Sequence[float]) -> float:
    if len(scores) < 2:
        return math.inf
    return 1.96 * statistics.stdev(scores) / math.sqrt(len(scores))


def run(
    strategies: Iterable[str],
    scenario: Scenario,
    seeds: int | Iterable[int],
    doctrines: Iterable[Mapping[str, str] | str] | None = None,
    jobs: int = 1,
) -> Results:
    """Play every strategy against every doctrine assignment on every seed.

    ``strategies`` are registered names (or ``plan:...`` names, see :func:`course.engine.strategies.get`); a
    callable works with ``jobs=1``. ``doctrines``: None means each doctrine of the first opponent (the
    others drawn from their priors), with the leaderboard weighting them by the prior; otherwise a list of
    doctrine ids of the first opponent or mappings ``{opponent: doctrine}`` (``{}``: all drawn from the
    priors), weighted equally.
    """
    names = list(strategies)
    seed_list = tuple(range(seeds)) if isinstance(seeds, int) else tuple(seeds)
    first = scenario.opponents[0]
    if doctrines is None:
        assignments = [{first.id: d.id} for d in first.doctrines]
        weights = {_label(a): first.doctrine(a[first.id]).prior for a in assignments}
    else:
        assignments = [{first.id: d} if isinstance(d, str) else dict(d) for d in doctrines]
        weights = {_label(a): 1 / len(assignments) for a in assignments}
    tasks = [(scenario, n, a, seed_list) for n in names for a in assignments]
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(jobs) as pool:
            played = pool.map(_play_cell, tasks, chunksize=max(1, len(tasks) // (4 * jobs)))
    else:
        played = [_play_cell(t) for t in tasks]
    cells = []
    for (_, n, a, _), (scores, counts) in zip(tasks, played, strict=True):
        name = n if isinstance(n, str) else getattr(n, "__name__", repr(n))
        shares = {k: counts.get(k, 0) / len(scores) for k in KINDS}
        cells.append(Cell(name, _label(a), len(scores), statistics.fmean(scores), _ci95(scores), shares, scores))
    standings = []
    for n in names:
        name = n if isinstance(n, str) else getattr(n, "__name__", repr(n))
        mine = [c for c in cells if c.strategy == name]
        mean, ci95 = weighted_mean({c.doctrine: c.scores for c in mine}, weights)
        standings.append(Standing(name, mean, ci95))
    standings.sort(key=lambda s: (-s.mean, s.strategy))
    return Results(tuple(cells), tuple(standings), weights)


REFERENCE = ("adaptive", "grit", "firm-but-fair", "always-talk", "always-deter", "random")
