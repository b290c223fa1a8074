"""The frozen data model of a crisis scenario (what :func:`course.scenario.loader.load` returns).

Mappings inside (effects, replies, weights) are plain dicts: treat them as read-only. To try other numbers,
use :meth:`Scenario.with_ambiguity` and :meth:`Scenario.with_weights`, which also recompute the hash.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from course.datafile import DataError
from course.scenario.hashing import rehash

Condition = Mapping[str, Any]


class ScenarioError(DataError):
    """A problem in a scenario file: ``file:line: field: problem``."""


@dataclass(frozen=True)
class Variable:
    id: str
    name: str
    meaning: str
    min: float
    max: float
    start: float
    fade: float = 0.0  # share of the distance to min lost at the end of every turn (0: none)


@dataclass(frozen=True)
class Member:
    id: str
    name: str


@dataclass(frozen=True)
class Clause:
    ambiguity: float
    text: str = ""
    description: str = ""
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    id: str
    name: str
    stance: str
    effects: Mapping[str, float]
    spread: Mapping[str, float] = field(default_factory=dict)
    requires: Condition | None = None
    reassures: tuple[str, ...] = ()
    description: str = ""
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Response:
    id: str
    name: str
    effects: Mapping[str, float]
    spread: Mapping[str, float] = field(default_factory=dict)
    clash: bool = False
    description: str = ""
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    id: str
    text: str


@dataclass(frozen=True)
class DoctrineSpec:
    """One possible doctrine of an opponent: a rule from :mod:`course.engine.doctrines` and its numbers."""

    id: str
    rule: str
    prior: float
    replies: Mapping[str, Mapping[str, float]]
    intel: Mapping[str, float]
    name: str = ""
    description: str = ""
    weak_when: Condition | None = None
    deterred_when: Condition | None = None
    clash_when: Condition | None = None
    engaged_when: Condition | None = None
    licence: str | None = None
    abandonment: str | None = None
    commitment: str | None = None
    endings: Mapping[str, str] = field(default_factory=dict)  # outcome id -> what explains it (prose)


@dataclass(frozen=True)
class Opponent:
    id: str
    name: str
    responses: tuple[Response, ...]
    reports: tuple[Report, ...]
    doctrines: tuple[DoctrineSpec, ...]
    role: str = ""

    def response(self, response_id: str) -> Response:
        return next(r for r in self.responses if r.id == response_id)

    def doctrine(self, doctrine_id: str) -> DoctrineSpec:
        return next(d for d in self.doctrines if d.id == doctrine_id)

    def report(self, report_id: str) -> Report:
        return next(r for r in self.reports if r.id == report_id)


@dataclass(frozen=True)
class Outcome:
    id: str
    name: str
    kind: str
    when: Condition
    debrief: str
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeightSet:
    """Another published set of scoring weights (a different value judgement), e.g. non-proliferation first."""

    id: str
    outcomes: Mapping[str, float]
    state: Mapping[str, float]
    change: Mapping[str, float] = field(default_factory=dict)
    name: str = ""
    description: str = ""


@dataclass(frozen=True)
class Scoring:
    outcomes: Mapping[str, float]
    state: Mapping[str, float]
    description: str = ""
    change: Mapping[str, float] = field(default_factory=dict)  # weight of (final - start) of each variable
    weight_sets: tuple[WeightSet, ...] = ()
    name: str = ""  # the weight set in use ("" for the scenario's own)


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    version: str
    turn_limit: int
    coalition: str
    members: tuple[Member, ...]
    clause: Clause
    variables: tuple[Variable, ...]
    actions: tuple[Action, ...]
    opponents: tuple[Opponent, ...]
    outcomes: tuple[Outcome, ...]
    scoring: Scoring
    summary: str = ""
    content_hash: str = ""
    path: str = ""
    _cache: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __hash__(self) -> int:  # the mappings inside are not hashable; the content hash stands for them
        return hash((self.id, self.content_hash, self.path))

    def __getstate__(self) -> dict[str, Any]:  # the compiled cache holds closures: rebuild it after pickling
        return {**self.__dict__, "_cache": {}}

    def variable(self, var_id: str) -> Variable:
        return next(v for v in self.variables if v.id == var_id)

    def action(self, action_id: str) -> Action:
        return next(a for a in self.actions if a.id == action_id)

    def opponent(self, opponent_id: str) -> Opponent:
        return next(o for o in self.opponents if o.id == opponent_id)

    def outcome(self, outcome_id: str) -> Outcome:
        return next(o for o in self.outcomes if o.id == outcome_id)

    def with_ambiguity(self, ambiguity: float) -> Scenario:
        """A copy with another clause ambiguity (a what-if; the hash changes with it)."""
        return rehash(dataclasses.replace(self, clause=dataclasses.replace(self.clause, ambiguity=ambiguity)))

    def with_weights(
        self,
        outcomes: Mapping[str, float] | None = None,
        state: Mapping[str, float] | None = None,
        change: Mapping[str, float] | None = None,
        name: str | None = None,
    ) -> Scenario:
        """A copy with other scoring weights (the weights are a value judgement: try your own). ``name``: a
        weight set published in the scenario file (``scoring.weight_sets``), applied before the others.

        >>> from course.scenario.loader import load
        >>> s = load("korean-peninsula-2024").with_weights(name="non-proliferation-first")
        >>> s.scoring.name, s.scoring.change["nuclear_progress"] < 0
        ('non-proliferation-first', True)
        """
        base = self.scoring
        if name:
            known = {w.id: w for w in base.weight_sets}
            if name not in known:
                raise KeyError(f"no weight set {name!r} (published: {', '.join(known) or 'none'})")
            chosen = known[name]
            base = dataclasses.replace(
                base,
                outcomes=chosen.outcomes,
                state=chosen.state,
                change=chosen.change,
                name=name,
                description=chosen.description or base.description,
            )
        scoring = dataclasses.replace(
            base,
            outcomes={**base.outcomes, **(outcomes or {})},
            state={**base.state, **(state or {})},
            change={**base.change, **(change or {})},
        )
        return rehash(dataclasses.replace(self, scoring=scoring))

    def with_weight_set(self, name: str) -> Scenario:
        """A copy scored by a weight set published in the scenario file (see :meth:`with_weights`)."""
        return self.with_weights(name=name)
