"""Getting definitions out of a live kernel: the source text that re-creates a student's functions elsewhere.

Why a module of its own: this runs in the parent (the notebook's kernel) and never in the sandbox's child;
it copies only *source text* — functions and classes from notebook cells, import lines, plain constants —
so nothing the student rebound or patched in the kernel reaches the clean interpreter
(:mod:`course.sandbox.runner`). ``ast``, ``inspect`` and ``textwrap`` are imported where used.
"""

from __future__ import annotations

import linecache
import math
import sys
import types
from collections.abc import Iterable, Mapping
from typing import Any

from course.sandbox.wire import NotPlainData, encode


class SourceUnavailable(LookupError):
    """The source text of a notebook object cannot be found (e.g. it was made by ``exec``)."""


class Submitted:
    """A student's function or class as it reaches the grader: its name and the source that re-creates it
    (what :func:`definitions_from` gave in the kernel). Data only: it cannot be called here (graded functions
    run in the sandbox); :func:`definitions_from` and the grading helpers take its source as it is."""

    __slots__ = ("name", "source")

    def __init__(self, name: str, source: str) -> None:
        self.name, self.source = name, source

    def __repr__(self) -> str:
        return f"<submitted {self.name}>"


def source_of(obj: Any) -> str:
    """The source text of a function or class defined in a notebook cell (IPython keeps cells in linecache).

    ``inspect.getsource`` works for functions; for a class defined in a cell Python 3.11 looks for a module
    file that the kernel's ``__main__`` lacks, so the cell is found through its methods, or the most
    recent cell that defines a class of that name.
    """
    import ast
    import inspect
    import textwrap

    try:
        return textwrap.dedent(inspect.getsource(obj))
    except (OSError, TypeError):
        pass
    if isinstance(obj, type):
        files = [
            c.co_filename
            for m in vars(obj).values()
            if (c := getattr(getattr(m, "__func__", m), "__code__", None)) is not None
        ]
        files += [f for f in reversed(list(linecache.cache)) if f not in files]
        for filename in files:
            text = "".join(linecache.getlines(filename))
            if f"class {obj.__name__}" not in text:
                continue
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name == obj.__name__:
                    first = min([d.lineno for d in node.decorator_list] + [node.lineno])
                    return textwrap.dedent("".join(text.splitlines(True)[first - 1 : node.end_lineno]))
    raise SourceUnavailable(
        f"cannot find the source of {getattr(obj, '__name__', obj)!r}: define it with def/class in a "
        "notebook cell and run that cell"
    )


def definitions_from(namespace: Mapping[str, Any], names: Iterable[str]) -> str:
    """Source text that re-creates ``names`` from a notebook namespace, with what they use.

    Follows the global names each definition uses: notebook functions and classes are copied as source
    (dependencies first), modules and imported functions become import lines (the sandbox decides
    whether they are allowed), plain constants become literals, and anything else becomes a placeholder
    whose use explains why it is missing.
    """
    import ast

    out: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done or name not in namespace:
            return
        done.add(name)
        obj = namespace[name]
        if isinstance(obj, Submitted):  # on the grader's side: the kernel already copied it with what it uses
            out.append(obj.source.rstrip() + "\n")
            if obj.name != name:
                out.append(f"{name} = {obj.name}")
        elif isinstance(obj, types.ModuleType):
            out.append(f"import {obj.__name__}" if name == obj.__name__ else f"import {obj.__name__} as {name}")
        elif _defined_here(obj):
            source = source_of(getattr(obj, "__wrapped__", obj))  # with its decorators, e.g. lru_cache
            tree = ast.parse(source)
            for used in sorted(globals_used(tree) - {getattr(obj, "__name__", name)}):
                visit(used)
            for sub in sorted(_submodules_used(tree, namespace)):
                out.append(f"import {sub}")
            out.append(source.rstrip() + "\n")
            if getattr(obj, "__name__", name) not in (name, "<lambda>"):  # `f = lambda ...` names itself
                out.append(f"{name} = {obj.__name__}")
        elif callable(obj) and "." not in getattr(obj, "__qualname__", ".") and getattr(obj, "__module__", None):
            out.append(_import_line(name, obj))
        else:
            try:
                encode(obj)
                out.append(f"{name} = {_literal(obj)}")
            except NotPlainData:
                out.append(f"{name} = __not_copied__({name!r}, {type(obj).__name__!r})")

    for name in names:
        if name not in namespace:
            raise KeyError(f"{name!r} is not defined in the notebook: run the cell that defines it")
        visit(name)
    return "\n".join(out) + "\n"


def _import_line(name: str, obj: Any) -> str:
    """``from M import x``: M as the notebook's own import wrote it (``course.engine.crisis`` re-exports ``View``
    from ``course.engine.view``; only the first may be allowed in the sandbox), else where ``obj`` is defined."""
    import ast

    for filename in reversed(list(linecache.cache)):  # the most recent cells first
        if "ipykernel" not in filename or "import" not in "".join(linecache.getlines(filename)):
            continue
        try:
            tree = ast.parse("".join(linecache.getlines(filename)))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    module = sys.modules.get(node.module)
                    if (alias.asname or alias.name) == name and getattr(module, alias.name, None) is obj:
                        return f"from {node.module} import {alias.name}" + (f" as {name}" if alias.asname else "")
    alias = "" if name == obj.__qualname__ else f" as {name}"
    return f"from {obj.__module__} import {obj.__qualname__}{alias}"


def _defined_here(obj: Any) -> bool:
    """A function or class from a notebook cell (``__main__`` in a kernel), possibly decorated."""
    target = getattr(obj, "__wrapped__", obj)
    return isinstance(target, types.FunctionType | type) and target.__module__ in ("__main__", "__student__")


def globals_used(tree: Any) -> set[str]:
    """Names read but never bound in the definition: roughly, the globals it needs."""
    import ast

    read, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return read - bound


def _submodules_used(tree: Any, namespace: Mapping[str, Any]) -> set[str]:
    """``course.engine.crisis`` for ``course.engine.crisis.View`` when only ``course`` is a notebook global."""
    import ast

    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = namespace.get(node.value.id)
            if isinstance(module, types.ModuleType):
                full = f"{module.__name__}.{node.attr}"
                if isinstance(sys.modules.get(full), types.ModuleType) and node.value.id == module.__name__:
                    found.add(full)
    return found


def _literal(value: Any) -> str:
    """Python source for plain data (``repr`` except for non-finite floats and empty sets)."""
    kind = type(value)
    if kind is float and not math.isfinite(value):
        return f"float({str(value)!r})"
    if kind is list:
        return "[" + ", ".join(map(_literal, value)) + "]"
    if kind is tuple:
        return "(" + "".join(_literal(v) + ", " for v in value) + ")"
    if kind in (set, frozenset):
        return f"{kind.__name__}([" + ", ".join(map(_literal, value)) + "])"
    if kind is dict:
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)
