"""04's goals for a strategy, as checks a test cell calls in one line: safe enough, and better than fixed plans.

Why (issue 12): 04's test cells carried their own ``_safety``, ``_means``, ``_plan_means`` and ``_beats_plans``
(some 45 lines of plumbing in a visible cell). The thresholds and messages are the assignment's and stay as
they were; the games are played by :func:`course.grading.wargame_checks.play_strategy` (the engine on the
trusted side, the strategy in the sandbox), the fixed plans here with the engine (kit code, no student code).
In a test cell with hidden tests the grader reruns the cell on its side, so what a student rebinds in the
kernel changes nothing that counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from course.grading.errors import WrongValue
from course.grading.wargame_checks import play_strategy, summary

__all__ = ["FIXED_DOCTRINES", "SCENARIO", "check_beats_fixed_plans", "check_safety"]

SCENARIO = "korean-peninsula-2024"
# North Korea under each of its four doctrines in turn (a game per seed and doctrine).
DOCTRINES = (
    "spiral-prone-reciprocator",
    "deterrence-sensitive-opportunist",
    "resolved-hardliner",
    "status-quo-cautious",
)
FIXED_DOCTRINES: Sequence[Mapping[str, str]] = tuple({"north-korea": d} for d in DOCTRINES)


def check_safety(namespace: Mapping[str, Any], name: str, seeds: Iterable[int], where: str) -> None:
    """War at most 10%, breakout at most 10%, cohesion kept in at least 85% of the games (``where``: which
    games, for the message)."""
    __tracebackhide__ = True
    result = summary(play_strategy(namespace, name, SCENARIO, list(seeds), FIXED_DOCTRINES))
    problems = []
    if result["war"] > 0.10:
        problems.append(f"{result['war']:.0%} of the games end in war (at most 10%)")
    if result["breakout"] > 0.10:
        problems.append(f"{result['breakout']:.0%} end in nuclear breakout (at most 10%)")
    if result["cohesion_kept"] < 0.85:
        problems.append(
            f"alliance cohesion is kept (40 or more at the end) in {result['cohesion_kept']:.0%} (at least 85%)"
        )
    if problems:
        raise WrongValue(f"on the {where}, " + "; ".join(problems))


def _means(scenario: Any, ends: Sequence[tuple[str | None, Mapping[str, float]]]) -> tuple[float, float]:
    """Mean score under the scenario's weights and under the second weight set (non-proliferation first)."""
    from course.engine.scoring import score

    other = scenario.with_weights(name="non-proliferation-first")
    start = {v.id: v.start for v in scenario.variables}
    pairs = [(score(scenario.scoring, o, s, start), score(other.scoring, o, s, start)) for o, s in ends]
    return sum(p[0] for p in pairs) / len(pairs), sum(p[1] for p in pairs) / len(pairs)


def _plan_means(scenario: Any, action: str, fallback: str, seeds: Sequence[int]) -> tuple[float, float]:
    """A fixed plan played with the engine over the same games as the strategy."""
    from course.engine import Crisis

    ends = []
    for fixed in FIXED_DOCTRINES:
        for seed in seeds:
            game = Crisis(scenario, seed=seed, doctrines=fixed)
            while not game.over:
                game.play(action if action in game.actions else fallback)
            ends.append((game.outcome, game.state))
    return _means(scenario, ends)


def check_beats_fixed_plans(
    namespace: Mapping[str, Any], name: str, seeds: Iterable[int], where: str, margin: float = 5.0
) -> None:
    """The strategy's mean score is ``margin`` points above the better of always deter and always talk, under
    both weight sets, over the same games."""
    __tracebackhide__ = True
    from course.scenario import load

    scenario = load(SCENARIO)
    seeds = list(seeds)
    games = play_strategy(namespace, name, SCENARIO, seeds, FIXED_DOCTRINES)
    mine = _means(scenario, [(g["outcome"], g["final"]) for g in games])
    plans = [
        _plan_means(scenario, "joint-exercises", "joint-exercises", seeds),
        _plan_means(scenario, "talks-with-guarantees", "humanitarian-opening", seeds),
    ]
    for k, weights in enumerate(("the scenario's weights", "the non-proliferation-first weights")):
        need = margin + max(p[k] for p in plans)
        if mine[k] < need:
            raise WrongValue(
                f"on the {where}, under {weights}, the mean score of {name} is {mine[k]:.1f}, not {margin:g} points "
                "above the better of always deter and always talk: read the opponent, and do not let the "
                "alliance, the talks or the programme get away from you"
            )
