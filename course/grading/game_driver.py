"""The driver behind :func:`course.sandbox.runner.play_games`: one game of the student's strategy per job, in the child.

Why a module of its own: it is trusted kit code that the sandbox's child imports by name
(``"course.grading.game_driver:play_game"``) before it sets the memory limit, and it needs the engine, which the
generic child (:mod:`course.sandbox.child`) must not load for plain cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_SCENARIOS: dict[str, Any] = {}


def play_game(strategy: Callable, job: dict) -> dict:
    """Driver for :func:`course.sandbox.runner.play_games` (runs in the child): one game of the student's strategy,
    with its outcome, score, final state and moves (the wargame checks need the final state)."""
    from course.engine.crisis import Crisis
    from course.scenario.loader import load

    if job["scenario"] not in _SCENARIOS:
        _SCENARIOS[job["scenario"]] = load(job["scenario"])
    scenario = _SCENARIOS[job["scenario"]]
    game = Crisis(scenario, seed=job["seed"], doctrines=job["doctrines"])
    while not game.over:
        action = strategy(game.view)
        if type(action) is not str:
            raise TypeError(f"your strategy returned {action!r} at turn {game.turn + 1}: return an action id")
        game.play(action)  # an illegal choice raises IllegalMove naming the legal ones
    return {
        "seed": job["seed"],
        "doctrines": game.doctrines,
        "outcome": game.outcome,
        "score": game.score(),
        "turns": game.turn,
        "final": game.state,
        "moves": list(game.moves),
    }


def _prepare_games(jobs: list) -> None:
    """Load the scenarios before the memory limit is set (the YAML loader and schema compiler are big)."""
    from course.scenario.loader import load

    for job in jobs:
        if job["scenario"] not in _SCENARIOS:
            _SCENARIOS[job["scenario"]] = load(job["scenario"])


play_game.prepare = _prepare_games  # type: ignore[attr-defined]
