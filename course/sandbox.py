"""Run a student's function outside the kernel: a fresh subprocess with time, memory and output limits.

Why: in nbgrader the student's code shares the kernel with the tests, so it can rebind the kit's
helpers, patch builtins or return an object whose ``__eq__`` is always true (DESIGN.md, "Threat
model"). Here only the *source text* of the student's definitions crosses to a new interpreter
(``python -I -S``: no user site, no ``PYTHONPATH``, no current directory on ``sys.path``, nothing
inherited from the kernel); it runs each case under a per-call time budget, ``RLIMIT_AS``/``RLIMIT_CPU``
limits and a cap on printed output, and answers in JSON that holds only exact builtin types (a
``bool`` is not an ``int``, a subclass of ``int`` is refused), so a lying ``__eq__`` cannot survive.

The child gets ``sys.path`` = the standard library, the folder holding this ``course`` package (the
same code as the parent's) and the parent's ``site-packages`` (for ``yaml`` behind ``course.engine``),
without running ``.pth`` files (``-S`` halves the bare start, 18 ms instead of 38 ms here; one whole
evaluation of a trivial function takes ~60 ms, and each further call ~40 us: ``benchmarks/sandbox.py``).
Student code may import only ``allowed_imports`` (pure standard-library modules by default; add
``"course.engine"`` where a function needs it; the kit's answer-bearing modules stay out).

This is a clean room, not a security boundary: a determined student can reach the runner from inside
the child. It stops state leaking from the kernel; a container per kernel is the real sandbox.

>>> r = evaluate("def double(x):\\n    return 2 * x\\n", "double", [(2,), (-3,)])
>>> [c.value for c in r.calls]
[4, -6]
"""

from __future__ import annotations

import builtins
import functools
import io
import json
import linecache
import math
import os
import sys
import time
import traceback
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

# ast, inspect, dataclasses and pathlib are imported where used: the child imports this module on every
# start, and those four cost it ~50 ms (python -X importtime).

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

_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_BOOT = "import sys; sys.path += {paths!r}; from course.sandbox import _child_main; _child_main()"


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
    import ``course.engine``, ``course.view`` and ``course.scenario`` besides the standard modules, not the kit's
    reference strategies.
    """
    jobs = [
        {"scenario": scenario_id, "seed": seed, "doctrines": dict(d) if d else None}
        for d in doctrines
        for seed in seeds
    ]
    limits.setdefault("allowed_imports", DEFAULT_ALLOWED_IMPORTS | {"course.engine", "course.scenario", "course.view"})
    return run_calls(source, function, jobs, driver="course.sandbox:_play_game", **limits)


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
    import subprocess
    import sysconfig

    paths = [_PACKAGE_PARENT, sysconfig.get_paths()["purelib"]]
    err_path = os.path.join(scratch, "stderr.txt")
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _BOOT.format(paths=paths)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            cwd=scratch,
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
        )
    reader = _Lines(proc)
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
            return first["setup"] if first else _died(proc, err_path, "while starting")
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
                why = _died(proc, err_path, f"on one case: {_call(request, jobs[i])}")
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


def _died(proc: Any, err_path: str, when: str) -> str:
    code = proc.wait()
    with open(err_path, "rb") as err:
        tail = err.read()[-600:].decode("utf-8", "replace").strip()
    signals = {-9: "killed", -24: "CPU time limit reached", -25: "wrote too much output", -11: "crashed"}
    if code >= 0 and not tail:
        return f"your code ended the process {when} (exit status {code})"
    why = signals.get(code, f"exit status {code}")
    return f"the process running your code stopped {when} ({why})" + (f":\n{tail}" if tail else "")


class _Lines:
    """JSON lines from the child's stdout with deadlines (a hung child must not hang the grader)."""

    LIMIT = 16 * 2**20

    def __init__(self, proc: Any) -> None:
        import selectors

        self.fd = proc.stdout.fileno()
        self.sel = selectors.DefaultSelector()  # closed with the process's pipe
        self.sel.register(self.fd, selectors.EVENT_READ)
        self.buf = b""
        self.eof = False

    def next(self, deadline: float) -> dict | None:
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if self.eof or left <= 0 or not self.sel.select(left):
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk or len(self.buf) > self.LIMIT:
                self.eof = True
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            return {"status": "crashed", "message": "the sandbox sent an unreadable answer"}


