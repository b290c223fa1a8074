"""The last line of every graded test cell at grade time: "this cell reached its end, and the kit was intact".

``pact-course grade`` appends to each test cell, for the run only, a call ``reached(TOKEN)``; ``TOKEN`` is
random per cell and per run and exists nowhere before that cell's source reaches the kernel. The call
prints the token and a digest of the kit's code and of the builtins tests use. The grading process,
outside the kernel, then requires for each test cell (``course.autograde.integrity.run``):

- the token, once: the cell ran to its last line (no error hidden by a replaced ``showtraceback``, a
  custom exception handler, a transformer wrapping the cell in ``try``, or an output cleared by a hook);
- the digest equal to the one it computes itself from the installed kit: no kit function, class,
  ``sys.modules`` entry or builtin was rebound by student code before the test used it.

Limits (said plainly in docs/explanation/grading-integrity.md): this runs in the student's process, so
code that reads the running cell's source (to copy the token) and replaces this function can forge both.
Such code needs constructs the static scan (``course.autograde.integrity.scan``) reports.

Stdlib only and cheap (a few milliseconds): it runs once per test cell.
"""

from __future__ import annotations

import builtins
import hashlib
import sys
import types
from typing import Any

MARKER = "[pact-course reached"
# The builtins graded tests call; a rebinding of any of them changes the digest.
BUILTINS = (
    "abs all any bool callable dict enumerate float frozenset getattr globals hasattr int isinstance issubclass "
    "iter len list map max min next object print range repr round set sorted str sum super tuple type zip "
    "__import__ compile exec eval open AssertionError Exception BaseException TypeError ValueError"
).split()


def _const(value: Any) -> str:
    """A repr that is the same in every process (sets are ordered by hash, which differs per process)."""
    if isinstance(value, types.CodeType):
        return _code(value)
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_const(v) for v in value)) + "}"
    if isinstance(value, tuple):
        return "(" + ",".join(_const(v) for v in value) + ")"
    return repr(value)


def _code(code: types.CodeType) -> str:
    parts = [code.co_code.hex(), ",".join(code.co_names), ",".join(code.co_varnames)]
    parts.extend(_const(c) for c in code.co_consts)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _function(obj: Any) -> str | None:
    wrapped = getattr(obj, "__wrapped__", None)
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if isinstance(obj, property):
        return ",".join(_function(f) or "-" for f in (obj.fget, obj.fset, obj.fdel))
    if isinstance(obj, types.FunctionType):
        return f"{obj.__module__}.{obj.__qualname__}:{_code(obj.__code__)}"
    if wrapped is not None and isinstance(wrapped, types.FunctionType):  # functools.lru_cache and friends
        return f"wrapped:{_function(wrapped)}"
    if isinstance(obj, types.BuiltinFunctionType):
        return f"builtin:{getattr(obj, '__module__', '')}.{obj.__qualname__}"
    return None


def module_digest(module: types.ModuleType) -> str:
    """A hash of a module's file, functions, classes (their methods) and constant data."""
    name = module.__name__
    items = [f"file:{getattr(module, '__file__', '')}", f"name:{name}"]
    for key, obj in sorted(vars(module).items()):
        if key.startswith("__"):
            continue
        text = _function(obj)
        if text is None and isinstance(obj, type) and obj.__module__ == name:
            methods = [f"{k}={_function(v)}" for k, v in sorted(vars(obj).items()) if _function(v)]
            text = f"class {obj.__qualname__}:" + ";".join(methods)
        elif text is None and isinstance(obj, type):
            text = f"type {obj.__module__}.{obj.__qualname__}"
        elif text is None and isinstance(obj, types.ModuleType):
            # Which of the kit's submodules are loaded differs between processes: say only when an attribute
            # is not the module that ``import`` gives (a swapped module).
            if not obj.__name__.startswith("course"):
                text = f"module {obj.__name__}"
            elif sys.modules.get(obj.__name__) is not obj:
                text = f"module {obj.__name__} (not the imported one)"
        elif text is None and isinstance(obj, (str, int, float, bool, tuple, frozenset, type(None))):
            text = _const(obj)
        if text is not None and " at 0x" not in text:
            items.append(f"{key}={text}")
    return hashlib.sha256("\n".join(items).encode()).hexdigest()[:12]


def from_a_cell(hook: Any) -> bool:
    """Whether a hook's code was written in a notebook cell (ipykernel compiles cells to such file names)."""
    hook = getattr(hook, "__func__", hook)
    code = getattr(hook, "__code__", None) or getattr(vars(type(hook)).get("__call__"), "__code__", None)
    name = str(getattr(code, "co_filename", ""))
    return "ipykernel_" in name or name.startswith("<ipython-input")


def cell_hooks() -> int:
    """How many IPython event hooks and input/AST transformers written in the notebook are registered: such
    a hook sees (and can change) a test cell before it runs. 0 outside IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return 0
    hooks = [f for callbacks in shell.events.callbacks.values() for f in callbacks]
    for name in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers"):
        hooks.extend(getattr(shell, name, []))
    return sum(from_a_cell(f) for f in hooks)


def builtins_digest() -> str:
    """A hash of what the tests' builtins are (their type, module and name), and of whether a tracing or
    profiling hook, or an IPython hook written in the notebook, is set."""
    items = [
        # A tracing or profiling hook sees every frame of the test, expected values included.
        f"trace:{sys.gettrace() is None}:{sys.getprofile() is None}:hooks:{cell_hooks()}",
        *(f"sys.{n}:{type(getattr(sys, n, None)).__qualname__}" for n in ("settrace", "setprofile", "modules")),
    ]
    for name in BUILTINS:
        obj = getattr(builtins, name, None)
        items.append(
            f"{name}:{type(obj).__qualname__}:{getattr(obj, '__module__', '')}:{getattr(obj, '__qualname__', '')}"
        )
    return hashlib.sha256("\n".join(items).encode()).hexdigest()[:12]


def kit_modules() -> list[str]:
    """The kit's modules loaded in this process, widgets aside (they hold no grading logic)."""
    return sorted(
        name
        for name in list(sys.modules)
        if (name == "course" or name.startswith("course.")) and not name.startswith("course.widgets")
    )


def digests() -> dict[str, str]:
    """``{"builtins": ..., "course.grading.checks": ..., ...}`` for this process."""
    found = {"builtins": builtins_digest()}
    for name in kit_modules():
        module = sys.modules.get(name)
        found[name] = module_digest(module) if isinstance(module, types.ModuleType) else "not-a-module"
    return found


def reached(token: str) -> None:
    """Print the marker line: the token and this process's digests (called as a test cell's last line)."""
    sums = ",".join(f"{k}={v}" for k, v in digests().items())
    print(f"\n{MARKER} {token} {sums}]", flush=True)
