"""Run a student's function outside the kernel: a fresh subprocess with time, memory and output limits.

Why: in nbgrader the student's code shares the kernel with the tests, so it can rebind the kit's
helpers, patch builtins or return an object whose ``__eq__`` is always true (DESIGN.md, "Threat
model"). Here only the *source text* of the student's definitions crosses to a new interpreter
(``python -I -S``: no user site, no ``PYTHONPATH``, no current directory on ``sys.path``, nothing
inherited from the kernel); it runs each case under a per-call time budget, ``RLIMIT_AS``/``RLIMIT_CPU``
limits and a cap on printed output, and answers in JSON that holds only exact builtin types (a
``bool`` is not an ``int``, a subclass of ``int`` is refused), so a lying ``__eq__`` cannot survive.

The child gets ``sys.path`` = the standard library, the folder holding this ``course`` package (the
same code as the parent's) and the parent's ``site-packages`` (for ``yaml`` behind ``course.engine.crisis``),
without running ``.pth`` files (``-S`` halves the bare start, 18 ms instead of 38 ms here; one whole
evaluation of a trivial function takes ~60 ms, and each further call ~40 us: ``benchmarks/sandbox.py``).
Student code may import only ``allowed_imports`` (pure standard-library modules by default; add
``"course.engine.crisis"`` where a function needs it; the kit's answer-bearing modules stay out).

This is a clean room, not a security boundary: a determined student can reach the runner from inside
the child. It stops state leaking from the kernel; a container per kernel is the real sandbox.

This module is the public face (import everything from here); the work is done in
:mod:`course.sandbox.process` (starting the child, its ``sys.path``, reading its answers),
:mod:`course.sandbox.child` (what runs inside it), :mod:`course.sandbox.wire` (what crosses the pipe),
:mod:`course.grading.game_driver` (the driver of :func:`play_games`) and :mod:`course.sandbox.source`
(:func:`definitions_from` and :func:`source_of`, which run in the kernel).

>>> r = evaluate("def double(x):\\n    return 2 * x\\n", "double", [(2,), (-3,)])
>>> [c.value for c in r.calls]
[4, -6]
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from course.sandbox.child import STUDENT_FILE  # noqa: F401 - re-exported
from course.sandbox.child import describe_call as _describe_call  # noqa: F401 - course.grading.checks uses it
from course.sandbox.process import AnswerLines, start_child, why_it_stopped
from course.sandbox.source import SourceUnavailable, definitions_from, source_of
from course.sandbox.wire import MAX_ITEMS, NotPlainData, decode, encode  # noqa: F401 - MAX_ITEMS re-exported

__all__ = [
    "DEFAULT_ALLOWED_IMPORTS",
    "CallResult",
    "NotPlainData",
    "SandboxResult",
    "SourceUnavailable",
    "decode",
    "definitions_from",
    "encode",
    "evaluate",
    "play_games",
    "run_calls",
    "source_of",
]

DEFAULT_ALLOWED_IMPORTS = frozenset(
    "math cmath random statistics fractions decimal itertools functools operator collections heapq "
    "bisect re string dataclasses typing enum copy numbers textwrap unicodedata".split()
)
STARTUP_SECONDS = 10.0  # budget for the interpreter to start and define the student's code, busy machine
GRACE_SECONDS = 1.0  # the child stops a slow call itself; the parent kills only if that fails


class CallResult(NamedTuple):
    """One case (or one job of a driver): what came back, or why nothing did.

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
        timeout_per_job=timeout_per_call + GRACE_SECONDS,
        total_timeout=total_timeout,
        memory_mb=memory_mb,
        max_output=max_output,
        allowed_imports=allowed_imports,
    )


def play_games(
    source: str,
    function: str,
    scenario_id: str,
    seeds: Iterable[int],
    doctrines: Sequence[Mapping[str, str] | None] = (None,),
    **limits: Any,
) -> SandboxResult:
    """Play the student's strategy ``function(view) -> action_id`` in one subprocess, one game per job.

    Jobs are every seed x every doctrine assignment (``None`` draws the doctrines from the scenario's
    priors). Each job's ``value`` is ``{"seed", "doctrines", "outcome", "score", "turns"}``; each call of the
    strategy has the per-call budget, each game ``timeout_per_job`` (default 60 s). The strategy may
    import ``course.engine`` and ``course.scenario`` besides the standard modules, not the kit's reference
    strategies.
    """
    jobs = [
        {"scenario": scenario_id, "seed": seed, "doctrines": dict(d) if d else None}
        for d in doctrines
        for seed in seeds
    ]
    limits.setdefault("allowed_imports", DEFAULT_ALLOWED_IMPORTS | {"course.engine", "course.scenario", "course.view"})
    return run_calls(source, function, jobs, driver="course.grading.game_driver:play_game", **limits)


