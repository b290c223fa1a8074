"""The sandbox's child: runs in ``python -I -S``, never in the parent; reads one request, answers in JSON lines.

Why a module of its own: this is the only code the child needs to start (``course.sandbox.process`` boots
it by name), so it stays small and cheap to import — the standard library's light modules and
:mod:`course.sandbox.wire`, nothing else at import time (``ast``, ``inspect``, ``dataclasses`` and ``pathlib``
would cost every start ~50 ms: python -X importtime). ``resource``, ``signal`` and ``reprlib`` are
imported where used.

The protocol (on stdin): a header line with the student's source, the function's name, the limits and, for
games, a context sent once (the scenario as data); then job lines, one call each: arguments, or a game's view
as data (:mod:`course.sandbox.gameview`). The answers (one JSON line per job on a private copy of file
descriptor 1) hold plain data only; the student's messages name their own code (:data:`STUDENT_FILE`), never
the kit's frames. Nothing else is in this process: no engine, no game, no expected value.
"""

from __future__ import annotations

import functools
import io
import json
import linecache
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from course.sandbox.restricted import student_builtins
from course.sandbox.wire import NotPlainData, decode, encode

STUDENT_FILE = "<your code>"


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


def describe_call(function: str, args: tuple) -> str:
    """``name(args)`` short enough for a message (a ``View`` shows as its turn); the parent's grader uses it too."""
    import reprlib

    short = reprlib.Repr()
    short.maxstring, short.maxother, short.maxlist, short.maxdict = 40, 40, 6, 4
    shown = [f"<view before turn {a.turn + 1}>" if type(a).__name__ == "View" else short.repr(a) for a in args]
    return f"{function}({', '.join(shown)})"


class _Runner:
    """Calls the student's function with the limits; one per child, for every job."""

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
            where = "while its definitions ran" if self.setup else f"on one case: {describe_call(self.name, shown)}"
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


def main() -> None:
    """Entry point of the child: a header line, then one job line at a time, each answered by one JSON line.

    The header holds the student's source, the function's name, the limits and, for games, the context
    sent once (the scenario as data). A job line is ``{"args": [...]}`` (a call with those arguments) or
    ``{"view": {...}}`` (one turn: the function gets a read-only :class:`course.sandbox.gameview.View`).
    The parent may write all the job lines at once (a batch) or one after each answer (a game).
    """
    import resource

    proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    jobs = os.fdopen(os.dup(0), "rb")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)  # writes to file descriptor 1 cannot forge protocol lines
    os.dup2(devnull, 0)
    req = json.loads(jobs.readline() or "null")
    sys.stdin = io.StringIO()
    if type(req) is not dict:
        return
    context = None
    if req.get("context") is not None:
        from course.sandbox.gameview import materialise

        context = dict(materialise(decode(req["context"])))
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
    namespace = {"__name__": "__student__", "__builtins__": student_builtins(req["allowed_imports"])}

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
    games: dict[Any, Callable] = {}  # a game's own copy of the function (and its globals), by the game's key
    for line in jobs:
        job = json.loads(line)
        for key in job.get("forget", ()):
            games.pop(key, None)
        if "game" in job and job["game"] not in games:
            games[job["game"]] = _fresh(namespace)[name]
        runner.fn = games[job["game"]] if "game" in job else fn
        send(_one(runner, job, context))


def _fresh(namespace: dict) -> dict:
    """A copy of the student's definitions for one game, as if they had just run: functions rebound to the copy,
    module-level lists, dicts and sets copied. Games are played side by side, and a strategy that keeps
    something in a global between its calls must see only its own game's."""
    import copy
    import types

    fresh: dict = {}
    for key, value in namespace.items():
        if isinstance(value, types.FunctionType) and value.__globals__ is namespace:
            clone = types.FunctionType(value.__code__, fresh, value.__name__, value.__defaults__, value.__closure__)
            clone.__kwdefaults__, clone.__qualname__ = value.__kwdefaults__, value.__qualname__
            clone.__dict__.update(value.__dict__)
            fresh[key] = clone
        elif type(value) in (list, dict, set):
            try:
                fresh[key] = copy.deepcopy(value)
            except Exception:  # noqa: BLE001 - something that cannot be copied is shared, as before
                fresh[key] = value
        else:
            fresh[key] = value
    return fresh


def _one(runner: _Runner, job: dict, context: dict | None) -> dict:
    """One job as the line to send back."""
    start = time.perf_counter()
    try:
        if "view" in job:
            from course.sandbox.gameview import view_from

            args, raw = (view_from(decode(job["view"]), context or {}),), None
        else:
            raw = job["args"]
            args = tuple(decode(raw))
        value = runner.call(*args, _raw=raw)
        try:
            encoded = encode(value)
        except NotPlainData as err:
            raise _not_plain(err, runner, args if raw is None else tuple(decode(raw))) from None
        return {"status": "ok", "value": encoded, "output": runner.last[0], "seconds": runner.last[1]}
    except _Fault as fault:
        return {"status": fault.status, "message": fault.message, "output": fault.output, "seconds": fault.seconds}
    except MemoryError:
        return {"status": "memory", "message": f"your function used more than {runner.memory_mb} MB"}
    except Exception as err:  # a job the child cannot read: the parent's bug, said plainly
        return {"status": "error", "message": _trimmed(err), "seconds": time.perf_counter() - start}


def _not_plain(err: NotPlainData, runner: _Runner, args: tuple) -> _Fault:
    return _Fault(
        "bad-return",
        f"your function returned {err} on one case: {describe_call(runner.name, args)}; return plain "
        "data (numbers, strings, None, and lists, tuples, sets or dicts of them)",
        *runner.last,
    )
