"""Hidden tests run by the grader, never by the kernel: expected values stay on the trusted side.

Used by ``course.autograde.worker.TracingExecute`` (the grading process: ``pact-course grade``'s workers, and
plain ``nbgrader autograde`` with the course's ``nbgrader_config.py``). nbgrader restores each test cell from
the gradebook, hidden tests included, and would send it whole to the student's kernel, where code the student
ran earlier can read the expected values (``In``, frames, an audit hook on ``compile``, the notebook file) or
change what they are compared with. Instead, for a test cell with hidden tests:

1. the kernel gets the cell's visible part only, followed by one line (:func:`kernel_source`) that hands out
   the values of the notebook names the whole cell reads (:mod:`course.grading.submit`: plain data as data,
   the student's functions and classes as source);
2. the kernel's visible checks run as the student saw them (the same messages); then :func:`take_submitted`
   removes the handed-out values from the outputs;
3. :func:`run_trusted` runs the whole cell, visible and hidden parts, in this process, on those values: plain
   data is compared here, functions and strategies run in the sandbox as always (:mod:`course.sandbox`,
   :mod:`course.grading.strategy`), ``In`` is the notebook's own cells (not the kernel's history, which the
   student can rewrite). A failure becomes the cell's error output, so nbgrader scores the cell 0, and the
   message is the one the hidden test raised (it names no expected value: the kit's checks never do). Hidden
   cases drawn from the instructor's seed (:mod:`course.grading.seed`) use the seed of the course this process
   grades (its working directory), which the kernel never reads.

The process doing this holds the hidden tests and is made non-dumpable
(:func:`course.autograde.undumpable.make_undumpable`).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from course.grading import seed
from course.grading.submit import MIME
from course.notebooks import strip_hidden_tests
from course.sandbox.source import Submitted

_BUILTINS = frozenset(dir(builtins)) | {"get_ipython", "In", "Out", "display"}


def has_hidden(source: str) -> bool:
    return strip_hidden_tests(source)[1]


def visible_part(source: str) -> str:
    """The cell as the student received it: hidden-test regions removed."""
    return strip_hidden_tests(source)[0]


def names_read(source: str) -> list[str]:
    """Notebook names the cell reads: loaded and never bound in it (builtins aside), and identifiers passed as
    strings in its visible part (``check_function(globals(), "best_responses", ...)``; the hidden part's strings
    may be expected values, and the kernel sees this list), in order of first use."""
    try:
        tree = ast.parse(source)
        strings = {
            n.value
            for n in ast.walk(ast.parse(visible_part(source)))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
    except SyntaxError:
        return []
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    found: list[str] = []
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            name = node.id
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in strings:
            name = node.value if node.value.isidentifier() else None
        if name and name not in bound and name not in _BUILTINS and not name.startswith("__") and name not in found:
            found.append(name)
    return found


def kernel_source(source: str) -> str:
    """What the kernel runs for a cell with hidden tests: its visible part, then the hand-out line."""
    visible = visible_part(source).rstrip("\n")
    names = names_read(source)
    return f"{visible}\n__import__('course.grading.submit', fromlist=['submit']).submit({names!r})\n"


def take_submitted(cell: Any) -> dict[str, Any] | None:
    """The values the kernel handed out, removed from the cell's outputs (``None`` if there were none)."""
    found = None
    kept = []
    for output in cell.get("outputs", []):
        data = output.get("data", {}) if output.get("output_type") in ("display_data", "execute_result") else {}
        if MIME in data:
            found = data[MIME] if isinstance(data[MIME], dict) else None
            continue
        kept.append(output)
    cell["outputs"] = kept
    return found


def failed_in_kernel(cell: Any) -> bool:
    return any(o.get("output_type") == "error" for o in cell.get("outputs", []))


class _Remote(Submitted):
    """A student's function as the grader's run of a test cell sees it: calling it runs it in the sandbox (a
    fresh process, the import list lifted, as the kernel would have), with plain-data arguments and answer;
    nothing of the student's runs in this process. Tests written for plain nbgrader (``assert double(-3) ==
    -6``) work unchanged; the kit's own checks take its source, as :class:`Submitted`."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from course.sandbox import runner

        if kwargs:
            raise TypeError(f"{self.name}: the grader calls graded functions with positional arguments only")
        result = runner.evaluate(self.source, self.name, [args], allowed_imports=None, timeout_per_call=30.0)
        call = result.calls[0] if result.calls else None
        if result.setup_error or call is None or not call.ok:
            raise AssertionError(result.setup_error or (call.message if call else "no answer"))
        return call.value


class _Shell:
    """What ``get_ipython()`` gives a test cell run here: ``user_ns`` is the cell's namespace."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.user_ns = namespace


def run_trusted(
    source: str, submitted: Mapping[str, Any], history: Iterable[str], folder: str | Path | None = None
) -> tuple[str, str] | None:
    """Run the whole test cell here on the handed-out values; ``None`` if it passes, else ``(ename, evalue)``.

    ``history``: the notebook's code cells before this one (the cell's ``In``). ``folder``: the kernel's
    working directory (decision logs and data beside the notebook), the cell's working directory here too.
    """
    from course.sandbox import wire

    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    for name, item in submitted.items():
        if not isinstance(item, dict):
            continue
        if "value" in item:
            namespace[name] = wire.decode(item["value"])
        elif "source" in item:
            namespace[name] = _Remote(str(item.get("name", name)), str(item["source"]))
    namespace["In"] = ["", *history]
    namespace["get_ipython"] = lambda: _Shell(namespace)
    here = os.getcwd()
    try:
        course = seed.course_at(Path(here))  # the grader runs in the course folder; the cell, in a scratch one
        if folder is not None:
            os.chdir(folder)
        with (
            seed.grading_course(course),
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            exec(compile(source, "<test cell>", "exec"), namespace)
    except KeyboardInterrupt:
        raise
    except BaseException as err:  # noqa: BLE001 - any failure of the test is the cell's failure
        try:
            message = str(err)
        except BaseException:  # noqa: BLE001
            message = ""
        return type(err).__name__, message
    finally:
        os.chdir(here)
    return None


def error_output(ename: str, evalue: str) -> dict[str, Any]:
    """An nbformat error output (nbgrader scores a cell with one as failed)."""
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}