# --- plain data across the pipe ------------------------------------------------------------------------
# JSON arrays are lists; other containers are one-key objects, so a tuple stays a tuple and a dict may
# have non-string keys. Only exact builtin types pass: a subclass could carry a lying __eq__.
_SCALARS = (int, float, str, bool, type(None))
_TAGS = {tuple: "t", set: "s", frozenset: "f"}
_UNTAG = {"t": tuple, "s": set, "f": frozenset}
MAX_ITEMS = 100_000


class NotPlainData(TypeError):
    """A value the grader cannot check: not built from numbers, strings, None, lists, tuples, sets, dicts."""


def encode(value: Any, _count: list[int] | None = None, _depth: int = 0) -> Any:
    """Plain data -> JSON-able, exact types kept (``fractions.Fraction`` too); else :class:`NotPlainData`."""
    count = _count if _count is not None else [0]
    count[0] += 1
    if count[0] > MAX_ITEMS or _depth > 50:
        raise NotPlainData(f"more than {MAX_ITEMS} items or nested more than 50 deep")
    kind = type(value)
    if kind in _SCALARS:
        if kind is int and value.bit_length() > 13_000:  # ~4000 digits: JSON's str() limit is 4300
            raise NotPlainData("an int with more than 3900 digits")
        return value
    if kind is list:
        return [encode(v, count, _depth + 1) for v in value]
    if kind in _TAGS:
        return {_TAGS[kind]: [encode(v, count, _depth + 1) for v in value]}
    if kind is dict:
        return {"d": [[encode(k, count, _depth + 1), encode(v, count, _depth + 1)] for k, v in value.items()]}
    if kind.__name__ == "Fraction" and kind is getattr(sys.modules.get("fractions"), "Fraction", None):
        return {"q": [value.numerator, value.denominator]}  # the kit's games use exact arithmetic
    article = "an" if kind.__name__[:1].lower() in "aeiou" else "a"
    raise NotPlainData(f"{article} {kind.__name__} object")


def decode(data: Any) -> Any:
    """The inverse of :func:`encode`."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if isinstance(data, dict):
        ((tag, items),) = data.items()
        if tag == "d":
            return {decode(k): decode(v) for k, v in items}
        if tag == "q":
            from fractions import Fraction

            return Fraction(*items)
        return _UNTAG[tag](decode(v) for v in items)
    return data


# --- the child: runs in `python -I -S`, never in the parent ------------------------------------------
STUDENT_FILE = "<your code>"
_REFUSED = ("open", "input", "breakpoint", "help", "exit", "quit")


class _TimeUp(BaseException):
    """Raised by the per-call timer; a BaseException so a student's ``except Exception`` lets it through."""


class _OutputFlood(BaseException):
    """Raised when the student's function prints more than allowed."""


class _Fault(BaseException):
    """The student's function failed; ends the current case or job. Carries status and message."""

    def __init__(self, status: str, message: str, output: str = "", seconds: float = 0.0) -> None:
        super().__init__(message)
        self.status, self.message, self.output, self.seconds = status, message, output, seconds


class _Capture(io.TextIOBase):
    """What the student prints, kept up to a limit; beyond it the print raises :class:`_OutputFlood`."""

    def __init__(self, limit: int) -> None:
        self.limit, self.parts, self.size = limit, [], 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.size += len(text)
        if self.size > self.limit:
            raise _OutputFlood
        self.parts.append(str(text))
        return len(text)

    def text(self) -> str:
        joined = "".join(self.parts)
        return joined if len(joined) <= 2000 else joined[:2000] + "\n[... more output not shown]"


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


def _guarded_import(allowed: list[str]) -> Callable:
    real = builtins.__import__

    def ok(name: str) -> bool:
        return any(name == a or name.startswith(a + ".") for a in allowed)

    def guarded(name, globals=None, locals=None, fromlist=(), level=0):
        if level:
            raise ImportError("relative imports are not available to graded functions")
        if not ok(name) and not (fromlist and all(ok(f"{name}.{f}") for f in fromlist)):
            raise ImportError(f"import of {name!r} is not available here (allowed: {', '.join(allowed)})")
        return real(name, globals, locals, fromlist, level)

    return guarded


def _student_builtins(allowed: list[str] | None) -> dict:
    table = dict(vars(builtins))
    for name in _REFUSED:

        def refuse(*args: Any, _name: str = name, **kwargs: Any) -> Any:
            raise PermissionError(f"{_name}() is not available to graded functions")

        table[name] = refuse
    if allowed is not None:
        table["__import__"] = _guarded_import(allowed)
    table["__not_copied__"] = _NotCopied
    return table


