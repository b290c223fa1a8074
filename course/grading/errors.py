"""The failures a graded test cell raises: each an ``AssertionError`` (nbgrader scores a cell that raises as
failed) whose message says what to fix without giving the answer away.

Why a module of its own: the value checks, the kit-use check and the strategy runner all raise these, and a
student's notebook catches them by name (``except grading.GradingError``).
"""

from __future__ import annotations

__all__ = ["GradingError", "KitUsed", "WrongType", "WrongValue"]


class GradingError(AssertionError):
    """A test failed: the message says what to fix, without the expected answer."""


class WrongType(GradingError):
    """The answer has the wrong type (checked before any value is compared)."""


class WrongValue(GradingError):
    """The answer has the right type but not the expected value."""


class KitUsed(GradingError):
    """A solution uses the kit's answer-bearing functions instead of working the answer out."""
