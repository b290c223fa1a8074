"""Load a crisis scenario from YAML into frozen dataclasses, with messages that point at file, line and field.

>>> from course.scenario import load
>>> s = load("korean-peninsula-2024")
>>> s.id, s.turn_limit, len(s.actions) >= 8
('korean-peninsula-2024', 12, True)

The file is parsed once with the safe loader (:func:`course.datafile.read_yaml`), validated against
``course/data/scenario.schema.json`` with fastjsonschema, then checked in Python for what a schema cannot say
(:mod:`course.scenario_checks`). Every problem raises :class:`ScenarioError` (``file:line: field: problem``).
Conditions stay structured data (``{var: tension, ge: 100}``, ``{all: [...]}``, ``{any: [...]}``); they are
interpreted by :func:`holds`, never evaluated as code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from course.datafile import DataError, read_yaml, validate

SCHEMA = "scenario.schema.json"
DEFAULT = "korean-peninsula-2024"
#: Fields that are prose or display: left out of the play-relevant hash, so fixing a typo does not void
#: decision logs (see :func:`to_play_dict`).
PROSE_KEYS = frozenset(
    {"title", "version", "summary", "name", "meaning", "description", "text", "debrief", "paragraphs", "role"}
    | {"reassures"}  # display only: whom an action reassures does not change play
)
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
    """One possible doctrine of an opponent: a rule from :mod:`course.doctrines` and its numbers."""

    id: str
    rule: str
    prior: float
    replies: Mapping[str, Mapping[str, float]]
    intel: Mapping[str, float]
    name: str = ""
    description: str = ""
    weak_when: Condition | None = None
    clash_when: Condition | None = None
    licence: str | None = None
    abandonment: str | None = None
    commitment: str | None = None


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
class Scoring:
    outcomes: Mapping[str, float]
    state: Mapping[str, float]
    description: str = ""


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
        return _rehash(dataclasses.replace(self, clause=dataclasses.replace(self.clause, ambiguity=ambiguity)))

    def with_weights(self, outcomes: Mapping[str, float] | None = None, state: Mapping[str, float] | None = None):
        """A copy with other scoring weights (the weights are a value judgement: try your own)."""
        scoring = Scoring(
            outcomes={**self.scoring.outcomes, **(outcomes or {})},
            state={**self.scoring.state, **(state or {})},
            description=self.scoring.description,
        )
        return _rehash(dataclasses.replace(self, scoring=scoring))


def holds(condition: Condition, values: Mapping[str, float], turn: int) -> bool:
    """Whether a structured condition holds for these variable values at this turn.

    >>> holds({"all": [{"var": "tension", "ge": 50}, {"var": "turn", "lt": 3}]}, {"tension": 60}, 2)
    True
    """
    if "all" in condition:
        return all(holds(c, values, turn) for c in condition["all"])
    if "any" in condition:
        return any(holds(c, values, turn) for c in condition["any"])
    x = turn if condition["var"] == "turn" else values[condition["var"]]
    return (
        ("ge" not in condition or x >= condition["ge"])
        and ("gt" not in condition or x > condition["gt"])
        and ("le" not in condition or x <= condition["le"])
        and ("lt" not in condition or x < condition["lt"])
    )


def compile_condition(condition: Condition, index: Mapping[str, int]):
    """A fast predicate ``f(values, turn) -> bool`` over a sequence of values ordered as ``index`` says.

    >>> rule = {"any": [{"var": "tension", "ge": 100}, {"var": "turn", "ge": 12}]}
    >>> f = compile_condition(rule, {"tension": 0})
    >>> f([100.0], 3), f([20.0], 3), f([20.0], 12)
    (True, False, True)
    """
    for word in ("all", "any"):
        if word in condition:
            parts = tuple(compile_condition(c, index) for c in condition[word])
            if len(parts) == 1:
                return parts[0]
            if len(parts) == 2:
                p, q = parts
                if word == "all":
                    return lambda v, t: p(v, t) and q(v, t)
                return lambda v, t: p(v, t) or q(v, t)
            if word == "all":
                return lambda v, t: all(p(v, t) for p in parts)
            return lambda v, t: any(p(v, t) for p in parts)
    tests = [(op, float(condition[op])) for op in ("ge", "gt", "le", "lt") if op in condition]
    if len(tests) == 1:
        op, x = tests[0]
        if condition["var"] == "turn":
            return {
                "ge": lambda v, t: t >= x,
                "gt": lambda v, t: t > x,
                "le": lambda v, t: t <= x,
                "lt": lambda v, t: t < x,
            }[op]
        i = index[condition["var"]]
        return {
            "ge": lambda v, t: v[i] >= x,
            "gt": lambda v, t: v[i] > x,
            "le": lambda v, t: v[i] <= x,
            "lt": lambda v, t: v[i] < x,
        }[op]
    inf = float("inf")  # several comparisons on one variable: the general form
    ge, gt = condition.get("ge", -inf), condition.get("gt", -inf)
    le, lt = condition.get("le", inf), condition.get("lt", inf)
    if condition["var"] == "turn":
        return lambda v, t: ge <= t <= le and gt < t < lt
    j = index[condition["var"]]
    return lambda v, t: ge <= v[j] <= le and gt < v[j] < lt


def scenario_path(name_or_path: str | Path) -> Path:
    """A file path as given, or the packaged scenario of that id."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return Path(str(resources.files("course.data").joinpath("scenarios", f"{name_or_path}.yaml")))


