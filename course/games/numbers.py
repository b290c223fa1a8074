"""Exact numbers for the games: conversion to `Fraction`, a tiny exact linear solver, display.

Everything here is stdlib only, so it runs in a student kernel and, later, in JupyterLite.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

__all__ = ["as_fraction", "as_mixed", "show", "solve"]


def as_fraction(value: object, what: str = "value") -> Fraction:
    """Return `value` as an exact `Fraction`, or raise a `ValueError` that names `what`.

    Floats are read through their shortest decimal form, so ``0.1`` becomes ``1/10`` (what the
    person typed), not the binary approximation ``3602879701896397/36028797018963968``.

    >>> as_fraction(0.1), as_fraction("2/3"), as_fraction(4)
    (Fraction(1, 10), Fraction(2, 3), Fraction(4, 1))
    """
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number, not a bool ({value!r})")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{what} must be finite, got {value!r}")
        return Fraction(repr(float(value)))  # float(): a numpy float64 reprs as "np.float64(...)"
    if isinstance(value, Decimal | numbers.Rational):
        try:
            return Fraction(value)
        except (ValueError, OverflowError) as err:
            raise ValueError(f"{what} must be finite, got {value!r}") from err
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except ValueError:
            raise ValueError(f"{what} must be a number such as 3, -1.5 or 2/3, got {value!r}") from None
    if isinstance(value, numbers.Real):  # e.g. a numpy scalar handed over from a widget or a test
        return as_fraction(float(value), what)
    raise ValueError(f"{what} must be a number, got {type(value).__name__} {value!r}")


def as_mixed(probabilities: Iterable[object], size: int, what: str) -> tuple[Fraction, ...]:
    """Check and return a mixed strategy: `size` non-negative exact probabilities summing to 1."""
    if isinstance(probabilities, str | bytes) or not isinstance(probabilities, Iterable):
        raise ValueError(f"{what} must be a strategy index or a sequence of {size} probabilities")
    probabilities = tuple(probabilities)
    if len(probabilities) != size:
        raise ValueError(f"{what} must have {size} probabilities, got {len(probabilities)}")
    mixed = tuple(as_fraction(p, f"{what}[{i}]") for i, p in enumerate(probabilities))
    if any(p < 0 for p in mixed):
        raise ValueError(f"{what} has a negative probability: {show_all(mixed)}")
    if sum(mixed) != 1:
        raise ValueError(f"{what} must sum to 1, sums to {show(sum(mixed))}")
    return mixed


def show(value: Fraction) -> str:
    """Write a Fraction the way a person would: ``3``, ``-1/10``.

    >>> show(Fraction(-1, 10)), show(Fraction(3))
    ('-1/10', '3')
    """
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def show_all(values: Sequence[Fraction]) -> str:
    """Write a tuple of Fractions as ``(1/2, 1/2)``."""
    return "(" + ", ".join(show(v) for v in values) + ")"


def solve(matrix: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]) -> tuple[Fraction, ...] | None:
    """Solve the square system ``matrix @ x = rhs`` exactly; return None when it is singular.

    Gauss-Jordan elimination with Fractions: no rounding, so a singular system is detected
    exactly instead of by a tolerance.

    >>> solve([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(3)]], [Fraction(3), Fraction(4)])
    (Fraction(1, 1), Fraction(1, 1))
    >>> solve([[Fraction(1), Fraction(2)], [Fraction(2), Fraction(4)]], [Fraction(1), Fraction(2)]) is None
    True
    """
    n = len(matrix)
    rows = [list(row) + [b] for row, b in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        lead = rows[col][col]
        rows[col] = [v / lead for v in rows[col]]
        for r in range(n):
            factor = rows[r][col]
            if r != col and factor != 0:
                rows[r] = [v - factor * w for v, w in zip(rows[r], rows[col], strict=True)]
    return tuple(row[n] for row in rows)
