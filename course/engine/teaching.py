"""The figures behind DESIGN.md "What makes the wargame teach": fixed plans chosen on one set of seeds and
scored on another, stance mixes, outcome shares, and 95% intervals.

A *fixed plan* ignores what it sees: one action every turn, or action A for k turns and then B
(:class:`course.engine.strategies.Plan`). Choosing the best of ~300 plans on the same games that score it
would flatter the winner (the maximum of many noisy means is biased upward), so :func:`best_plans` picks on
``train`` seeds and reports the chosen plans on ``test`` seeds. ``benchmarks/engine.py --teach`` prints the
table; ``tests/engine/test_teaching_properties.py`` asserts the properties.

>>> from course.scenario.loader import load
>>> s = load("korean-peninsula-2024")
>>> row = evaluate(s, fixed_plans(s)[0], "status-quo-cautious", range(5))
>>> row.games, sorted(row.kinds) == sorted(KINDS)
(5, True)
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from course.engine.crisis import Crisis
from course.engine.strategies import Plan, Rotation
from course.scenario.model import Scenario

KINDS = ("war", "breakout", "de-escalation", "standoff")
STANCES = ("deterrence", "pressure", "diplomacy", "reassurance")


@dataclass(frozen=True)
class Row:
    """One policy against one North Korean doctrine over some seeds."""

    name: str
    doctrine: str
    games: int
    mean: float
    ci95: float  # half-width of the 95% interval of the mean (normal approximation)
    kinds: Mapping[str, float]  # outcome kind -> share of games
    stances: Mapping[str, float]  # stance -> share of the moves played
    progress_up: float  # share of games that ended with nuclear progress above its start
    scores: tuple[float, ...]

    def line(self) -> str:
        mix = " ".join(f"{s[:3]} {self.stances.get(s, 0.0):>4.0%}" for s in STANCES)
        ends = " ".join(f"{self.kinds.get(k, 0.0):>4.0%}" for k in KINDS)
        return f"{self.name:<52} {self.mean:>7.1f} ±{self.ci95:>4.1f}  {ends}  {self.progress_up:>4.0%}  {mix}"


HEADER = f"{'plan':<52} {'mean':>7} {'95%':>5}   war brk. deal stnd  prog+  stance mix"


def fixed_plans(scenario: Scenario, ks: Sequence[int] = (1, 2, 4, 6)) -> list[Plan]:
    """Every constant plan and every two-phase plan (A for k turns, then B != A), in scenario order."""
    actions = [a.id for a in scenario.actions]
    plans = [Plan(a) for a in actions]
    plans += [Plan(a, k, b) for a in actions for b in actions if a != b for k in ks]
    return plans


def ci95(scores: Sequence[float]) -> float:
    """Half-width of the 95% interval of the mean (normal approximation; infinite below two values)."""
    if len(scores) < 2:
        return math.inf
    return 1.96 * statistics.stdev(scores) / math.sqrt(len(scores))


def play(scenario: Scenario, policy: Callable, seed: int, doctrine: str | None, weights=None) -> Crisis:
    """One game against a fixed North Korean doctrine (None: drawn from the prior). A :class:`Plan` is
    played without building views (same moves, faster)."""
    opponent = scenario.opponents[0].id
    game = Crisis(scenario, seed=seed, doctrines={opponent: doctrine} if doctrine else None)
    if isinstance(policy, Plan | Rotation):
        while not game.over:
            game.play(policy.choose(game.actions, game.turn, scenario))
        return game
    return game.run(policy)


def evaluate(
    scenario: Scenario,
    policy: Callable,
    doctrine: str | None,
    seeds: Iterable[int],
    name: str | None = None,
    weights: Scenario | None = None,
) -> Row:
    """Play ``policy`` on every seed against ``doctrine``; ``weights``: another scenario whose scoring
    rule to apply (same play, other values, e.g. ``scenario.with_weight_set(...)``)."""
    from course.engine.scoring import score

    scoring = (weights or scenario).scoring
    start = {v.id: v.start for v in scenario.variables}
    scores, kinds, stances, moves, up = [], dict.fromkeys(KINDS, 0), dict.fromkeys(STANCES, 0), 0, 0
    for seed in seeds:
        game = play(scenario, policy, seed, doctrine)
        scores.append(score(scoring, game.outcome, game.state, start))
        kinds[game.outcome_kind] += 1
        for move in game.moves:
            stances[scenario.action(move).stance] += 1
        moves += game.turn
        up += game.state["nuclear_progress"] > start["nuclear_progress"]
    n = len(scores)
    return Row(
        name or getattr(policy, "__name__", repr(policy)),
        doctrine or "drawn-from-priors",
        n,
        statistics.fmean(scores),
        ci95(scores),
        {k: c / n for k, c in kinds.items()},
        {s: c / max(moves, 1) for s, c in stances.items()},
        up / n,
        tuple(scores),
    )


def best_plans(
    scenario: Scenario,
    doctrine: str,
    train: Iterable[int],
    test: Iterable[int],
    plans: Sequence[Plan] | None = None,
    top: int = 5,
    weights: Scenario | None = None,
) -> list[Row]:
    """The ``top`` plans by mean score on the ``train`` seeds, each scored again on the ``test`` seeds
    (held out, so the reported means are not inflated by the choice), best first on the test seeds."""
    train, test = tuple(train), tuple(test)
    plans = list(plans if plans is not None else fixed_plans(scenario))
    ranked = sorted(plans, key=lambda p: -evaluate(scenario, p, doctrine, train, weights=weights).mean)
    rows = [evaluate(scenario, p, doctrine, test, weights=weights) for p in ranked[:top]]
    return sorted(rows, key=lambda r: -r.mean)


def paired_difference(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """Mean of ``a - b`` over the same games (common random numbers) and its 95% half-interval."""
    diff = [x - y for x, y in zip(a, b, strict=True)]
    return statistics.fmean(diff), ci95(diff)
