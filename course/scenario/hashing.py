"""The play-relevant content of a scenario and its hash: what a decision log is checked against.

Why a module of its own: the model (a what-if copy with other weights is rehashed) and the loader both need
it, and neither needs the other for it. Prose is left out, so fixing a typo does not void a class's logs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from course.scenario.model import Scenario

#: Fields that are prose or display: left out of the play-relevant hash, so fixing a typo does not void
#: decision logs (see :func:`to_play_dict`).
PROSE_KEYS = frozenset(
    {"title", "version", "summary", "name", "meaning", "description", "text", "debrief", "paragraphs", "role"}
    | {"endings"}  # prose: what explains each ending against a doctrine
    | {"reassures"}  # display only: whom an action reassures does not change play
)


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
        "variables": [
            {"id": v.id, "min": v.min, "max": v.max, "start": v.start} | ({"fade": v.fade} if v.fade else {})
            for v in s.variables
        ],
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
        "scoring": {"outcomes": dict(s.scoring.outcomes), "state": dict(s.scoring.state)}
        | ({"change": dict(s.scoring.change)} if s.scoring.change else {}),
    }


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    """Top-level fields of a dataclass dict minus prose and empty values (nested keys are ids: kept)."""
    return {k: v for k, v in d.items() if k not in PROSE_KEYS and v not in (None, (), {}, [], False)}


def rehash(s: Scenario) -> Scenario:
    """The scenario with its content hash recomputed (and its compiled cache emptied)."""
    return dataclasses.replace(s, content_hash=content_hash(to_play_dict(s)), _cache={})
