"""Dominance: dominant strategies and iterated elimination of strictly dominated strategies.

Called through `Game.dominant_strategies` and `Game.iterated_elimination`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .equilibria import transpose

if TYPE_CHECKING:
    from .normal_form import Game

__all__ = ["DominantStrategy", "Elimination", "dominant_strategies", "iterated_elimination"]


@dataclass(frozen=True)
class DominantStrategy:
    """A strategy that is best whatever the other player does; `kind` is "strict" or "weak"."""

    index: int
    label: str
    kind: str


@dataclass(frozen=True)
class Elimination:
    """Result of iterated elimination of strictly dominated strategies.

    `rows` and `columns` are the surviving strategies' indices in the original game, `game`
    the reduced game, `steps` one sentence per elimination, in order.
    """

    game: Game
    rows: tuple[int, ...]
    columns: tuple[int, ...]
    steps: tuple[str, ...]


def _own(game: Game, player: int) -> tuple[tuple, ...]:
    """`player`'s payoffs with its own strategies as rows."""
    return game.row_payoffs if player == 0 else transpose(game.column_payoffs)


def dominant_strategies(game: Game, player: int) -> tuple[DominantStrategy, ...]:
    """`player`'s (0 = row, 1 = column) strictly and weakly dominant strategies."""
    own, labels = _own(game, player), (game.row_labels, game.column_labels)[player]
    found = []
    for s, mine in enumerate(own):
        others = [theirs for t, theirs in enumerate(own) if t != s]
        if all(all(u > v for u, v in zip(mine, theirs, strict=True)) for theirs in others):
            found.append(DominantStrategy(s, labels[s], "strict"))
        elif all(
            all(u >= v for u, v in zip(mine, theirs, strict=True))
            and any(u > v for u, v in zip(mine, theirs, strict=True))
            for theirs in others
        ):
            found.append(DominantStrategy(s, labels[s], "weak"))
    return tuple(found)


def iterated_elimination(game: Game) -> Elimination:
    """Remove strictly dominated strategies (by pure strategies), round by round, Row then Column."""
    alive = [list(range(game.shape[0])), list(range(game.shape[1]))]
    steps: list[str] = []
    round_number, changed = 0, True
    while changed:
        changed, round_number = False, round_number + 1
        for me in (0, 1):
            own, labels = _own(game, me), (game.row_labels, game.column_labels)[me]
            theirs = alive[1 - me]
            for s in list(alive[me]):
                better = next((t for t in alive[me] if t != s and all(own[t][o] > own[s][o] for o in theirs)), None)
                if better is not None:
                    alive[me].remove(s)
                    changed = True
                    steps.append(
                        f"Round {round_number}: for {game.players[me]}, {labels[s]!r} is strictly "
                        f"dominated by {labels[better]!r}."
                    )
    rows, cols = tuple(alive[0]), tuple(alive[1])
    reduced = type(game)(  # the game's own class: no import of normal_form here (it imports this module)
        [[game.row_payoffs[i][j] for j in cols] for i in rows],
        [[game.column_payoffs[i][j] for j in cols] for i in rows],
        [game.row_labels[i] for i in rows],
        [game.column_labels[j] for j in cols],
        game.players,
        game.name,
    )
    return Elimination(reduced, rows, cols, tuple(steps))
