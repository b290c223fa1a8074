"""The practice and hidden-test runner for a student's wargame strategy in 04: every game played outside the
kernel (:func:`course.sandbox.runner.play_games`), the first failure named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from course.grading.checks import student_source
from course.grading.errors import GradingError, WrongValue
from course.grading.kit_use import ANSWER_BEARING
from course.sandbox import runner as sandbox

__all__ = ["run_strategy"]


def run_strategy(
    namespace_or_fn: Mapping[str, Any] | Callable,
    name: str | None,
    scenario_id: str,
    seeds: Iterable[int],
    doctrines: Sequence[Mapping[str, str] | None] = (None,),
    *,
    forbid: Mapping[str, frozenset[str] | None] = ANSWER_BEARING,
    **limits: Any,
) -> list[dict]:
    """Play the student's strategy ``policy(view) -> action_id`` outside the kernel; return every game.

    Each game is ``{"seed", "doctrines", "outcome", "score", "turns"}`` (see
    :func:`course.sandbox.runner.play_games`; ``limits`` go there). Raises when the strategy uses the kit's
    reference strategies, or fails in any game (too slow, an illegal move, an error), with the first
    failure; judging the games (war avoided, beating the baselines) is the test's business.
    """
    name, source = student_source(namespace_or_fn, name, forbid)
    seeds = list(seeds)
    result = sandbox.play_games(source, name, scenario_id, seeds, doctrines, **limits)
    if result.setup_error:
        raise GradingError(result.setup_error)
    failed = [c for c in result.calls if not c.ok]
    if failed:
        raise WrongValue(f"{name} failed in {len(failed)} of {len(result.calls)} games. First: {failed[0].message}")
    return result.values
