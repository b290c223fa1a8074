r"""The kit-use check: a graded answer must be the student's own work, not a call of the kit's answer-bearing
code (the reference strategies, the game solvers, the digest's tags).

Reads the code (``ast``), not the text, so a comment or a string that names a module is not a use, and an
alias (``from course import strategies as s``) is followed. Both the flat paths of notebooks handed out
before the package layout and the current ones are listed.

>>> flag_kit_use("from course import strategies\nstrategies.adaptive")
['from course import strategies', 'course.strategies.adaptive']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course.grading.errors import KitUsed

__all__ = ["ANSWER_BEARING", "check_no_kit_use", "flag_kit_use"]

# The kit's modules and names that hold graded answers. ``None``: any use of the module. A set: those
# names, as attributes or imports (course.reading may be used for quotations, not for the digest's tags).
ANSWER_BEARING: Mapping[str, frozenset[str] | None] = {
    "course.games": None,
    "course.engine.strategies": None,
    "course.engine.tournament": None,
    "course.strategies": None,  # the flat paths of notebooks handed out before the layout (course/__init__.py)
    "course.tournament": None,
    "course.reading": frozenset({"tags", "claims", "rationale", "contested"}),
    "course.autograde": None,  # the instructor's pipeline, with the references hidden tests use
}


def flag_kit_use(source: str, forbid: Mapping[str, frozenset[str] | None] = ANSWER_BEARING) -> list[str]:
    """The uses of the kit's answer-bearing modules and names in ``source``, described; [] if none.

    Reads the code (``ast``), not the text: imports, ``from course import games``, attribute chains
    (``course.games.Game``), ``importlib``/``__import__`` with a kit module's name, and the listed names
    of partly answer-bearing modules (``reading.load().claims``). IPython magics are ignored.
    """
    import ast

    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    found: list[str] = []
    aliases: dict[str, str] = {}  # local name -> module it stands for

    def note(text: str) -> None:
        if text not in found:
            found.append(text)

    def module_hit(module: str) -> str | None:
        return next((m for m in forbid if module == m or module.startswith(m + ".")), None)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (hit := module_hit(alias.name)) and forbid[hit] is None:
                    note(f"import {alias.name}")
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                hit = module_hit(full) or module_hit(node.module)
                if hit and (forbid[hit] is None or alias.name in forbid[hit]):
                    note(f"from {node.module} import {alias.name}")
                aliases[alias.asname or alias.name] = full
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and module_hit(node.value):
            if forbid[module_hit(node.value)] is None:
                note(f"the module name {node.value!r}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = _dotted(node, aliases)
            if dotted and (hit := module_hit(dotted.rsplit(".", 1)[0])):
                if forbid[hit] is None or node.attr in forbid[hit]:
                    note(dotted)
            else:
                for module, names in forbid.items():
                    if names and node.attr in names and _imports_module(aliases, module):
                        note(f".{node.attr} (of {module})")
    return found


def _dotted(node: Any, aliases: Mapping[str, str]) -> str | None:
    """``course.games.Game`` for an attribute chain whose root names a module (through its alias)."""
    import ast

    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id], *reversed(parts)])


def _imports_module(aliases: Mapping[str, str], module: str) -> bool:
    return any(v == module or v.startswith(module + ".") for v in aliases.values())


def check_no_kit_use(
    source: str, forbid: Mapping[str, frozenset[str] | None] = ANSWER_BEARING, *, what: str = "your solution"
) -> None:
    """Raise :class:`KitUsed` naming what ``source`` uses of the kit's answer-bearing code."""
    used = flag_kit_use(source, forbid)
    if used:
        raise KitUsed(f"{what} uses the kit's own answers ({', '.join(used)}): work the answer out in your own code")
