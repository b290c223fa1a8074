"""`Game`: a two-player normal-form game with exact payoffs, labels and explanations."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from fractions import Fraction

from . import dominance as _dominance
from . import equilibria as _eq
from .dominance import DominantStrategy, Elimination
from .equilibria import Equilibrium
from .numbers import as_fraction, as_mixed, show
from .table import PayoffTable

__all__ = ["DominantStrategy", "Elimination", "Game", "PayoffTable"]

Strategy = int | str | Sequence[object]


def _is_list(value: object) -> bool:
    """A list, tuple or array of things -- not a string, not a single number."""
    return isinstance(value, Iterable) and not isinstance(value, str | bytes)


def _matrix(payoffs: object, what: str) -> tuple[tuple[Fraction, ...], ...]:
    payoffs = list(payoffs) if _is_list(payoffs) else []
    if not payoffs:
        raise ValueError(f"{what} must be a non-empty list of rows, e.g. [[3, 0], [5, 1]]")
    rows = []
    for i, row in enumerate(payoffs):
        if not _is_list(row):
            raise ValueError(f"{what} row {i} must be a list of numbers, got {row!r}")
        rows.append(tuple(as_fraction(v, f"{what}[{i}][{j}]") for j, v in enumerate(row)))
    widths = {len(row) for row in rows}
    if len(widths) != 1 or 0 in widths:
        raise ValueError(f"{what} must be rectangular with at least one column; row lengths {[len(r) for r in rows]}")
    return tuple(rows)


def _labels(labels: Sequence[str] | None, size: int, default: str, what: str) -> tuple[str, ...]:
    if labels is None:
        return tuple(f"{default}{k + 1}" for k in range(size))
    labels = tuple(labels)
    if len(labels) != size:
        raise ValueError(f"{what} needs {size} labels, got {len(labels)}: {labels}")
    if not all(isinstance(label, str) and label for label in labels) or len(set(labels)) != size:
        raise ValueError(f"{what} must be distinct non-empty strings, got {labels}")
    return labels


class Game:
    """A two-player normal-form game with exact (Fraction) payoffs.

    ``row_payoffs[i][j]`` and ``column_payoffs[i][j]`` are what Row and Column get when Row
    plays strategy i and Column plays strategy j. Numbers may be ints, Fractions, decimal
    strings such as "2/3", or floats (read as the decimal you typed).

    >>> g = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]], ["Cooperate", "Defect"], ["Cooperate", "Defect"])
    >>> [g.describe_equilibrium(eq) for eq in g.equilibria()]
    ['Row plays Defect and Column plays Defect; payoffs 1 and 1.']
    """

    def __init__(
        self,
        row_payoffs: Sequence[Sequence[object]],
        column_payoffs: Sequence[Sequence[object]],
        row_labels: Sequence[str] | None = None,
        column_labels: Sequence[str] | None = None,
        players: Sequence[str] = ("Row", "Column"),
        name: str | None = None,
    ) -> None:
        self.row_payoffs = _matrix(row_payoffs, "row_payoffs")
        self.column_payoffs = _matrix(column_payoffs, "column_payoffs")
        shape_a = (len(self.row_payoffs), len(self.row_payoffs[0]))
        shape_b = (len(self.column_payoffs), len(self.column_payoffs[0]))
        if shape_a != shape_b:
            raise ValueError(
                f"row_payoffs is {shape_a[0]}x{shape_a[1]} but column_payoffs is {shape_b[0]}x{shape_b[1]}"
            )
        self.shape: tuple[int, int] = shape_a
        self.players = _labels(players, 2, "Player", "players")
        self.row_labels = _labels(row_labels, shape_a[0], "R", "row_labels")
        self.column_labels = _labels(column_labels, shape_a[1], "C", "column_labels")
        self.name = name
        self._degenerate: bool | None = None

    def __repr__(self) -> str:
        def grid(matrix: tuple[tuple[Fraction, ...], ...]) -> str:
            return "[" + ", ".join("[" + ", ".join(show(v) for v in row) + "]" for row in matrix) + "]"

        title = f" {self.name!r}" if self.name else ""
        return f"<Game{title} {grid(self.row_payoffs)} {grid(self.column_payoffs)}>"

    # -- reading strategies -------------------------------------------------------------
    def _player(self, player: int | str) -> int:
        if player in (0, "row", self.players[0]):
            return 0
        if player in (1, "column", self.players[1]):
            return 1
        raise ValueError(f"player must be 0, 1, 'row', 'column' or one of {self.players}, got {player!r}")

    def _mix(self, player: int, strategy: Strategy) -> tuple[Fraction, ...]:
        labels = (self.row_labels, self.column_labels)[player]
        what = f"{self.players[player]}'s strategy"
        if isinstance(strategy, str):
            if strategy not in labels:
                raise ValueError(f"{what} {strategy!r} is not one of {labels}")
            strategy = labels.index(strategy)
        if isinstance(strategy, numbers.Integral) and not isinstance(strategy, bool):
            strategy = int(strategy)
            if not 0 <= strategy < len(labels):
                raise ValueError(f"{what} index {strategy} is out of range 0..{len(labels) - 1}")
            return _eq._unit(strategy, len(labels))
        return as_mixed(strategy, len(labels), what)

    # -- payoffs and best responses ----------------------------------------------------
    def payoffs(self, row: Strategy, column: Strategy) -> tuple[Fraction, Fraction]:
        """Expected payoffs (Row, Column) of a profile: indices, labels or mixed strategies."""
        x, y = self._mix(0, row), self._mix(1, column)
        return _eq.expected(self.row_payoffs, x, y), _eq.expected(self.column_payoffs, x, y)

    def best_responses(self, player: int | str, against: Strategy) -> tuple[int, ...]:
        """Indices of `player`'s best responses to the other player's strategy `against`.

        `against` is an index, a label, or a mixed strategy (probabilities). Ties are all
        returned: in equilibrium a player who mixes must be indifferent between what it mixes.

        >>> from course.games import chicken
        >>> chicken().best_responses("row", against="Stand firm")
        (1,)
        >>> chicken().best_responses("row", against=["1/10", "9/10"])
        (0, 1)
        """
        me = self._player(player)
        other = self._mix(1 - me, against)
        if me == 0:
            values = [_eq.expected(self.row_payoffs, _eq._unit(i, self.shape[0]), other) for i in range(self.shape[0])]
        else:
            values = [
                _eq.expected(self.column_payoffs, other, _eq._unit(j, self.shape[1])) for j in range(self.shape[1])
            ]
        best = max(values)
        return tuple(k for k, v in enumerate(values) if v == best)

    def payoff_table(self) -> PayoffTable:
        """The table to display: payoff pairs with labels, best responses marked.

        >>> from course.games import prisoners_dilemma
        >>> print(prisoners_dilemma().payoff_table())
        Row \\ Column | Cooperate | Defect
        Cooperate    | 3, 3      | 0, 5*
        Defect       | 5*, 0     | 1*, 1*
        """
        m, n = self.shape
        cells = tuple(tuple((self.row_payoffs[i][j], self.column_payoffs[i][j]) for j in range(n)) for i in range(m))
        row_best = [self.best_responses(0, j) for j in range(n)]
        column_best = [self.best_responses(1, i) for i in range(m)]
        return PayoffTable(
            players=self.players,
            row_labels=self.row_labels,
            column_labels=self.column_labels,
            cells=cells,
            row_best=tuple(tuple(i in row_best[j] for j in range(n)) for i in range(m)),
            column_best=tuple(tuple(j in column_best[i] for j in range(n)) for i in range(m)),
        )

    # -- equilibria ------------------------------------------------------------------
    def is_equilibrium(self, row: Strategy, column: Strategy) -> bool:
        """True when neither player gains by deviating (checked exactly, against every pure strategy)."""
        x, y = self._mix(0, row), self._mix(1, column)
        a, b = self.payoffs(x, y)
        return all(self.payoffs(i, y)[0] <= a for i in range(self.shape[0])) and all(
            self.payoffs(x, j)[1] <= b for j in range(self.shape[1])
        )

    def is_degenerate(self) -> bool:
        """True when some strategy mixing k pure strategies has more than k pure best responses.

        Ties make a game degenerate: then equilibria may form continua, and `equilibria()`
        lists the extreme ones (see its docstring).
        """
        if self._degenerate is None:
            self._degenerate = _eq.is_degenerate(self.row_payoffs, self.column_payoffs)
        return self._degenerate

    def _equilibrium(self, x: tuple[Fraction, ...], y: tuple[Fraction, ...]) -> Equilibrium:
        return Equilibrium(row=x, column=y, payoffs=self.payoffs(x, y))

    @staticmethod
    def _order(found: list[Equilibrium]) -> tuple[Equilibrium, ...]:
        unique = {(e.row, e.column): e for e in found}.values()
        return tuple(sorted(unique, key=lambda e: (not e.is_pure, [-p for p in e.row], [-q for q in e.column])))

    def pure_equilibria(self) -> tuple[Equilibrium, ...]:
        """Pure-strategy equilibria: the cells where each strategy is a best response to the other."""
        m, n = self.shape
        found = [
            self._equilibrium(_eq._unit(i, m), _eq._unit(j, n))
            for i in range(m)
            for j in range(n)
            if i in self.best_responses(0, j) and j in self.best_responses(1, i)
        ]
        return self._order(found)

    def equilibria(self) -> tuple[Equilibrium, ...]:
        """Every Nash equilibrium (nondegenerate game), or every extreme equilibrium (degenerate game).

        Each is an `Equilibrium` with `.row` and `.column` (tuples of Fraction probabilities),
        `.payoffs` and `.is_pure`; pure ones come first. A nondegenerate game has finitely many
        equilibria, all found by support enumeration. A degenerate game (`is_degenerate()`)
        may have continua: we then return the extreme points (vertex enumeration), which
        include every pure equilibrium; every other equilibrium mixes extreme ones.

        >>> from course.games import chicken
        >>> [(e.row, e.column) for e in chicken().equilibria()][-1]
        ((Fraction(1, 10), Fraction(9, 10)), (Fraction(1, 10), Fraction(9, 10)))
        """
        a, b = self.row_payoffs, self.column_payoffs
        profiles = _eq.extreme_equilibria(a, b) if self.is_degenerate() else _eq.support_enumeration(a, b)
        return self._order([self._equilibrium(x, y) for x, y in profiles])

    def describe_equilibrium(self, eq: Equilibrium) -> str:
        """One plain English sentence for an equilibrium of this game.

        >>> from course.games import stag_hunt
        >>> g = stag_hunt()
        >>> g.describe_equilibrium(g.equilibria()[-1])
        'Row plays Cooperate with probability 1/2 and Defect with probability 1/2, and Column plays \
Cooperate with probability 1/2 and Defect with probability 1/2; expected payoffs 5/2 and 5/2 \
(a player who mixes is indifferent between the strategies it mixes).'
        """
        if (len(eq.row), len(eq.column)) != self.shape:
            raise ValueError(f"that equilibrium is for a {len(eq.row)}x{len(eq.column)} game, not this one")

        def part(player: int, mix: tuple[Fraction, ...]) -> str:
            labels = (self.row_labels, self.column_labels)[player]
            if max(mix) == 1:
                return f"{self.players[player]} plays {labels[mix.index(Fraction(1))]}"
            used = [f"{labels[k]} with probability {show(p)}" for k, p in enumerate(mix) if p > 0]
            return f"{self.players[player]} plays " + ", ".join(used[:-1]) + f" and {used[-1]}"

        a, b = eq.payoffs
        if eq.is_pure:
            return f"{part(0, eq.row)} and {part(1, eq.column)}; payoffs {show(a)} and {show(b)}."
        return (
            f"{part(0, eq.row)}, and {part(1, eq.column)}; expected payoffs {show(a)} and {show(b)} "
            "(a player who mixes is indifferent between the strategies it mixes)."
        )

    # -- dominance -------------------------------------------------------------------
    def dominant_strategies(self, player: int | str) -> tuple[DominantStrategy, ...]:
        """`player`'s dominant strategies, each marked "strict" or "weak".

        Strict: better than every other strategy against everything the opponent can do.
        Weak: never worse than any other strategy, and better than each of them against at
        least one opponent strategy. Why it matters: a player with a dominant strategy needs
        no forecast of the other (the Prisoner's Dilemma's tragedy).

        >>> from course.games import prisoners_dilemma
        >>> prisoners_dilemma().dominant_strategies("row")
        (DominantStrategy(index=1, label='Defect', kind='strict'),)
        """
        return _dominance.dominant_strategies(self, self._player(player))

    def iterated_elimination(self) -> Elimination:
        """Remove strictly dominated strategies, round by round, until none is left.

        Domination is checked against pure strategies only: enough in 2x2 games, but in
        larger games a strategy dominated only by a mix of others survives. The order of
        removal does not change what survives, because domination is strict.

        >>> from course.games import prisoners_dilemma
        >>> prisoners_dilemma().iterated_elimination().steps[0]
        "Round 1: for Row, 'Cooperate' is strictly dominated by 'Defect'."
        """
        return _dominance.iterated_elimination(self)