def _trimmed(err: BaseException) -> str:
    """The traceback, only the frames in the student's own code, and the error line."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == STUDENT_FILE]
    lines = [f"  line {f.lineno}, in {f.name}\n    {(f.line or '').strip()}" for f in frames[-8:]]
    try:
        last = "".join(traceback.format_exception_only(type(err), err)).strip()
    except BaseException:  # a student's exception whose __str__ fails
        last = type(err).__name__
    last = last if len(last) <= 500 else last[:500] + "..."
    return "\n".join(["Traceback (your code only):", *lines, last] if lines else [last])


def _describe_call(function: str, args: tuple) -> str:
    import reprlib

    short = reprlib.Repr()
    short.maxstring, short.maxother, short.maxlist, short.maxdict = 40, 40, 6, 4
    shown = [f"<view before turn {a.turn + 1}>" if type(a).__name__ == "View" else short.repr(a) for a in args]
    return f"{function}({', '.join(shown)})"


class _Runner:
    """Calls the student's function with the limits; used for plain cases and inside drivers."""

    def __init__(self, fn: Callable, name: str, limits: dict, setup: bool = False) -> None:
        self.fn, self.name, self.setup = fn, name, setup
        self.timeout = limits["timeout_per_call"]
        self.max_output = limits["max_output"]
        self.memory_mb = limits["memory_mb"]
        self.armed = False
        self.last = ("", 0.0)
        import signal

        self._timer = functools.partial(signal.setitimer, signal.ITIMER_REAL)
        signal.signal(signal.SIGALRM, self._alarm)

    def _alarm(self, signum: int, frame: Any) -> None:
        if self.armed:
            raise _TimeUp

    def call(self, *args: Any, _raw: Any = None) -> Any:
        """Call once; raise :class:`_Fault` on any failure, else return the student's value.

        ``_raw``: the case as received, to describe it in a message even if the function mutated its
        arguments.
        """
        out = _Capture(self.max_output)
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = out
        start = time.perf_counter()
        fault = None
        try:
            self.armed = True
            self._timer(self.timeout)
            value = self.fn(*args)
        except _TimeUp:
            fault = ("timeout", "")
        except _OutputFlood:
            fault = ("output", "")
        except MemoryError:
            fault = ("memory", "")
        except BaseException as err:  # the student's error, SystemExit included
            fault = ("error", _trimmed(err))
        finally:
            self.armed = False
            self._timer(0)
            sys.stdout, sys.stderr = saved
        seconds = time.perf_counter() - start
        if seconds > self.timeout:  # also when the student's code caught the timer
            fault = ("timeout", "")
        if fault:
            status, detail = fault
            subject = "your code" if self.setup else "your function"
            shown = args if _raw is None else decode(_raw)
            where = "while its definitions ran" if self.setup else f"on one case: {_describe_call(self.name, shown)}"
            message = {
                "timeout": f"{subject} took longer than {self.timeout} s {where}",
                "output": f"{subject} printed more than {self.max_output} characters {where} "
                "(take print calls out of loops)",
                "memory": f"{subject} used more than {self.memory_mb} MB of memory {where}",
                "error": f"{subject} raised an error {where}\n{detail}",
            }[status]
            raise _Fault(status, message, out.text(), seconds)
        self.last = (out.text() if out.parts else "", seconds)
        return value


def _child_main() -> None:
    """Entry point of the child: read the request from stdin, answer one JSON line per case on stdout."""
    import resource

    proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # writes to file descriptor 1 cannot forge protocol lines
    req = json.loads(sys.stdin.read())
    sys.stdin = io.StringIO()
    driver = None
    if req["driver"]:
        module, _, attr = req["driver"].partition(":")
        driver = getattr(__import__(module, fromlist=[attr]), attr)
        getattr(driver, "prepare", lambda jobs: None)([decode(j) for j in req["jobs"]])
    mb = req["memory_mb"]
    cpu = int(req["cpu_seconds"]) + 1
    for which, soft, hard in (
        (resource.RLIMIT_AS, mb * 2**20, mb * 2**20),
        (resource.RLIMIT_CPU, cpu, cpu + 1),
        (resource.RLIMIT_FSIZE, 2**22, 2**22),  # stderr: a flood through file descriptor 2 stops here
    ):
        _, current = resource.getrlimit(which)  # a grading kernel may already run under a hard limit
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(which, (soft, hard))

    def send(data: dict) -> None:
        proto.write(json.dumps(data) + "\n")

    source, name = req["source"], req["function"]
    linecache.cache[STUDENT_FILE] = (len(source), None, source.splitlines(True), STUDENT_FILE)
    namespace = {"__name__": "__student__", "__builtins__": _student_builtins(req["allowed_imports"])}

    def define() -> None:
        exec(compile(source, STUDENT_FILE, "exec"), namespace)

    try:
        _Runner(define, name, req, setup=True).call()
    except _Fault as fault:
        send({"setup": fault.message})
        return
    fn = namespace.get(name)
    if not callable(fn):
        send({"setup": f"your code does not define a function called {name!r}"})
        return
    send({"ready": True})
    runner = _Runner(fn, name, req)
    for job in req["jobs"]:
        send(_one(runner, driver, job))


