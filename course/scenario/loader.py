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

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from course.datafile import DataError, read_valid
from course.scenario import checks as scenario_checks
from course.scenario.conditions import Condition, compile_condition, holds
from course.scenario.hashing import PROSE_KEYS, content_hash, rehash, to_play_dict  # noqa: F401 - re-exported
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
    ScenarioError,
    Scoring,
    Variable,
    WeightSet,
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
    "WeightSet",
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
            deterred_when=d.get("deterred_when"),
            clash_when=d.get("clash_when"),
            engaged_when=d.get("engaged_when"),
            licence=d.get("licence"),
            abandonment=d.get("abandonment"),
            commitment=d.get("commitment"),
            endings=dict(d.get("endings", {})),
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
            Variable(v["id"], v["name"], v["meaning"], v["min"], v["max"], v["start"], v.get("fade", 0.0))
            for v in raw["variables"]
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
            change=dict(raw["scoring"].get("change", {})),
            weight_sets=tuple(
                WeightSet(
                    id=w["id"],
                    outcomes=dict(w["outcomes"]),
                    state=dict(w["state"]),
                    change=dict(w.get("change", {})),
                    name=w.get("name", w["id"]),
                    description=w.get("description", ""),
                )
                for w in raw["scoring"].get("weight_sets", ())
            ),
        ),
        path=path,
    )
    return rehash(scenario)
