"""`PayoffTable`: what a payoff table shows, as data (widgets render it; `str()` draws it as text)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .numbers import show

__all__ = ["PayoffTable"]


@dataclass(frozen=True)
class PayoffTable:
    """What a payoff table shows: labels, (row, column) payoff pairs, best responses marked.

    ``cells[i][j]`` is the pair of payoffs when Row plays i and Column plays j;
    ``row_best[i][j]`` is True when i is a best response of Row to j (and ``column_best``
    likewise for Column). ``str(table)`` draws it, with ``*`` on best-response payoffs.
    """

    players: tuple[str, str]
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[tuple[Fraction, Fraction], ...], ...]
    row_best: tuple[tuple[bool, ...], ...]
    column_best: tuple[tuple[bool, ...], ...]

    def __str__(self) -> str:
        def cell(i: int, j: int) -> str:
            a, b = self.cells[i][j]
            star_a, star_b = "*" if self.row_best[i][j] else "", "*" if self.column_best[i][j] else ""
            return f"{show(a)}{star_a}, {show(b)}{star_b}"

        grid = [[f"{self.players[0]} \\ {self.players[1]}", *self.column_labels]]
        grid += [
            [label, *(cell(i, j) for j in range(len(self.column_labels)))] for i, label in enumerate(self.row_labels)
        ]
        widths = [max(len(row[k]) for row in grid) for k in range(len(grid[0]))]
        return "\n".join(
            " | ".join(text.ljust(w) for text, w in zip(row, widths, strict=True)).rstrip() for row in grid
        )
