"""docs/reference/scenario.md, generated from the descriptions in the scenario schema (one source of truth;
``tests/scenario/test_scenario.py`` keeps the page in step)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def reference_rows(schema: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """(key path, type, required, description) for every key of the scenario schema, in schema order:
    the source of docs/reference/scenario.md (a test keeps the page in step)."""
    defs = schema.get("definitions", {})
    rows: list[tuple[str, str, str, str]] = []

    def resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in node:
            target = defs[node["$ref"].rsplit("/", 1)[1]]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node

    def kind(node: Mapping[str, Any]) -> str:
        if "enum" in node:
            return "one of " + ", ".join(f"`{x}`" for x in node["enum"])
        if "const" in node:
            return f"`{node['const']}`"
        if node.get("type") == "array":
            return "list of " + kind(resolve(node.get("items", {})))
        if node.get("type") == "object" and "properties" not in node:
            return "mapping"
        return str(node.get("type", "condition"))

    def walk(node: Mapping[str, Any], prefix: str, seen: frozenset[str]) -> None:
        required = set(node.get("required", ()))
        for key, child in node.get("properties", {}).items():
            ref = child.get("$ref", "") or child.get("items", {}).get("$ref", "")
            if child.get("type") == "array" and ref.endswith("/condition"):
                rows.append((f"{prefix}{key}", "list of conditions", "", child.get("description", "")))
                continue
            child = resolve(child)
            path = f"{prefix}{key}"
            typ = "condition" if ref.endswith("/condition") else kind(child)
            rows.append((path, typ, "yes" if key in required else "", child.get("description", "")))
            if ref.endswith("/condition") or (ref and ref in seen):
                continue
            target = child.get("items", child) if child.get("type") == "array" else child
            target = resolve(target)
            if "properties" in target:
                walk(target, f"{path}[]." if child.get("type") == "array" else f"{path}.", seen | {ref} - {""})

    walk(schema, "", frozenset())
    return rows


def reference_markdown(schema: Mapping[str, Any]) -> str:
    lines = ["| key | type | required | meaning |", "| --- | --- | --- | --- |"]
    for path, typ, req, desc in reference_rows(schema):
        lines.append(f"| `{path}` | {typ} | {req} | {desc.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


_PAGE_HEAD = """# Scenario file reference

Every key of a scenario file (`course/data/scenarios/*.yaml`), generated from the descriptions in
`course/data/scenario.schema.json` (JSON Schema draft-07): one source of truth. A test
(`tests/scenario/test_scenario.py::test_reference_page_matches_schema`) fails when this page and the schema differ;
regenerate it with

```
.venv/bin/python -c "from course.scenario.reference import reference_page; print(reference_page(), end='')" \\
    > docs/reference/scenario.md
```

How to write a scenario, step by step: [authoring.md](../authoring.md).

## Keys

"""

_PAGE_CONDITIONS = """
`[]` marks a list item. Unknown keys are rejected everywhere (`additionalProperties: false`).

## Conditions

Preconditions (`requires`), end conditions (`when`), `weak_when` and `clash_when` are structured
conditions, never strings that get evaluated. A condition is either one comparison or one combination:

"""

_PAGE_TAIL = """
Examples: `{var: tension, ge: 100}`; `{all: [{var: open_dialogue, ge: 70}, {var: tension, le: 30}]}`;
`{var: turn, ge: 12}` (the frozen standoff at the turn limit).

## Checks beyond the schema

`course/scenario/checks.py` also rejects: duplicate ids; an unknown state variable in an effect, spread,
condition or scoring weight; an unknown coalition member in `reassures`; a doctrine whose `replies` name a
missing response, miss a situation its `rule` needs or add one it lacks; `intel` naming a missing report;
priors, replies or intel probabilities that do not sum to 1; `start` outside `[min, max]`; `min >= max`; a
condition with no comparison, or mixing a comparison with `all`/`any`; an outcome or precondition whose
condition cannot hold within the bounds (it can never fire); no outcome sure to fire at the turn limit; a
score missing for an outcome, or given for an unknown one. Each message names file, line and field:
`korean.yaml:37: actions[2].effects.tension: expected a number, got 'high'`.
"""


def reference_page() -> str:
    """The whole of docs/reference/scenario.md, from the packaged schema."""
    from course.datafile import schema

    s = schema("scenario.schema.json")
    condition = {"properties": s["definitions"]["condition"]["properties"], "definitions": s["definitions"]}
    return _PAGE_HEAD + reference_markdown(s) + _PAGE_CONDITIONS + reference_markdown(condition) + _PAGE_TAIL
