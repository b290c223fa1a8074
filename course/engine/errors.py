"""What the engine raises: an illegal move (the game is unchanged) and a decision log that does not fit.

Why a module of its own: the board, the command line, the log files and the checks all catch these, and
none of them should need the whole engine to name them.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["IllegalMove", "ReplayError"]


class IllegalMove(ValueError):
    """A move that is not legal now; the game is unchanged. ``legal`` lists the legal actions."""

    def __init__(self, action: str, legal: Sequence[str], reason: str = "") -> None:
        self.action = action
        self.legal = tuple(legal)
        why = reason or "not legal now"
        super().__init__(f"{action!r}: {why}; legal now: {', '.join(self.legal) or '(none: the game is over)'}")


class ReplayError(ValueError):
    """A decision log that does not fit this scenario or engine."""
