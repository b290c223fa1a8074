"""The builtins a student's code runs with in the sandbox's child: no ``open``, ``input`` or ``exit``, and
imports only from an allowed list.

Why a module of its own: it is the child's one policy (what student code may reach), kept apart from the
child's mechanics (the loop, the limits, the answers) so it can be read on its own. Stdlib only and cheap:
the child imports it at every start.
"""

from __future__ import annotations

import builtins
import types
from collections.abc import Callable
from typing import Any

_REFUSED = ("open", "input", "breakpoint", "help", "exit", "quit")


class _NotCopied:
    """Stands for a notebook global that could not be copied; any use says why, instead of a NameError."""

    def __init__(self, name: str, kind: str) -> None:
        self._why = (
            f"{name!r} is a {kind} object in your notebook; graded functions get only your functions, "
            "classes, imports and plain values (numbers, strings, lists, tuples, dicts): build it inside "
            "your function"
        )

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise NameError(object.__getattribute__(self, "_why"))

    __call__ = __getitem__ = __iter__ = __len__ = __bool__ = __eq__ = __lt__ = __add__ = __contains__ = _fail

    def __getattr__(self, name: str) -> Any:
        self._fail()


# Where a strategy's notebook imported the engine's ``View`` for a type hint, the child gives it the sandbox's
# read-only view instead; nothing else of the engine is there (the game is played on the grader's side).
VIEW_MODULES = ("course.engine", "course.engine.crisis", "course.engine.view")


class _ViewOnly(types.ModuleType):
    """Stands for an engine module in the child: ``View`` (and ``Seen``, the type of ``view.history`` items)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise ImportError(
            f"{self.__name__}.{name} is not available to a strategy: the game is played on the grader's side, "
            "and your function gets only the view (read the rules from view.scenario)"
        )


def _view_only(name: str) -> types.ModuleType:
    from course.sandbox.gameview import View

    module = _ViewOnly(name)
    module.View = View
    return module


def guarded_import(allowed: list[str]) -> Callable:
    real = builtins.__import__
    stand_ins: dict[str, types.ModuleType] = {}

    def ok(name: str) -> bool:
        return any(name == a or name.startswith(a + ".") for a in allowed)

    def guarded(name, globals=None, locals=None, fromlist=(), level=0):
        if level:
            raise ImportError("relative imports are not available to graded functions")
        if name in VIEW_MODULES and not ok(name):
            if name not in stand_ins:
                stand_ins[name] = _view_only(name)
            if fromlist:
                return stand_ins[name]
            if "course" not in stand_ins:  # `import course.engine` binds `course`
                stand_ins["course"] = types.ModuleType("course")
            top = stand_ins["course"]
            top.engine = stand_ins.setdefault("course.engine", _view_only("course.engine"))
            top.engine.crisis = stand_ins.setdefault("course.engine.crisis", _view_only("course.engine.crisis"))
            top.engine.view = stand_ins.setdefault("course.engine.view", _view_only("course.engine.view"))
            return top
        if not ok(name) and not (fromlist and all(ok(f"{name}.{f}") for f in fromlist)):
            raise ImportError(f"import of {name!r} is not available here (allowed: {', '.join(allowed)})")
        return real(name, globals, locals, fromlist, level)

    return guarded


def student_builtins(allowed: list[str] | None) -> dict:
    table = dict(vars(builtins))
    for name in _REFUSED:

        def refuse(*args: Any, _name: str = name, **kwargs: Any) -> Any:
            raise PermissionError(f"{_name}() is not available to graded functions")

        table[name] = refuse
    if allowed is not None:
        table["__import__"] = guarded_import(allowed)
    table["__not_copied__"] = _NotCopied
    return table
