"""Read a YAML data file, validate it against a JSON Schema, and point at the exact line of a problem.

Every data file in the kit (the article digest, scenarios) goes through here so that an author who breaks
one gets the same kind of message: ``file:line: field: problem``. Validation uses ``fastjsonschema``
(draft-07), which imports in a few hundredths of a second, because this runs inside every student kernel
(see DESIGN.md, "Layers"; ``jsonschema`` costs seconds there).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster and keeps node marks the same way
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Where = Sequence[str | int]


class DataError(ValueError):
    """A problem in a data file, located by file, line and dotted field path."""

    def __init__(self, path: str | Path, line: int | None, field: str, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.field = field
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path.name}:{self.line}" if self.line else self.path.name
        return f"{where}: {self.field or '(top level)'}: {self.problem}"


def dotted(where: Where) -> str:
    """``["actions", 2, "effects", "tension"]`` -> ``"actions[2].effects.tension"``."""
    text = ""
    for part in where:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def line_of(node: yaml.Node | None, where: Where) -> int | None:
    """The 1-based line of the deepest node along ``where`` that exists in the composed YAML."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in where:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                child = node.value[part]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def key_line(node: yaml.Node | None, where: Where, key: str) -> int | None:
    """The line of ``key`` inside the mapping at ``where`` (for "unknown key" messages)."""
    parent = node
    for part in where:
        parent = _child(parent, part)
        if parent is None:
            return line_of(node, where)
    if isinstance(parent, yaml.MappingNode):
        for k, _ in parent.value:
            if k.value == key:
                return k.start_mark.line + 1
    return line_of(node, where)


def _child(node: yaml.Node | None, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def read_yaml(path: str | Path) -> tuple[Any, yaml.Node | None]:
    """Parse ``path`` once with the safe loader; return the data and the composed node tree (for lines)."""
    path = Path(path)
    return _parse(_read_text(path), path)


def read_valid(path: str | Path, schema_name: str) -> tuple[Any, yaml.Node | None]:
    """:func:`read_yaml`, then :func:`validate` against a packaged schema, unless this very text has passed
    that very schema before (:func:`already_validated`): validation is a pure function of the two."""
    path = Path(path)
    text = _read_text(path)
    data, node = _parse(text, path)
    if not already_validated(schema_name, text):
        validate(data, node, path, schema_name)
    return data, node


# Digests of (schema, file) pairs that passed validation when the kit was built: course.autograde.validated
# writes them for the packaged data files. Why: compiling scenario.schema.json costs about 60 ms, paid by
# every process that loads the packaged scenario - each student kernel, and each sandbox process that
# plays a strategy (six per graded wargame submission) - to re-check a file that has not changed.
MEMO = "validated.json"


def memo_key(schema_name: str, text: str) -> str:
    """sha256 over the schema file's exact text and the data file's exact text."""
    digest = hashlib.sha256(schema_text(schema_name).encode("utf-8"))
    digest.update(b"\0")
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


@functools.cache
def _memo() -> frozenset[str]:
    try:
        entries = json.loads(resources.files("course.data").joinpath(MEMO).read_text(encoding="utf-8"))["valid"]
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()  # no memo: every file is validated, as it would be anyway
    return frozenset(entries.values()) if isinstance(entries, dict) else frozenset()


def already_validated(schema_name: str, text: str) -> bool:
    """Whether this exact text passed this exact schema when the kit was built (an edited file has not)."""
    return memo_key(schema_name, text) in _memo()


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path, None, "", "file not found") from None
    except UnicodeDecodeError as err:
        raise DataError(path, None, "", f"not UTF-8 text ({err.reason})") from None


def _parse(text: str, path: Path) -> tuple[Any, yaml.Node | None]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        problem = f"invalid YAML: {err.problem or err}"
        if err.context and err.context_mark and err.context_mark.line + 1 != line:
            problem += f" ({err.context} started on line {err.context_mark.line + 1})"
        raise DataError(path, line, "", problem) from None
    except yaml.YAMLError as err:
        raise DataError(path, None, "", f"invalid YAML: {err}") from None
    finally:
        loader.dispose()
    return data, node


@functools.cache
def schema_text(name: str) -> str:
    """A packaged JSON Schema's text from ``course/data`` by file name."""
    return resources.files("course.data").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """A packaged JSON Schema from ``course/data`` by file name."""
    return json.loads(schema_text(name))


@functools.cache
def validator(name: str) -> Callable[[Any], Any]:
    """The compiled fastjsonschema validator for a packaged schema (compiled once per process).

    fastjsonschema is imported here, not at module level: a process that loads only already validated
    files (``read_valid``) never needs it."""
    import fastjsonschema

    return fastjsonschema.compile(schema(name))


_TYPE_WORDS = {
    "number": "a number",
    "integer": "a whole number",
    "string": "a string",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
    "null": "nothing",
}


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(data: Any, node: yaml.Node | None, path: str | Path, schema_name: str) -> None:
    """Validate ``data`` against a packaged schema; raise :class:`DataError` at the offending line."""
    check = validator(schema_name)
    from fastjsonschema import JsonSchemaValueException

    try:
        check(data)
    except JsonSchemaValueException as err:
        where = _typed_path(data, err.path[1:])  # drop the leading "data"
        raise _error_from(err, where, node, path) from None


def _typed_path(data: Any, parts: Sequence[str]) -> list[str | int]:
    """fastjsonschema reports list indexes as strings: make them ints where the data holds a list."""
    typed: list[str | int] = []
    node = data
    for part in parts:
        if isinstance(node, list) and str(part).isdigit():
            part = int(part)
            node = node[part] if part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        typed.append(part)
    return typed


def _error_from(err: Any, where: list, node, path) -> DataError:  # err: fastjsonschema.JsonSchemaValueException
    rule, definition, value = err.rule, err.rule_definition, err.value
    line = line_of(node, where)
    if rule == "type":
        wanted = definition if isinstance(definition, list) else [definition]
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        problem = f"expected {words}, got {_describe(value)}"
    elif rule == "enum":
        problem = f"expected one of {', '.join(map(str, definition))}; got {_describe(value)}"
    elif rule == "const":
        problem = f"expected {definition!r}, got {_describe(value)}"
    elif rule == "required":
        missing = [key for key in definition if not isinstance(value, dict) or key not in value]
        problem = f"missing required key {', '.join(repr(k) for k in missing) or definition}"
    elif rule == "additionalProperties" and isinstance(value, dict):
        allowed = set((err.definition or {}).get("properties", {}))
        extra = sorted(k for k in value if k not in allowed)
        if extra:
            line = key_line(node, where, extra[0])
            hint = f" (allowed: {', '.join(sorted(allowed))})" if allowed else ""
            problem = f"unknown key {extra[0]!r}{hint}"
        else:
            problem = "unknown key"
    elif rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        word = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[rule]
        problem = f"must be {word} {definition}, got {_describe(value)}"
    elif rule in ("minItems", "maxItems"):
        word = "at least" if rule == "minItems" else "at most"
        problem = f"expected {word} {definition} item(s), got {len(value)}"
    elif rule in ("minLength", "maxLength"):
        word = "at least" if rule == "minLength" else "at most"
        problem = f"expected {word} {definition} character(s), got {len(value)}"
    elif rule == "pattern":
        problem = f"{_describe(value)} does not match the pattern {definition}"
    else:
        message = err.message
        prefix = err.name + " "
        problem = message[len(prefix) :] if message.startswith(prefix) else message
    return DataError(path, line, dotted(where), problem)
