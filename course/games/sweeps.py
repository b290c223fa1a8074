"""Sweeps: how the equilibria move as one parameter changes (data for a plot, no plotting here)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction

from .equilibria import Equilibrium
from .normal_form import Game

__all__ = ["probability_series", "sweep"]


def sweep(
    make_game: Callable[[object], Game], values: Iterable[object]
) -> list[tuple[object, tuple[Equilibrium, ...]]]:
    """Solve ``make_game(value)`` for each value: a list of (value, equilibria).

    Why: a single equilibrium is a snapshot; the lesson is in how it moves -- as war gets
    costlier, as the status quo gets more valuable, as a commitment gets more credible.

    >>> from course.games import chicken
    >>> [(c, len(eqs)) for c, eqs in sweep(lambda c: chicken(cost_of_war=c), [2, 5])]
    [(2, 3), (5, 3)]
    """
    points = []
    for value in values:
        game = make_game(value)
        if not isinstance(game, Game):
            raise TypeError(
                f"make_game({value!r}) returned {type(game).__name__}, not a Game "
                "(for the deterrence game, return DeterrenceGame(...).normal_form())"
            )
        points.append((value, game.equilibria()))
    return points


def probability_series(
    points: list[tuple[object, tuple[Equilibrium, ...]]], player: str = "row", strategy: int = 0
) -> list[tuple[object, tuple[Fraction, ...]]]:
    """For each swept value, the probability `player` puts on `strategy` in each equilibrium.

    With the defaults, for a 2x2 game: the row player's probability of its first strategy,
    one number per equilibrium (1 and 0 for the pure ones, the mixing probability for a mixed
    one), ready to plot as points over the swept value.

    >>> from course.games import chicken
    >>> probability_series(sweep(lambda c: chicken(cost_of_war=c), [2, 4]))  # doctest: +NORMALIZE_WHITESPACE
    [(2, (Fraction(1, 1), Fraction(0, 1), Fraction(1, 2))),
     (4, (Fraction(1, 1), Fraction(0, 1), Fraction(1, 4)))]
    """
    if player not in ("row", "column"):
        raise ValueError(f"player must be 'row' or 'column', got {player!r}")
    series = []
    for value, equilibria in points:
        mixes = [eq.row if player == "row" else eq.column for eq in equilibria]
        if any(not 0 <= strategy < len(mix) for mix in mixes):
            raise ValueError(f"strategy {strategy} is out of range for the {player} player at {value!r}")
        series.append((value, tuple(mix[strategy] for mix in mixes)))
    return series
