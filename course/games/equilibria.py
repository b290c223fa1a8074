"""Nash equilibria of bimatrix games, exactly: support enumeration and vertex enumeration.

These functions work on plain matrices (tuples of tuples of `Fraction`, rows = the row
player's strategies); `course.games.Game` wraps them with labels and explanations.

Two algorithms, because games come in two kinds:

* In a **nondegenerate** game (no mixed strategy with k strategies in its support has more
  than k pure best responses) equilibria are isolated and each pairs two supports of equal
  size. *Support enumeration* solves the indifference equations for every such pair: it is
  the method students do by hand, and it finds every equilibrium.
* In a **degenerate** game (ties: a pure strategy with two best responses, a duplicated
  payoff row, the normal form of any sequential game) equilibria can come in continua, and
  support enumeration may miss some. There we enumerate the vertices of the two
  best-response polytopes and keep the completely labelled pairs: the *extreme equilibria*.
  Every equilibrium is then a convex combination of extreme equilibria that are
  interchangeable with one another (Avis, Rosenberg, Savani and von Stengel 2010).

Both are exhaustive and exact: meant for classroom games (a 5x5 game takes well under a
second here, a 6x6 about two), not for large ones.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from .numbers import solve

Matrix = tuple[tuple[Fraction, ...], ...]
Profile = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]

__all__ = ["Equilibrium", "extreme_equilibria", "is_degenerate", "support_enumeration"]


@dataclass(frozen=True)
class Equilibrium:
    """One Nash equilibrium: a mixed strategy for each player and the expected payoffs.

    `row` and `column` are tuples of `Fraction` probabilities (summing to 1), one per
    strategy; a pure strategy is a tuple with a single 1.
    """

    row: tuple[Fraction, ...]
    column: tuple[Fraction, ...]
    payoffs: tuple[Fraction, Fraction]

    @property
    def is_pure(self) -> bool:
        """True when both players play a single strategy with probability 1."""
        return max(self.row) == 1 and max(self.column) == 1

    @property
    def supports(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The strategies each player plays with positive probability."""
        return (
            tuple(i for i, p in enumerate(self.row) if p > 0),
            tuple(j for j, q in enumerate(self.column) if q > 0),
        )


def expected(matrix: Matrix, x: Sequence[Fraction], y: Sequence[Fraction]) -> Fraction:
    """Expected payoff ``x @ matrix @ y``."""
    return sum(
        (xi * mij * yj for xi, row in zip(x, matrix, strict=True) for mij, yj in zip(row, y, strict=True)),
        Fraction(0),
    )


def transpose(matrix: Matrix) -> Matrix:
    return tuple(zip(*matrix, strict=True))


def _indifferent_mix(matrix: Matrix, rows: tuple[int, ...], cols: tuple[int, ...]) -> tuple | None:
    """Mix over `cols` that makes every strategy in `rows` earn the same payoff in `matrix`.

    Unknowns: one probability per column in `cols` and the common payoff v. Returns
    (full-length mix, v), or None when the system is singular.
    """
    k = len(cols)
    system = [[matrix[i][j] for j in cols] + [Fraction(-1)] for i in rows]
    system.append([Fraction(1)] * k + [Fraction(0)])
    solution = solve(system, [Fraction(0)] * len(rows) + [Fraction(1)])
    if solution is None:
        return None
    mix = [Fraction(0)] * len(matrix[0])
    for j, p in zip(cols, solution, strict=False):
        mix[j] = p
    return tuple(mix), solution[-1]


