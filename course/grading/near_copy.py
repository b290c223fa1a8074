r"""Near copies: a student's function whose syntax tree, names and constants aside, is a reference function's.

Why: the kit-use check (:mod:`course.grading.kit_use`) sees a strategy that *imports* the kit's reference
strategies, not one that pastes their text and renames it. Here each function is reduced to a sequence of
tokens — the kinds of its syntax nodes in order, attribute names kept (``view.history``, ``.stance``: the
game's vocabulary), every other name and every constant reduced to its kind, docstrings dropped — and two
functions are near copies when the longest matching blocks cover :data:`THRESHOLD` of both sequences
(``difflib``'s ratio) and the reference is long enough to be somebody's work (:data:`MIN_TOKENS`; a
one-line ``return view.actions[0]`` is everybody's). Honest strategies that share an idea with a reference
(answer a provocation with deterrence) are written with other structure and do not come close: the tests hold
several, written independently, under the threshold.

>>> ref = "def grit(v):\n    r = [s.responses[0][1] for s in v.history]\n    return r[-1] if r else 't'\n"
>>> mine = "def mine(view):\n    s = [h.responses[0][1] for h in view.history]\n    return s[-1] if s else 'b'\n"
>>> round(similarity(functions(mine)["mine"], functions(ref)["grit"]), 2)
1.0
"""

from __future__ import annotations

import ast
import difflib
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

__all__ = ["MIN_TOKENS", "THRESHOLD", "NearCopy", "functions", "kit_strategies", "near_copies", "similarity"]

THRESHOLD = 0.8
MIN_TOKENS = 60


class NearCopy(NamedTuple):
    function: str  # the student's
    reference: str  # where the reference is, e.g. "course/engine/strategies.py: grit"
    ratio: float


def _tokens(node: ast.AST) -> list[str]:
    out: list[str] = []

    def visit(n: ast.AST) -> None:
        if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str):
            return  # a docstring or a string used as a comment
        if isinstance(n, ast.Attribute):
            out.append("." + n.attr)
        elif isinstance(n, ast.Constant):
            out.append("const:" + type(n.value).__name__)
        elif isinstance(n, ast.Name | ast.arg):
            out.append("name")
        elif isinstance(n, ast.expr_context):
            return
        else:
            out.append(type(n).__name__)
        for child in ast.iter_child_nodes(n):
            visit(child)

    body = node.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else [node]
    args = node.args if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None
    if args is not None:
        out.append(f"args:{len(args.args)}")
    for statement in body:
        visit(statement)
    return out


def functions(source: str) -> dict[str, list[str]]:
    """Every function (methods and nested ones too) of ``source`` -> its tokens followed by those of the
    functions of ``source`` it calls, in the order it first calls them (what a paste carries along: a
    strategy and its helpers); {} if it does not parse."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    nodes: dict[str, ast.AST] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name not in nodes:
            nodes[node.name] = node
    own: dict[str, list[str]] = {name: _tokens(node) for name, node in nodes.items()}
    calls = {name: _called(node, nodes) for name, node in nodes.items()}
    found: dict[str, list[str]] = {}
    for name in nodes:
        order, todo = [], [name]
        while todo:
            current = todo.pop(0)
            if current not in order:
                order.append(current)
                todo.extend(calls[current])
        found[name] = [t for part in order for t in own[part]]
    return found


def _called(node: ast.AST, defined: Mapping[str, ast.AST]) -> list[str]:
    """The names of ``defined`` functions that ``node`` names, in the order of a pre-order walk."""
    out: list[str] = []

    def visit(n: ast.AST) -> None:
        if isinstance(n, ast.Name) and n.id in defined and n.id not in out:
            out.append(n.id)
        for child in ast.iter_child_nodes(n):
            visit(child)

    for child in ast.iter_child_nodes(node):
        visit(child)
    return out


def similarity(a: list[str], b: list[str]) -> float:
    """How much of two token sequences the longest matching blocks cover (0 to 1)."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@functools.cache
def kit_strategies() -> dict[str, tuple[str, ...]]:
    """The kit's reference strategies and their helpers (``course/engine/strategies.py``), by where they are."""
    import course.engine.strategies as module

    text = Path(module.__file__).read_text(encoding="utf-8")
    return {f"course/engine/strategies.py: {name}": tuple(t) for name, t in functions(text).items()}


def near_copies(
    source: str,
    references: Mapping[str, Iterable[str]] | None = None,
    *,
    threshold: float = THRESHOLD,
    min_tokens: int = MIN_TOKENS,
) -> list[NearCopy]:
    """The functions of ``source`` that are near copies of a reference (default: :func:`kit_strategies`)."""
    refs = {k: list(v) for k, v in (kit_strategies() if references is None else references).items()}
    refs = {k: v for k, v in refs.items() if len(v) >= min_tokens}
    found = []
    for name, mine in functions(source).items():
        if len(mine) < min_tokens * threshold:
            continue
        best = max(((similarity(mine, ref), where) for where, ref in refs.items()), default=(0.0, ""))
        if best[0] >= threshold:
            found.append(NearCopy(name, best[1], round(best[0], 3)))
    return found
