"""Load a crisis scenario from YAML into frozen dataclasses, with messages that point at file, line and field.

>>> from course.scenario.loader import load
>>> s = load("korean-peninsula-2024")
>>> s.id, s.turn_limit, len(s.actions) >= 8
('korean-peninsula-2024', 12, True)

The file is parsed once with the safe loader (:func:`course.datafile.read_valid`), validated against
``course/data/scenario.schema.json`` with fastjsonschema (unless the kit validated this exact text when it was
built: ``course/data/validated.json``), then checked in Python for what a schema cannot say
(:mod:`course.scenario.checks`). Every problem raises :class:`ScenarioError` (``file:line: field: problem``).
Conditions stay structured data (``{var: tension, ge: 100}``, ``{all: [...]}``, ``{any: [...]}``); they are
interpreted by :func:`course.scenario.conditions.holds`, never evaluated as code. The dataclasses live in
:mod:`course.scenario.model` and are re-exported here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from course.datafile import DataError, read_valid
from course.scenario.conditions import Condition, compile_condition, holds
from course.scenario.model import (
    Action,
    Clause,
    DoctrineSpec,
    Member,
    Opponent,
    Outcome,
    Report,
    Response,
    Scenario,
    Scoring,
    Variable,
)

__all__ = [
    "Action",
    "Clause",
    "Condition",
    "DoctrineSpec",
    "Member",
    "Opponent",
    "Outcome",
    "Report",
    "Response",
    "Scenario",
    "ScenarioError",
    "Scoring",
    "Variable",
    "compile_condition",
    "content_hash",
    "from_dict",
    "holds",
    "load",
    "packaged",
    "rehash",
    "to_play_dict",
]

SCHEMA = "scenario.schema.json"
DEFAULT = "korean-peninsula-2024"
#: Fields that are prose or display: left out of the play-relevant hash, so fixing a typo does not void
#: decision logs (see :func:`to_play_dict`).
PROSE_KEYS = frozenset(
    {"title", "version", "summary", "name", "meaning", "description", "text", "debrief", "paragraphs", "role"}
    | {"reassures"}  # display only: whom an action reassures does not change play
)


class ScenarioError(DataError):
    """A problem in a scenario file: ``file:line: field: problem``."""


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
    from course.scenario import checks as scenario_checks

    path = scenario_path(name_or_path)
    if path != Path(name_or_path) and not path.exists():  # an id, but no such packaged scenario
        raise ScenarioError(path, None, "", f"no scenario {str(name_or_path)!r} (packaged: {', '.join(packaged())})")
    try:
        raw, node = read_valid(path, SCHEMA)
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


def rehash(s: Scenario) -> Scenario:
    """The scenario with its content hash recomputed (and its compiled cache emptied)."""
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
    return rehash(scenario)
