"""The decision log: what a game's replay needs (scenario id and hash, engine version, seed, moves), plus the
outcome the student saw, for display only. Pure data with a JSON round trip; files live in
:mod:`course.engine.logfile`, replay in :func:`course.engine.crisis.replay`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DecisionLog:
    """What a game's replay needs, plus the outcome the student saw (display only; replay recomputes it)."""

    scenario_id: str
    scenario_hash: str
    engine_version: str
    seed: int
    moves: tuple[str, ...] = ()
    seen_outcome: str | None = None
    doctrines: Mapping[str, str] | None = field(default=None)

    def to_json(self) -> str:
        data = {
            "scenario_id": self.scenario_id,
            "scenario_hash": self.scenario_hash,
            "engine_version": self.engine_version,
            "seed": self.seed,
            "moves": list(self.moves),
            "seen_outcome": self.seen_outcome,
            "doctrines": dict(self.doctrines) if self.doctrines else None,
        }
        return json.dumps(data, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> DecisionLog:
        """Parse a log; raises ``ValueError`` naming what is wrong."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("a decision log is a JSON object")
        wanted = {"scenario_id": str, "scenario_hash": str, "engine_version": str, "seed": int, "moves": list}
        for key, typ in wanted.items():
            if key not in data:
                raise ValueError(f"decision log: missing {key!r}")
            if not isinstance(data[key], typ) or isinstance(data[key], bool):
                raise ValueError(f"decision log: {key!r} should be {typ.__name__}, got {data[key]!r}")
        if not all(isinstance(m, str) for m in data["moves"]):
            raise ValueError("decision log: every move should be an action id (a string)")
        if not isinstance(data.get("seen_outcome"), str | None):
            raise ValueError("decision log: 'seen_outcome' should be an outcome id or null")
        doctrines = data.get("doctrines")
        if doctrines is not None and not (
            isinstance(doctrines, dict) and all(isinstance(v, str) for v in doctrines.values())
        ):
            raise ValueError("decision log: 'doctrines' should map opponent ids to doctrine ids, or be null")
        unknown = set(data) - {*wanted, "seen_outcome", "doctrines"}
        if unknown:
            raise ValueError(f"decision log: unknown key(s) {', '.join(sorted(unknown))}")
        return cls(
            scenario_id=data["scenario_id"],
            scenario_hash=data["scenario_hash"],
            engine_version=data["engine_version"],
            seed=data["seed"],
            moves=tuple(data["moves"]),
            seen_outcome=data.get("seen_outcome"),
            doctrines=data.get("doctrines") or None,
        )