def run_calls(
    source: str,
    function: str,
    jobs: Sequence[Any],
    *,
    driver: str | None = None,
    timeout_per_call: float = 2.0,
    timeout_per_job: float = 60.0,
    total_timeout: float = 600.0,
    memory_mb: int = 512,
    max_output: int = 10_000,
    allowed_imports: Iterable[str] | None = DEFAULT_ALLOWED_IMPORTS,
) -> SandboxResult:
    """The general form: many jobs in one subprocess, start-up paid once.

    Without ``driver`` a job is a tuple of arguments for the student's function. With
    ``driver="module:callable"`` (a trusted, pure module the child imports), each job (plain data) is
    passed as ``callable(student_function, job)``; the student function it receives is guarded (per-call
    time budget, output cap, plain-data return), and the callable returns the job's plain-data result.
    A fault of the student's function ends that job only.
    """
    request = {
        "source": source,
        "function": function,
        "driver": driver,
        "timeout_per_call": timeout_per_call,
        "max_output": max_output,
        "memory_mb": memory_mb,
        "cpu_seconds": total_timeout + 2,
        "allowed_imports": None if allowed_imports is None else sorted(allowed_imports),
    }
    import tempfile

    encoded = [encode(job) for job in jobs]  # the caller's data: a TypeError here is the caller's bug
    results: dict[int, CallResult] = {}
    pending = list(range(len(jobs)))
    end = time.monotonic() + total_timeout
    with tempfile.TemporaryDirectory(prefix="pact-sandbox-") as scratch:
        first = True  # with no cases, the definitions are still run once, so their errors are reported
        while (pending or first) and time.monotonic() < end:
            first = False
            setup = _run_child(request, encoded, jobs, pending, results, scratch, timeout_per_job, end)
            if setup:
                for i in pending:
                    results[i] = CallResult(_tuple_of(jobs[i]), "error", message=setup)
                return SandboxResult(function, tuple(results[i] for i in range(len(jobs))), setup)
            pending = [i for i in pending if i not in results]
    for i in pending:
        results[i] = CallResult(
            _tuple_of(jobs[i]),
            "skipped",
            message=f"not run: the total time budget of {total_timeout} s ran out",
        )
    return SandboxResult(function, tuple(results[i] for i in range(len(jobs))))


def _tuple_of(job: Any) -> tuple:
    return job if isinstance(job, tuple) else (job,)


def _run_child(request, encoded, jobs, pending, results, scratch, timeout_per_job, end) -> str:
    """Run the pending jobs in one child until it finishes, hangs or dies; return a setup error or ''."""
    proc, err_path = start_child(scratch)
    reader = AnswerLines(proc)
    try:
        try:
            proc.stdin.write(json.dumps({**request, "jobs": [encoded[i] for i in pending]}).encode())
            proc.stdin.close()
        except BrokenPipeError:
            pass
        first = reader.next(min(end, time.monotonic() + STARTUP_SECONDS + request["timeout_per_call"]))
        if first is None or "setup" in first:
            if first is None and not reader.eof and time.monotonic() >= end:
                return ""  # the total budget ran out first: what is pending is reported as skipped
            if first is None and not reader.eof:
                return f"defining your code took longer than {STARTUP_SECONDS + request['timeout_per_call']} s"
            return first["setup"] if first else why_it_stopped(proc, err_path, "while starting")
        for i in pending:
            started = time.monotonic()
            line = reader.next(min(end, started + timeout_per_job))
            if line is not None:
                results[i] = CallResult(
                    _tuple_of(jobs[i]),
                    line["status"],
                    decode(line["value"]) if line["status"] == "ok" else None,
                    line.get("message", ""),
                    line.get("output", ""),
                    line.get("seconds", 0.0),
                )
                continue
            if reader.eof:
                why = why_it_stopped(proc, err_path, f"on one case: {_call(request, jobs[i])}")
                results[i] = CallResult(_tuple_of(jobs[i]), "crashed", message=why, seconds=time.monotonic() - started)
            elif time.monotonic() < end:
                if request["driver"] is None:
                    slow = f"your function took longer than {request['timeout_per_call']} s on one case"
                else:
                    slow = f"this job took longer than {timeout_per_job} s"
                results[i] = CallResult(
                    _tuple_of(jobs[i]),
                    "timeout",
                    message=f"{slow}: {_call(request, jobs[i])}",
                    seconds=time.monotonic() - started,
                )
            return ""
        return ""
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        reader.sel.close()
        proc.stdout.close()


def _call(request: dict, job: Any) -> str:
    if request["driver"] is None and isinstance(job, tuple):
        text = f"{request['function']}({', '.join(map(repr, job))})"
    else:
        text = repr(job)
    return text if len(text) <= 120 else text[:117] + "..."
