"""Run a student's function outside the kernel: a fresh subprocess with time, memory and output limits.

Why: in nbgrader the student's code shares the kernel with the tests, so it can rebind the kit's
helpers, patch builtins or return an object whose ``__eq__`` is always true (DESIGN.md, "Threat
model"). Here only the *source text* of the student's definitions crosses to a new interpreter
(``python -I -S``: no user site, no ``PYTHONPATH``, no current directory on ``sys.path``, nothing
inherited from the kernel); it runs each case under a per-call time budget, ``RLIMIT_AS``/``RLIMIT_CPU``
limits and a cap on printed output, and answers in JSON that holds only exact builtin types (a
``bool`` is not an ``int``, a subclass of ``int`` is refused), so a lying ``__eq__`` cannot survive.

The child gets ``sys.path`` = the standard library, the folder holding this ``course`` package (the
same code as the parent's) and the parent's ``site-packages``, without running ``.pth`` files (``-S`` halves
the bare start, 18 ms instead of 38 ms here; one whole evaluation of a trivial function takes ~60 ms, and
each further call ~40 us: ``benchmarks/sandbox.py``).
Student code may import only ``allowed_imports`` (pure standard-library modules by default; add
``"course.engine.crisis"`` where a function needs it; the kit's answer-bearing modules stay out).

This is a clean room, not a security boundary: a determined student can reach the child's own loop from
inside it (frames, tracebacks). So the child is given nothing worth reaching: the student's source, the
case's arguments or a game's view as data, never an expected value or an engine. Strategies are played by
:mod:`course.grading.strategy`, which keeps the game on the trusted side and sends one view at a time.

This module is the public face (import everything from here); the work is done in
:mod:`course.sandbox.process` (starting the child, its ``sys.path``, reading its answers),
:mod:`course.sandbox.session` (the protocol, one job at a time), :mod:`course.sandbox.child` (what runs
inside it), :mod:`course.sandbox.wire` (what crosses the pipe), :mod:`course.sandbox.gameview` (a game's
view as data) and :mod:`course.sandbox.source` (:func:`definitions_from` and :func:`source_of`, which run
in the kernel).

>>> r = evaluate("def double(x):\\n    return 2 * x\\n", "double", [(2,), (-3,)])
>>> [c.value for c in r.calls]
[4, -6]
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from course.sandbox.child import (
    STUDENT_FILE,  # noqa: F401 - re-exported
    describe_call,
)
from course.sandbox.child import describe_call as _describe_call  # noqa: F401 - course.grading.checks uses it
from course.sandbox.process import input_files
from course.sandbox.session import GRACE_SECONDS, Session, header
from course.sandbox.source import SourceUnavailable, Submitted, definitions_from, source_of
from course.sandbox.wire import MAX_ITEMS, NotPlainData, decode, encode  # noqa: F401 - MAX_ITEMS re-exported

__all__ = [
    "DEFAULT_ALLOWED_IMPORTS",
    "CallResult",
    "NotPlainData",
    "SandboxResult",
    "SourceUnavailable",
    "Submitted",
    "decode",
    "definitions_from",
    "encode",
    "evaluate",
    "run_calls",
    "source_of",
]

DEFAULT_ALLOWED_IMPORTS = frozenset(
    "math cmath random statistics fractions decimal itertools functools operator collections heapq "
    "bisect re string dataclasses typing enum copy numbers textwrap unicodedata".split()
)


class CallResult(NamedTuple):
    """One case (or one game of a strategy): what came back, or why nothing did.

    ``status`` is ``ok``, ``error`` (raised), ``timeout``, ``memory``, ``output`` (printed too much),
    ``bad-return`` (not plain data), ``crashed`` (the process ended) or ``skipped`` (total budget spent).
    ``value`` holds exact builtin types only; ``message`` is written for the student.
    """

    args: tuple
    status: str
    value: Any = None
    message: str = ""
    output: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class SandboxResult(NamedTuple):
    """Every case in order; ``setup_error`` when the definitions themselves failed (then no case ran)."""

    function: str
    calls: tuple[CallResult, ...]
    setup_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.setup_error and all(c.ok for c in self.calls)

    @property
    def values(self) -> list[Any]:
        return [c.value for c in self.calls]

    def first_failure(self) -> CallResult | None:
        return next((c for c in self.calls if not c.ok), None)


def evaluate(
    source: str,
    function: str,
    cases: Sequence[tuple],
    *,
    timeout_per_call: float = 2.0,
    total_timeout: float = 60.0,
    memory_mb: int = 512,
    max_output: int = 10_000,
    allowed_imports: Iterable[str] | None = DEFAULT_ALLOWED_IMPORTS,
) -> SandboxResult:
    """Call ``function(*case)`` for each case in one fresh subprocess that knows only ``source``.

    A case that times out or kills the process is reported and the rest run in a new process, so one
    infinite loop costs one case, not the whole question (until ``total_timeout`` runs out: the cases
    left are ``skipped``). ``allowed_imports=None`` lifts the import restriction.
    """
    for case in cases:
        if not isinstance(case, tuple):
            raise TypeError(f"each case is a tuple of positional arguments, got {case!r}")
    return run_calls(
        source,
        function,
        list(cases),
        timeout_per_call=timeout_per_call,
        total_timeout=total_timeout,
        memory_mb=memory_mb,
        max_output=max_output,
        allowed_imports=allowed_imports,
    )


def run_calls(
    source: str,
    function: str,
    jobs: Sequence[tuple],
    *,
    timeout_per_call: float = 2.0,
    total_timeout: float = 600.0,
    memory_mb: int = 512,
    max_output: int = 10_000,
    allowed_imports: Iterable[str] | None = DEFAULT_ALLOWED_IMPORTS,
) -> SandboxResult:
    """The general form: many calls (each a tuple of arguments) in one subprocess, start-up paid once.

    Every job line is written at once (from a thread) and the answers are read in order, each within the
    per-call budget and a grace second; a call that hangs or kills the process costs that call, and the rest
    run in a fresh child. Games, one turn at a time, use the same child and protocol:
    :mod:`course.grading.strategy`.
    """
    import tempfile
    import threading

    lines = [{"args": job} for job in jobs]
    for line in lines:
        encode(line["args"])  # the caller's data: a TypeError here is the caller's bug
    head = header(
        source,
        function,
        timeout_per_call=timeout_per_call,
        total_timeout=total_timeout,
        memory_mb=memory_mb,
        max_output=max_output,
        allowed_imports=allowed_imports,
    )
    results: list[CallResult] = []
    end = time.monotonic() + total_timeout
    with tempfile.TemporaryDirectory(prefix="pact-sandbox-") as scratch:
        session = Session(head, scratch, input_files(list(jobs)))
        try:
            first = True  # with no cases, the definitions are still run once, so their errors are reported
            while (len(results) < len(jobs) or first) and time.monotonic() < end:
                first = False
                setup = session.open(end)
                if setup:
                    results += [CallResult(_tuple_of(j), "error", message=setup) for j in jobs[len(results) :]]
                    return SandboxResult(function, tuple(results), setup)
                if setup == "":
                    break  # the total budget ran out while it started: what is left is skipped
                todo = lines[len(results) :]
                feeder = threading.Thread(target=lambda t=todo, s=session: [s.send(x) for x in t], daemon=True)
                feeder.start()
                while len(results) < len(jobs) and session.alive:
                    job = jobs[len(results)]
                    shown = _short(describe_call(function, job))
                    got = session.answer(time.monotonic() + timeout_per_call + GRACE_SECONDS, shown, end)
                    if got.status == "skipped":
                        break
                    results.append(CallResult(_tuple_of(job), *got))
                session.close()
                feeder.join()
        finally:
            session.close()
    results += [
        CallResult(_tuple_of(j), "skipped", message=f"not run: the total time budget of {total_timeout} s ran out")
        for j in jobs[len(results) :]
    ]
    return SandboxResult(function, tuple(results))


def _tuple_of(job: Any) -> tuple:
    return job if isinstance(job, tuple) else (job,)


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."
