"""Hand a test cell's inputs to the grader: what runs in the kernel where a hidden test used to run.

Why (issue 14; docs/explanation/grading-integrity.md): nbgrader puts a test cell's hidden tests into the
notebook the kernel runs, where code the student ran earlier can read them (``In``, frames, an audit hook, the
file) or change what they compare. So while ``pact-course grade`` (or ``nbgrader autograde`` with the course's
config) grades, the kernel runs only the visible part of a test cell and then this line, which prints the
values of the names that cell reads from the notebook — plain data as data, notebook functions and classes
as the source that re-creates them — in one output of its own MIME type. The grader
(:mod:`course.autograde.integrity.hidden`) reads that output and runs the whole cell, hidden tests included,
in its own process: no expected value ever reaches the kernel.

A value sent here is the student's answer and nothing more: code that changes what this prints changes only
its own answer, which the grader then checks.
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from typing import Any

MIME = "application/vnd.pact-course.submitted+json"


def collect(namespace: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """``{name: {"value": encoded} | {"source": text, "name": n} | {"missing": why}}`` for the names present."""
    from course.sandbox import source as copying
    from course.sandbox import wire

    out: dict[str, Any] = {}
    for name in names:
        if name not in namespace or name.startswith("__"):
            continue
        obj = namespace[name]
        if isinstance(obj, types.ModuleType):
            continue  # the test imports what it needs itself
        try:
            out[name] = {"value": wire.encode(obj)}
            continue
        except wire.NotPlainData:
            pass
        if isinstance(getattr(obj, "__wrapped__", obj), types.FunctionType | type):
            try:
                out[name] = {"source": copying.definitions_from(namespace, [name]), "name": name}
            except (copying.SourceUnavailable, KeyError, SyntaxError) as err:
                out[name] = {"missing": str(err)}
            continue
        out[name] = {"missing": f"{name!r} is a {type(obj).__name__} object: the grader gets plain values only"}
    return out


def submit(names: Iterable[str]) -> None:
    """Print the values of ``names`` from the notebook for the grader (one output, shown as a short line)."""
    from IPython import get_ipython
    from IPython.display import display

    import __main__

    shell = get_ipython()
    values = collect(shell.user_ns if shell is not None else vars(__main__), names)
    shown = ", ".join(values) or "nothing"
    display({MIME: values, "text/plain": f"handed to the grader: {shown}"}, raw=True)