def _one(runner: _Runner, driver: Callable | None, raw: Any) -> dict:
    """One case (or job) as the line to send back."""
    start = time.perf_counter()
    job = decode(raw)
    try:
        if driver is None:
            value = runner.call(*job, _raw=raw)
            try:
                encoded = encode(value)
            except NotPlainData as err:
                raise _not_plain(err, runner, decode(raw)) from None
            return {"status": "ok", "value": encoded, "output": runner.last[0], "seconds": runner.last[1]}
        value = driver(functools.partial(_plain, runner), job)
        return {"status": "ok", "value": encode(value), "output": "", "seconds": runner.last[1]}
    except _Fault as fault:
        return {
            "status": fault.status,
            "message": fault.message + (f"\n(in job {job!r})" if driver else ""),
            "output": fault.output,
            "seconds": fault.seconds,
        }
    except MemoryError:
        return {"status": "memory", "message": f"the job used more than {runner.memory_mb} MB: {job!r}"}
    except Exception as err:  # the driver's complaint, e.g. an illegal move
        message = f"{type(err).__name__}: {err}\n(in job {job!r})" if driver else _trimmed(err)
        return {"status": "error", "message": message, "seconds": time.perf_counter() - start}


def _plain(runner: _Runner, *args: Any) -> Any:
    """Call the student's function and refuse anything but plain data (checked by exact type)."""
    value = runner.call(*args)
    try:
        encode(value)
    except NotPlainData as err:
        raise _not_plain(err, runner, args) from None
    return value


def _not_plain(err: NotPlainData, runner: _Runner, args: tuple) -> _Fault:
    return _Fault(
        "bad-return",
        f"your function returned {err} on one case: {_describe_call(runner.name, args)}; return plain "
        "data (numbers, strings, None, and lists, tuples, sets or dicts of them)",
        *runner.last,
    )


_SCENARIOS: dict[str, Any] = {}


def _play_game(strategy: Callable, job: dict) -> dict:
    """Driver for :func:`play_games` (runs in the child): one game of the student's strategy."""
    from course.engine import Crisis
    from course.scenario import load

    if job["scenario"] not in _SCENARIOS:
        _SCENARIOS[job["scenario"]] = load(job["scenario"])
    scenario = _SCENARIOS[job["scenario"]]
    game = Crisis(scenario, seed=job["seed"], doctrines=job["doctrines"])
    while not game.over:
        action = strategy(game.view)
        if type(action) is not str:
            raise TypeError(f"your strategy returned {action!r} at turn {game.turn + 1}: return an action id")
        game.play(action)  # an illegal choice raises IllegalMove naming the legal ones
    return {
        "seed": job["seed"],
        "doctrines": game.doctrines,
        "outcome": game.outcome,
        "score": game.score(),
        "turns": game.turn,
    }


def _prepare_games(jobs: list) -> None:
    """Load the scenarios before the memory limit is set (the YAML loader and schema compiler are big)."""
    from course.scenario import load

    for job in jobs:
        if job["scenario"] not in _SCENARIOS:
            _SCENARIOS[job["scenario"]] = load(job["scenario"])


_play_game.prepare = _prepare_games  # type: ignore[attr-defined]


# --- getting definitions out of a live kernel ----------------------------------------------------------
class SourceUnavailable(LookupError):
    """The source text of a notebook object cannot be found (e.g. it was made by ``exec``)."""


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
        if isinstance(obj, types.ModuleType):
            out.append(f"import {obj.__name__}" if name == obj.__name__ else f"import {obj.__name__} as {name}")
        elif _defined_here(obj):
            source = source_of(getattr(obj, "__wrapped__", obj))  # with its decorators, e.g. lru_cache
            tree = ast.parse(source)
            for used in sorted(_globals_used(tree) - {getattr(obj, "__name__", name)}):
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
    """``from M import x``: M as the notebook's own import wrote it (``course.engine`` re-exports ``View``
    from ``course.view``; only the first may be allowed in the sandbox), else where ``obj`` is defined."""
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


def _globals_used(tree: Any) -> set[str]:
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
    """``course.engine`` for ``course.engine.View`` when only ``course`` is a notebook global."""
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