def packaged() -> list[str]:
    """Ids of the scenarios shipped with the kit."""
    folder = resources.files("course.data").joinpath("scenarios")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def load(name_or_path: str | Path = DEFAULT) -> Scenario:
    """Read a scenario (a packaged id like ``korean-peninsula-2024``, or a path), check it, freeze it."""
    from course import scenario_checks

    path = scenario_path(name_or_path)
    if path != Path(name_or_path) and not path.exists():  # an id, but no such packaged scenario
        raise ScenarioError(path, None, "", f"no scenario {str(name_or_path)!r} (packaged: {', '.join(packaged())})")
    try:
        raw, node = read_yaml(path)
        validate(raw, node, path, SCHEMA)
    except DataError as err:
        if isinstance(err, ScenarioError):
            raise
        raise ScenarioError(err.path, err.line, err.field, err.problem) from None
    scenario_checks.check(raw, node, path)
    return from_dict(raw, str(path))


def content_hash(play: Mapping[str, Any]) -> str:
    """sha256 over canonical JSON (sorted keys, no spaces, 6.0 written as 6) of play-relevant content."""
    text = json.dumps(_canonical(play), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 6 and 6.0 hash the same
    return value


def to_play_dict(s: Scenario) -> dict[str, Any]:
    """The play-relevant content of a (possibly modified) scenario, in the YAML's shape."""
    return {
        "id": s.id,
        "turn_limit": s.turn_limit,
        "coalition": {"members": [{"id": m.id} for m in s.members]},
        "clause": {"ambiguity": s.clause.ambiguity},
        "variables": [{"id": v.id, "min": v.min, "max": v.max, "start": v.start} for v in s.variables],
        "actions": [_drop_empty(dataclasses.asdict(a)) for a in s.actions],
        "opponents": [
            {
                "id": o.id,
                "responses": [_drop_empty(dataclasses.asdict(r)) for r in o.responses],
                "reports": [{"id": r.id} for r in o.reports],
                "doctrines": [_drop_empty(dataclasses.asdict(d)) for d in o.doctrines],
            }
            for o in s.opponents
        ],
        "outcomes": [{"id": o.id, "kind": o.kind, "when": o.when} for o in s.outcomes],
        "scoring": {"outcomes": dict(s.scoring.outcomes), "state": dict(s.scoring.state)},
    }


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    """Top-level fields of a dataclass dict minus prose and empty values (nested keys are ids: kept)."""
    return {k: v for k, v in d.items() if k not in PROSE_KEYS and v not in (None, (), {}, [], False)}


def _rehash(s: Scenario) -> Scenario:
    return dataclasses.replace(s, content_hash=content_hash(to_play_dict(s)), _cache={})


def from_dict(raw: Mapping[str, Any], path: str = "") -> Scenario:
    """Freeze an already-checked scenario mapping."""

    def action(a: Mapping[str, Any]) -> Action:
        return Action(
            id=a["id"],
            name=a["name"],
            stance=a["stance"],
            effects=dict(a["effects"]),
            spread=dict(a.get("spread", {})),
            requires=a.get("requires"),
            reassures=tuple(a.get("reassures", ())),
            description=a.get("description", ""),
            paragraphs=tuple(a.get("paragraphs", ())),
        )

    def response(r: Mapping[str, Any]) -> Response:
        return Response(
            id=r["id"],
            name=r["name"],
            effects=dict(r["effects"]),
            spread=dict(r.get("spread", {})),
            clash=bool(r.get("clash", False)),
            description=r.get("description", ""),
            paragraphs=tuple(r.get("paragraphs", ())),
        )

    def doctrine(d: Mapping[str, Any]) -> DoctrineSpec:
        return DoctrineSpec(
            id=d["id"],
            rule=d["rule"],
            prior=d["prior"],
            replies={k: dict(v) for k, v in d["replies"].items()},
            intel=dict(d["intel"]),
            name=d.get("name", d["id"]),
            description=d.get("description", ""),
            weak_when=d.get("weak_when"),
            clash_when=d.get("clash_when"),
            licence=d.get("licence"),
            abandonment=d.get("abandonment"),
            commitment=d.get("commitment"),
        )

    clause = raw["clause"]
    scenario = Scenario(
        id=raw["id"],
        title=raw["title"],
        version=str(raw["version"]),
        summary=raw.get("summary", ""),
        turn_limit=raw["turn_limit"],
        coalition=raw["coalition"]["name"],
        members=tuple(Member(m["id"], m["name"]) for m in raw["coalition"]["members"]),
        clause=Clause(
            ambiguity=clause["ambiguity"],
            text=clause.get("text", ""),
            description=clause.get("description", ""),
            paragraphs=tuple(clause.get("paragraphs", ())),
        ),
        variables=tuple(
            Variable(v["id"], v["name"], v["meaning"], v["min"], v["max"], v["start"]) for v in raw["variables"]
        ),
        actions=tuple(action(a) for a in raw["actions"]),
        opponents=tuple(
            Opponent(
                id=o["id"],
                name=o["name"],
                role=o.get("role", ""),
                responses=tuple(response(r) for r in o["responses"]),
                reports=tuple(Report(r["id"], r["text"]) for r in o["reports"]),
                doctrines=tuple(doctrine(d) for d in o["doctrines"]),
            )
            for o in raw["opponents"]
        ),
        outcomes=tuple(
            Outcome(o["id"], o["name"], o["kind"], o["when"], o["debrief"], tuple(o.get("paragraphs", ())))
            for o in raw["outcomes"]
        ),
        scoring=Scoring(
            outcomes=dict(raw["scoring"]["outcomes"]),
            state=dict(raw["scoring"]["state"]),
            description=raw["scoring"].get("description", ""),
        ),
        path=path,
    )
    return _rehash(scenario)