def support_enumeration(a: Matrix, b: Matrix) -> list[Profile]:
    """Every equilibrium of a nondegenerate game, by solving indifference on equal-size supports.

    For supports I (rows) and J (columns) of the same size, the column mix on J must make the
    row player indifferent across I, and the row mix on I must make the column player
    indifferent across J; the pair is an equilibrium when both mixes are strictly positive on
    their supports and nothing outside a support pays more.
    """
    bt = transpose(b)
    m, n = len(a), len(a[0])
    found = []
    for k in range(1, min(m, n) + 1):
        for rows in combinations(range(m), k):
            for cols in combinations(range(n), k):
                column_side = _indifferent_mix(a, rows, cols)
                row_side = _indifferent_mix(bt, cols, rows)
                if column_side is None or row_side is None:
                    continue
                (y, v), (x, u) = column_side, row_side
                if any(y[j] <= 0 for j in cols) or any(x[i] <= 0 for i in rows):
                    continue
                if all(expected(a, _unit(i, m), y) <= v for i in range(m)) and all(
                    expected(bt, _unit(j, n), x) <= u for j in range(n)
                ):
                    found.append((x, y))
    return found


def _unit(i: int, size: int) -> tuple[Fraction, ...]:
    return tuple(Fraction(int(k == i)) for k in range(size))


def _positive(matrix: Matrix) -> Matrix:
    """Shift every payoff by one constant so all are >= 1: best responses do not change."""
    shift = 1 - min(min(row) for row in matrix)
    return tuple(tuple(v + shift for v in row) for row in matrix)


def _vertices(
    constraints: Matrix, zero_labels: Sequence[int], bound_labels: Sequence[int]
) -> Iterator[tuple[tuple[Fraction, ...], frozenset[int]]]:
    """Vertices of {z >= 0 : constraints @ z <= 1} (entries positive), each with its labels.

    Label ``zero_labels[k]`` when z_k = 0, label ``bound_labels[r]`` when row r is tight.
    Exhaustive over all d-subsets of the d + r inequalities: fine for the small games here.
    """
    d = len(constraints[0])
    tight_rows = [(_unit(k, d), Fraction(0)) for k in range(d)] + [(row, Fraction(1)) for row in constraints]
    seen = set()
    for chosen in combinations(range(len(tight_rows)), d):
        z = solve([tight_rows[c][0] for c in chosen], [tight_rows[c][1] for c in chosen])
        if z is None or z in seen or any(v < 0 for v in z):
            continue
        loads = [sum((c * v for c, v in zip(row, z, strict=True)), Fraction(0)) for row in constraints]
        if any(load > 1 for load in loads):
            continue
        seen.add(z)
        labels = {zero_labels[k] for k in range(d) if z[k] == 0}
        labels |= {bound_labels[r] for r, load in enumerate(loads) if load == 1}
        yield z, frozenset(labels)


def _polytopes(a: Matrix, b: Matrix) -> tuple[list, list]:
    """Vertices of the best-response polytopes P (row player) and Q (column player)."""
    m, n = len(a), len(a[0])
    rows, cols = list(range(m)), list(range(m, m + n))
    p = list(_vertices(transpose(_positive(b)), zero_labels=rows, bound_labels=cols))
    q = list(_vertices(_positive(a), zero_labels=cols, bound_labels=rows))
    return p, q


def is_degenerate(a: Matrix, b: Matrix) -> bool:
    """True when some mixed strategy with k strategies in its support has more than k best responses.

    Checked exactly: a vertex of a best-response polytope with more tight inequalities than
    the polytope has dimensions is precisely such a strategy.
    """
    m, n = len(a), len(a[0])
    p, q = _polytopes(a, b)
    return any(len(labels) > m for _, labels in p) or any(len(labels) > n for _, labels in q)


def extreme_equilibria(a: Matrix, b: Matrix) -> list[Profile]:
    """All extreme equilibria, for any game (degenerate or not), by vertex enumeration."""
    m, n = len(a), len(a[0])
    everything = frozenset(range(m + n))
    p, q = _polytopes(a, b)
    found = []
    for x, x_labels in p:
        if not any(x):
            continue
        for y, y_labels in q:
            if any(y) and x_labels | y_labels == everything:
                sx, sy = sum(x), sum(y)
                found.append((tuple(v / sx for v in x), tuple(v / sy for v in y)))
    return found
