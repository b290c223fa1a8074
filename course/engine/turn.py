"""A played turn: the numbers the engine recorded, and its explanation built only when asked for."""

from __future__ import annotations

from typing import Any

from course.engine.tables import compiled


class Turn:
    """A played turn. ``why`` tells it in a sentence (it names the hidden doctrine: show it in a debrief)."""

    __slots__ = (
        "number",
        "action",
        "responses",
        "situations",
        "rolls",
        "before",
        "state",
        "intel",
        "outcome",
        "_scenario",
        "_doctrines",
    )

    def __init__(
        self, number, action, responses, situations, rolls, before, state, intel, outcome, scenario, doctrines
    ):
        self.number = number
        self.action = action
        self.responses = responses  # tuple of response ids, one per opponent
        self.situations = situations
        self.rolls = rolls
        self.before = before
        self.state = state
        self.intel = intel  # tuple of report ids, one per opponent
        self.outcome = outcome
        self._scenario = scenario
        self._doctrines = doctrines  # the game's doctrine objects, one per opponent (hidden from the player)

    def _key(self) -> tuple:
        return (
            self.number,
            self.action,
            self.responses,
            self.situations,
            self.rolls,
            self.state,
            self.intel,
            self.outcome,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Turn) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Turn({self.number}, {self.action!r}, responses={self.responses}, outcome={self.outcome!r})"

    def as_dict(self) -> dict[str, Any]:
        """The turn as the player saw it (for ``pact-course play --json``)."""
        g = compiled(self._scenario)
        return {
            "turn": self.number,
            "action": self.action,
            "responses": dict(zip(g.opponents, self.responses, strict=True)),
            "intel": dict(zip(g.opponents, self.intel, strict=True)),
            "state": {n: round(x, 2) for n, x in zip(g.names, self.state, strict=True)},
            "outcome": self.outcome,
        }

    @property
    def why(self) -> str:
        """One sentence: the action, each opponent's doctrine rule and the roll that picked its reply."""
        s = self._scenario
        parts = [f"Turn {self.number}: the coalition chose {s.action(self.action).name}"]
        for k, opp in enumerate(s.opponents):
            doctrine = self._doctrines[k]
            rule = type(doctrine).situations[self.situations[k]]
            p = doctrine.probabilities(self.situations[k], list(self.before))[self.responses[k]]
            reply = opp.response(self.responses[k]).name
            parts.append(
                f"{opp.name}, as a {doctrine.spec.name or doctrine.id}, answered with {reply} because {rule}"
                f" (roll {self.rolls[k]:.2f}; that reply had probability {p:.2f})"
            )
        text = "; ".join(parts)
        if self.outcome:
            text += f"; the game ended: {s.outcome(self.outcome).name}"
        return text + "."
