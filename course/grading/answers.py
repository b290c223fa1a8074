"""Test-cell plumbing, once: is the answer there, which cells set it, do they use the kit's answers, and a
function's cases with a hint.

Why (issue 12): visible test cells carried 20-50 lines of this (an AST walk over ``In`` in 01, a copy of
``_answer_sources`` in three cells of 02, ``_check`` helpers in 03 and 05), which students read as noise and
which drifted between copies. A test cell now says what it checks in a few lines.

What runs where. Every check here whose verdict matters sits in a test cell with hidden tests, and such a
cell runs twice when graded (:mod:`course.autograde.integrity.hidden`): in the kernel, where a student could
rewrite ``In`` or rebind these functions (the kit's digest, checked at the end of every test cell, sees a
rebinding); then whole, on the grader's side, on the handed-out answer, with ``In`` = the notebook's own cells
and this module as installed. There the kernel's objects are absent, so the kit-use check follows each name an
answer cell uses to the import that binds it in any cell of ``In``, not only to the kernel's objects.

>>> ns = {"In": ["", "from course import games", "x = 1", "p = games.DeterrenceGame(1, 2, 3).threshold()"]}
>>> cells_setting(ns, "p")[0].splitlines()[0]
'from course import games'
"""

from __future__ import annotations

import ast
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from course.grading.checks import check_function
from course.grading.errors import GradingError, KitUsed, WrongValue
from course.grading.kit_use import check_no_kit_use

__all__ = ["MissingAnswer", "cells_setting", "check_cases", "check_own_work", "check_raises", "require", "run_function"]


class MissingAnswer(GradingError):
    """The name a test checks is not set in the notebook (its answer cell was not run, or not answered)."""

    def _render_traceback_(self) -> list[str]:
        """What IPython shows: the message alone (a traceback into the kit would only hide it). The output is
        still an error, so nbgrader scores the cell as failed."""
        return [f"{type(self).__name__}: {self}"]


def require(namespace: Mapping[str, Any], name: str, hint: str = "") -> Any:
    """``namespace[name]``, or one clear :class:`MissingAnswer` (not a ``NameError`` per test cell).

    ``hint`` says what to do; a test cell that depends on an earlier one says so in it.
    """
    if name not in namespace:
        raise MissingAnswer(f"{name} is not set{': ' + hint if hint else ''}") from None
    return namespace[name]


