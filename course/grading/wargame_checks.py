"""Checks for the crisis-wargame assignment: a completed game among the saved decision logs, and a
strategy played outside the kernel with the final state of every game.

Why a module of its own: the test cells of ``04-crisis-wargame`` need two things the general helpers do
not give. (1) A completed game may sit in the fixed-name log or in a game the board kept when the student
started a new one (``decision-log-<assignment>.<n>.json``); each file is replayed (the outcome is
recomputed, never read from the file) and each problem is named: missing, damaged, made with other rules,
unfinished. (2) "Alliance cohesion kept" needs each game's final state: :func:`play_strategy` plays the games
with the one strategy runner (:func:`course.grading.strategy.play_games`, the engine on the trusted side) and
names a slow strategy as such.

>>> summary([{"outcome": "war", "score": -120.0, "final": {"alliance_cohesion": 70.0}},
...          {"outcome": "frozen-standoff", "score": 10.0, "final": {"alliance_cohesion": 30.0}}])
{'games': 2, 'war': 0.5, 'breakout': 0.0, 'cohesion_kept': 0.5, 'mean_score': -55.0}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from course.engine import logfile
from course.engine.crisis import Crisis, ReplayError
from course.grading import checks as grading
from course.grading import strategy
from course.scenario.loader import Scenario

__all__ = [
    "ASSIGNMENT",
    "COHESION_KEPT",
    "LogProblem",
    "completed_game",
    "log_files",
    "play_strategy",
    "summary",
]

ASSIGNMENT = "04-crisis-wargame"
COHESION_KEPT = 40.0  # final alliance cohesion at or above this counts as "kept"
_OUTCOME_KIND = {"war": "war", "nuclear-breakout": "breakout"}


class LogProblem(grading.GradingError):
    """No completed game was found; the message names each file looked at and what is wrong with it."""


def log_files(folder: str | Path = ".", assignment: str = ASSIGNMENT) -> list[Path]:
    """The decision logs of ``assignment`` in ``folder``: the fixed-name log first, then the games the board
    kept when a new one was started (``<stem>.<n>.json``), by ``n``."""
    fixed = logfile.log_path(assignment, folder)
    kept = re.compile(re.escape(fixed.stem) + r"\.(\d+)\.json")
    numbered = sorted(
        (int(m.group(1)), p) for p in Path(folder).glob(f"{fixed.stem}.*.json") if (m := kept.fullmatch(p.name))
    )
    return ([fixed] if fixed.is_file() else []) + [p for _, p in numbered]


def completed_game(scenario: Scenario, folder: str | Path = ".", assignment: str = ASSIGNMENT) -> tuple[Path, Crisis]:
    """The first log in :func:`log_files` order that replays to a finished game of ``scenario``.

    Raises :class:`LogProblem` saying what is wrong with every log found (or that there is none).
    """
    files = log_files(folder, assignment)
    if not files:
        raise LogProblem(
            f"no decision log found: play the crisis board until the game ends (it saves your game as "
            f"{logfile.log_path(assignment, folder).name} beside this notebook, and hand that file in with it)"
        )
    problems = []
    for path in files:
        try:
            game = logfile.verify(scenario, logfile.load(path))
        except logfile.LogFileError as err:
            problems.append(f"{err} (damaged or not a decision log)")
            continue
        except ReplayError as err:
            problems.append(f"{path.name}: {err}; play a new game on the board")
            continue
        if game.over:
            return path, game
        problems.append(
            f"{path.name}: the game is not finished ({game.turn} of {scenario.turn_limit} turns at most; "
            "keep playing until the board shows the debrief)"
        )
    raise LogProblem("no completed game in your decision logs:\n- " + "\n- ".join(problems))


# --- strategies, outside the kernel -------------------------------------------------------------------
def play_strategy(
    namespace_or_fn: Mapping[str, Any] | Callable,
    name: str | None,
    scenario_id: str,
    seeds: Iterable[int],
    doctrines: Sequence[Mapping[str, str] | None] = (None,),
    *,
    timeout_per_call: float = 0.1,
    total_timeout: float = 40.0,
    **limits: Any,
) -> list[dict]:
    """Play ``policy(view) -> action_id`` in a fresh process, one game per seed x doctrine assignment.

    Like :func:`course.grading.strategy.run_strategy` (the same kit-use check, runner and failure messages), with
    the per-move budget of the assignment: a call slower than ``timeout_per_call`` fails the whole run with a
    message that says the strategy is too slow. Each game's dict holds ``"final"`` (the final state) and
    ``"moves"``, computed on the trusted side.
    """
    name, source = strategy.strategy_source(namespace_or_fn, name)
    result = strategy.play_games(
        source,
        name,
        scenario_id,
        list(seeds),
        doctrines,
        timeout_per_call=timeout_per_call,
        total_timeout=total_timeout,
        **limits,
    )
    if result.setup_error:
        raise grading.GradingError(result.setup_error)
    failed = [c for c in result.calls if not c.ok]
    if failed:
        slow = [c for c in failed if c.status in ("timeout", "skipped")]
        if slow:
            raise grading.WrongValue(
                f"{name} is too slow: {slow[0].message.splitlines()[0]}. Each call has {timeout_per_call} s and "
                f"all the games together {total_timeout} s; a strategy needs only a few comparisons per turn "
                "(no long loops, no simulations of the whole game)"
            )
        raise grading.WrongValue(
            f"{name} failed in {len(failed)} of {len(result.calls)} games. First: {failed[0].message}"
        )
    return result.values


def summary(
    games: Sequence[Mapping[str, Any]],
    cohesion_kept: float = COHESION_KEPT,
    kinds: Mapping[str, str] = _OUTCOME_KIND,
) -> dict[str, Any]:
    """Shares of games ending in war and in nuclear breakout (``kinds``: outcome id -> kind, as in the
    scenario), share ending with alliance cohesion at or above ``cohesion_kept``, and the mean score (plain
    numbers, rounded to 4 places so that printing is stable)."""
    n = len(games)
    if not n:
        raise ValueError("no games to summarise")

    def share(test: Callable[[Mapping[str, Any]], bool]) -> float:
        return round(sum(1 for g in games if test(g)) / n, 4)

    return {
        "games": n,
        "war": share(lambda g: kinds.get(g["outcome"]) == "war"),
        "breakout": share(lambda g: kinds.get(g["outcome"]) == "breakout"),
        "cohesion_kept": share(lambda g: g["final"]["alliance_cohesion"] >= cohesion_kept),
        "mean_score": round(sum(g["score"] for g in games) / n, 4),
    }
