"""What the player may see: a :class:`View` of the game, and each turn as :class:`Seen` (no hidden doctrine).

Strategies are functions ``policy(view) -> action_id``; a View is all they get.
"""

from __future__ import annotations

from typing import NamedTuple

from course.scenario.loader import Scenario


class Seen(NamedTuple):
    """One turn as the player saw it: no hidden doctrine."""

    turn: int
    action: str
    responses: tuple[tuple[str, str], ...]  # (opponent id, response id)
    intel: tuple[tuple[str, str], ...]  # (opponent id, report id)
    state: tuple[float, ...]  # after the turn, in the scenario's variable order


class View(NamedTuple):
    """What the player may see now. Strategies are functions ``policy(view) -> action_id``."""

    scenario: Scenario
    turn: int
    state: dict[str, float]
    actions: tuple[str, ...]
    history: tuple[Seen, ...]
    over: bool
    outcome: str | None

    @property
    def moves(self) -> tuple[str, ...]:
        return tuple(s.action for s in self.history)

    @property
    def intel(self) -> tuple[tuple[str, str], ...]:
        """Every intelligence report so far, oldest first, as (opponent id, report id)."""
        return tuple(r for s in self.history for r in s.intel)

    def state_before(self, turn: int) -> tuple[float, ...]:
        """The state at the start of a turn (1-based), in variable order."""
        if turn <= 1:
            return tuple(v.start for v in self.scenario.variables)
        return self.history[turn - 2].state