def _parse(text: str) -> ast.Module | None:
    lines = [line for line in str(text).splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


# Methods that change a container in place: ``my_tags.update(...)`` sets my_tags; ``p_star.numerator`` does not.
_CHANGING = frozenset(
    "update setdefault pop popitem clear append extend insert remove sort reverse add discard __setitem__".split()
)


def _sets(tree: ast.AST, name: str) -> bool:
    """Whether the code binds ``name`` or changes it in place (``name[k] = ...``, ``name.update(...)``); a test
    that only reads it (``p_star.numerator``, ``my_tags.get(k)``) does not."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == name:
            return True
        if isinstance(node, ast.Subscript | ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == name and not isinstance(node.ctx, ast.Load):
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            base = node.func.value
            if isinstance(base, ast.Name) and base.id == name and node.func.attr in _CHANGING:
                return True
    return False


def _imports_of(cells: Iterable[str]) -> dict[str, str]:
    """Local name -> the import statement (one alias) that binds it, over all ``cells``; the last one wins."""
    found: dict[str, str] = {}
    for text in cells:
        tree = _parse(text)
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    found[local] = ast.unparse(ast.Import(names=[alias]))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    found[alias.asname or alias.name] = ast.unparse(
                        ast.ImportFrom(module=node.module, names=[alias], level=0)
                    )
    return found


def _kit_object_line(name: str, obj: Any) -> str | None:
    """``from course.x import name`` for a kernel object of the kit (built in another cell), else None."""
    module = obj.__name__ if isinstance(obj, types.ModuleType) else getattr(obj, "__module__", None)
    if not isinstance(module, str) or not module.startswith("course."):
        return None
    return f"import {module}" if isinstance(obj, types.ModuleType) else f"from {module} import {name}"


def cells_setting(namespace: Mapping[str, Any], name: str) -> list[str]:
    """Each cell of ``In`` that sets ``name``, preceded by what the kit names it uses stand for: the import
    that binds each such name in any cell of ``In``, and (in a kernel) the module of each kit object it reads."""
    history = [str(c) for c in namespace.get("In", []) or []]
    imports = _imports_of(history)
    found = []
    for text in history:
        tree = _parse(text)
        if tree is None or not _sets(tree, name):
            continue
        used = dict.fromkeys(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))
        lines = [imports[n] for n in used if n in imports]
        lines += [line for n in used if n not in imports and (line := _kit_object_line(n, namespace.get(n)))]
        found.append("\n".join([*dict.fromkeys(lines), text]))
    return found


def check_own_work(
    namespace: Mapping[str, Any], name: str, *, assume: Sequence[str] = (), what: str | None = None
) -> None:
    """Raise :class:`KitUsed` if a cell that sets ``name`` uses the kit's answer-bearing code.

    ``assume``: kit modules the notebook gives every student (``"course.reading"`` in 01), read as imported in
    the answer cell whatever it imports itself, so that an attribute such as ``.claims`` on any object counts.
    """
    __tracebackhide__ = True
    prelude = [f"from {m.rsplit('.', 1)[0]} import {m.rsplit('.', 1)[1]}" for m in assume]
    for text in cells_setting(namespace, name):
        check_no_kit_use("\n".join([*prelude, text]), what=what or f"the cell that sets {name}")


def check_cases(
    namespace: Mapping[str, Any],
    name: str,
    cases: Sequence[tuple[tuple, Any]],
    hint: str = "",
    *,
    hidden: bool = False,
    **options: Any,
) -> Any:
    """:func:`course.grading.checks.check_function` on ``cases``, its failure message preceded by ``hint``.

    ``hidden``: the arguments are not shown (cases of a hidden test). A kit-use failure keeps its own message.
    ``options`` go to ``check_function`` (``tol``, ``allowed_imports``, ``timeout_per_call``...).
    """
    __tracebackhide__ = True
    try:
        return check_function(namespace, name, cases, show_args=not hidden, **options)
    except KitUsed:
        raise
    except GradingError as err:
        if not hint:
            raise
        raise type(err)(f"{hint}\n{err}") from None


def check_raises(
    namespace: Mapping[str, Any], name: str, bad_calls: Sequence[tuple], error: str = "ValueError", **limits: Any
) -> None:
    """Each call of the student's ``name`` on ``bad_calls`` must raise ``error`` (run outside the kernel)."""
    __tracebackhide__ = True
    from course.grading.checks import student_source
    from course.sandbox import runner

    name, source = student_source(namespace, name)
    result = runner.evaluate(source, name, list(bad_calls), **limits)
    if result.setup_error:
        raise GradingError(result.setup_error)
    failing = [c for c in result.calls if not (c.status == "error" and error in c.message)]
    if failing:
        raise WrongValue(
            f"{len(failing)} of {len(bad_calls)} invalid calls did not raise {error}: read the rules on the "
            "arguments again"
        )


def run_function(namespace: Mapping[str, Any], name: str, args: tuple, shown_as: str, **limits: Any) -> Any:
    """What the student's ``name`` returns on ``args`` (run outside the kernel), for a test that checks the form
    of an answer it cannot know; a failure names the call ``shown_as`` (``summarise_logs(MY_LOGS)``), not its
    arguments."""
    __tracebackhide__ = True
    from course.grading.checks import student_source
    from course.sandbox import runner

    name, source = student_source(namespace, name)
    result = runner.evaluate(source, name, [args], **limits)
    if not result.ok:
        failed = result.first_failure()
        raise GradingError(result.setup_error or failed.message.replace(runner._describe_call(name, args), shown_as))
    return result.values[0]
