"""Checks on a scenario that a JSON Schema cannot express; each raises ScenarioError at the right line.

Run by :func:`course.scenario.loader.load` after schema validation: duplicate ids, unknown state variables in
effects, conditions and scoring, doctrines naming missing responses or reports, rules and their situations,
probabilities that do not sum to 1, start values outside their bounds, malformed or unsatisfiable
conditions (an outcome that can never fire), and a game that could run past its turn limit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from course.datafile import line_of
from course.scenario.conditions import holds
from course.scenario.model import ScenarioError
from course.scenario.rules import RULE_KEYS, RULES

TOLERANCE = 1e-6
COMPARATORS = ("ge", "gt", "le", "lt")


def check(raw: Mapping[str, Any], node: yaml.Node | None, path: str | Path) -> None:
    """Raise :class:`course.scenario.loader.ScenarioError` for the first problem found."""

    def fail(where: list, problem: str) -> None:
        from course.datafile import dotted

        raise ScenarioError(path, line_of(node, where), dotted(where), problem)

    def unique(items: list, where: list, what: str) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item["id"] in seen:
                fail([*where, i, "id"], f"duplicate {what} id {item['id']!r}")
            seen.add(item["id"])
        return seen

    variables = raw["variables"]
    var_ids = unique(variables, ["variables"], "variable")
    bounds = {v["id"]: (v["min"], v["max"]) for v in variables}
    bounds["turn"] = (0, raw["turn_limit"])
    for i, v in enumerate(variables):
        if v["min"] >= v["max"]:
            fail(["variables", i, "max"], f"max ({v['max']}) must be greater than min ({v['min']})")
        if not 0 <= v.get("fade", 0) < 1:
            fail(["variables", i, "fade"], f"fade {v['fade']} must be at least 0 and less than 1")
        if not v["min"] <= v["start"] <= v["max"]:
            fail(
                ["variables", i, "start"],
                f"start {v['start']} is outside the bounds [{v['min']}, {v['max']}]",
            )

    def known_vars(mapping: Mapping[str, Any], where: list) -> None:
        for key in mapping:
            if key not in var_ids:
                fail([*where, key], f"unknown state variable {key!r} (known: {', '.join(sorted(var_ids))})")

    def condition(cond: Mapping[str, Any], where: list) -> None:
        combos = [k for k in ("all", "any") if k in cond]
        if combos:
            if len(cond) != 1:
                fail(where, "a condition is either {var, ge/gt/le/lt} or a single all/any list, not both")
            for j, child in enumerate(cond[combos[0]]):
                condition(child, [*where, combos[0], j])
            return
        if "var" not in cond:
            fail(where, "a condition needs 'var' and a comparison (ge, gt, le, lt), or 'all'/'any'")
        if cond["var"] not in bounds:
            fail(
                [*where, "var"],
                f"unknown state variable {cond['var']!r} (known: {', '.join(sorted(var_ids))})",
            )
        if not any(k in cond for k in COMPARATORS):
            fail(where, f"condition on {cond['var']!r} has no comparison (ge, gt, le or lt)")

    members = {m["id"] for m in raw["coalition"]["members"]}
    unique(raw["coalition"]["members"], ["coalition", "members"], "member")
    unique(raw["actions"], ["actions"], "action")
    for i, a in enumerate(raw["actions"]):
        known_vars(a["effects"], ["actions", i, "effects"])
        known_vars(a.get("spread", {}), ["actions", i, "spread"])
        if "requires" in a:
            condition(a["requires"], ["actions", i, "requires"])
            if not _satisfiable(a["requires"], bounds):
                fail(
                    ["actions", i, "requires"],
                    "this precondition can never hold within the variables' bounds",
                )
        for j, who in enumerate(a.get("reassures", [])):
            if who not in members:
                fail(["actions", i, "reassures", j], f"unknown coalition member {who!r}")

    unique(raw["opponents"], ["opponents"], "opponent")
    for i, o in enumerate(raw["opponents"]):
        at = ["opponents", i]
        responses = unique(o["responses"], [*at, "responses"], "response")
        reports = unique(o["reports"], [*at, "reports"], "report")
        unique(o["doctrines"], [*at, "doctrines"], "doctrine")
        for j, r in enumerate(o["responses"]):
            known_vars(r["effects"], [*at, "responses", j, "effects"])
            known_vars(r.get("spread", {}), [*at, "responses", j, "spread"])
        total = math.fsum(d["prior"] for d in o["doctrines"])
        if abs(total - 1) > TOLERANCE:
            fail([*at, "doctrines"], f"priors sum to {total:g}, not 1")
        for j, d in enumerate(o["doctrines"]):
            dat = [*at, "doctrines", j]
            rule = RULES[d["rule"]]
            wanted, got = list(rule.situations), list(d["replies"])
            for s in got:
                if s not in rule.situations:
                    fail(
                        [*dat, "replies", s],
                        f"rule {d['rule']!r} has no situation {s!r} (it has: {', '.join(wanted)})",
                    )
            for s in rule.required():
                if s not in d["replies"]:
                    fail([*dat, "replies"], f"rule {d['rule']!r} needs replies for situation {s!r}")
            for s, dist in d["replies"].items():
                _distribution(dist, responses, "response", [*dat, "replies", s], fail)
            _distribution(d["intel"], reports, "report", [*dat, "intel"], fail)
            for key in rule.needs:
                if key not in d:
                    fail(dat, f"rule {d['rule']!r} needs {key!r}")
            for key in RULE_KEYS:
                if key in d and key not in rule.needs + rule.optional:
                    fail([*dat, key], f"rule {d['rule']!r} does not use {key!r}")
            for key in ("weak_when", "deterred_when", "clash_when", "engaged_when"):
                if key in d:
                    condition(d[key], [*dat, key])
            if "commitment" in d and d["commitment"] not in var_ids:
                fail([*dat, "commitment"], f"unknown state variable {d['commitment']!r}")
            for key in ("licence", "abandonment"):
                if key in d and d[key] not in responses:
                    fail([*dat, key], f"no response {d[key]!r} for {o['id']!r}")

    outcome_ids = unique(raw["outcomes"], ["outcomes"], "outcome")
    for i, o in enumerate(raw["opponents"]):
        for j, d in enumerate(o["doctrines"]):
            for key in d.get("endings", {}):
                if key not in outcome_ids:
                    fail(["opponents", i, "doctrines", j, "endings", key], f"unknown outcome {key!r}")
    for i, out in enumerate(raw["outcomes"]):
        condition(out["when"], ["outcomes", i, "when"])
        if not _satisfiable(out["when"], bounds):
            fail(
                ["outcomes", i, "when"],
                f"outcome {out['id']!r} can never fire: its condition cannot hold within the bounds",
            )
    if not any(_fires_at_limit(out["when"], raw["turn_limit"]) for out in raw["outcomes"]):
        fail(
            ["outcomes"],
            f"no outcome is sure to fire at the turn limit; add one with when: {{var: turn, ge: {raw['turn_limit']}}}",
        )

    scoring = raw["scoring"]
    weight_sets = [(["scoring"], scoring)]
    unique(scoring.get("weight_sets", []), ["scoring", "weight_sets"], "weight set")
    weight_sets += [(["scoring", "weight_sets", j], ws) for j, ws in enumerate(scoring.get("weight_sets", []))]
    for where, weights in weight_sets:
        known_vars(weights["state"], [*where, "state"])
        known_vars(weights.get("change", {}), [*where, "change"])
        for key in weights["outcomes"]:
            if key not in outcome_ids:
                fail([*where, "outcomes", key], f"unknown outcome {key!r}")
        for key in raw_order(outcome_ids, raw["outcomes"]):
            if key not in weights["outcomes"]:
                fail([*where, "outcomes"], f"no score for outcome {key!r}")


def raw_order(ids: set[str], items: list) -> list[str]:
    return [item["id"] for item in items if item["id"] in ids]


def _distribution(dist: Mapping[str, float], known: set[str], what: str, where: list, fail) -> None:
    for key in dist:
        if key not in known:
            fail([*where, key], f"no {what} {key!r} (known: {', '.join(sorted(known))})")
    total = math.fsum(dist.values())
    if abs(total - 1) > TOLERANCE:
        fail(where, f"probabilities sum to {total:g}, not 1")


def _interval(cond: Mapping[str, Any], lo: float, hi: float) -> tuple[float, float, bool]:
    """The part of [lo, hi] where a single comparison can hold; the flag says whether it is non-empty."""
    open_lo = open_hi = False
    if "ge" in cond and cond["ge"] > lo:
        lo = cond["ge"]
    if "gt" in cond and cond["gt"] >= lo:
        lo, open_lo = cond["gt"], True
    if "le" in cond and cond["le"] < hi:
        hi = cond["le"]
    if "lt" in cond and cond["lt"] <= hi:
        hi, open_hi = cond["lt"], True
    ok = lo < hi or (lo == hi and not open_lo and not open_hi)
    return lo, hi, ok


def _satisfiable(cond: Mapping[str, Any], bounds: Mapping[str, tuple[float, float]]) -> bool:
    """Conservative: False only when the condition surely cannot hold (comparisons on one variable in an
    ``all`` are intersected; nested combinations must each be satisfiable)."""
    if "any" in cond:
        return any(_satisfiable(c, bounds) for c in cond["any"])
    if "all" in cond:
        ranges = dict(bounds)
        for c in cond["all"]:
            if "var" in c:
                lo, hi = ranges[c["var"]]
                lo, hi, ok = _interval(c, lo, hi)
                if not ok:
                    return False
                ranges[c["var"]] = (lo, hi)
            elif not _satisfiable(c, bounds):
                return False
        return True
    return _interval(cond, *bounds[cond["var"]])[2]


def _fires_at_limit(cond: Mapping[str, Any], limit: int) -> bool:
    if "any" in cond:
        return any(_fires_at_limit(c, limit) for c in cond["any"])
    if "all" in cond:
        return all(_fires_at_limit(c, limit) for c in cond["all"])
    if cond["var"] != "turn":
        return False
    return holds(cond, {}, limit)
