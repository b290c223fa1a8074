"""The scoring rule, as a pure function: what a game's ending is worth under a scenario's weights.

Score = the value of the outcome reached + the sum over variables of ``state`` weight x final value + the
sum of ``change`` weight x (final value - start value). Every weight is in the scenario file and is a value
judgement, not a fact; :func:`breakdown` lists the terms so the board and the debrief can show them.

>>> from course.scenario.loader import load
>>> s = load("korean-peninsula-2024")
>>> start = {v.id: v.start for v in s.variables}
>>> score(s.scoring, None, start, start) == sum(w * start[k] for k, w in s.scoring.state.items())
True
"""

from __future__ import annotations

from collections.abc import Mapping

from course.scenario.model import Scoring


def breakdown(
    scoring: Scoring, outcome: str | None, state: Mapping[str, float], start: Mapping[str, float]
) -> list[tuple[str, float]]:
    """The score's terms, ``(label, points)``, in the order the scenario file gives the weights."""
    terms = [(f"outcome {outcome}", float(scoring.outcomes[outcome]))] if outcome else []
    terms += [(f"final {var}", w * state[var]) for var, w in scoring.state.items()]
    terms += [(f"change in {var}", w * (state[var] - start[var])) for var, w in getattr(scoring, "change", {}).items()]
    return terms


def score(scoring: Scoring, outcome: str | None, state: Mapping[str, float], start: Mapping[str, float]) -> float:
    """The score of an ending (``outcome`` None: the game is not over) under these weights."""
    total = float(scoring.outcomes[outcome]) if outcome else 0.0
    for var, w in scoring.state.items():
        total += w * state[var]
    for var, w in getattr(scoring, "change", {}).items():
        total += w * (state[var] - start[var])
    return total
