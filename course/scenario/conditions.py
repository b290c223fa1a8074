"""Structured conditions: ``{var: tension, ge: 100}``, ``{all: [...]}``, ``{any: [...]}``.

Scenario files state preconditions and end conditions as data; this module interprets them (never
``eval``). The pseudo-variable ``turn`` is the number of turns played.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Condition = Mapping[str, Any]


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


_SYMBOLS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


def describe(condition: Condition) -> str:
    """A condition in words for messages.

    >>> describe({"all": [{"var": "open_dialogue", "ge": 20}, {"var": "tension", "lt": 80}]})
    'open_dialogue >= 20 and tension < 80'
    """
    for word in ("all", "any"):
        if word in condition:
            parts = [describe(c) for c in condition[word]]
            joined = f" {'and' if word == 'all' else 'or'} ".join(parts)
            return joined if len(parts) == 1 or word == "all" else f"({joined})"
    return " and ".join(f"{condition['var']} {_SYMBOLS[op]} {condition[op]:g}" for op in _SYMBOLS if op in condition)
