"""One sandbox child as a conversation: the header once, then a job, its answer, the next job...

Why a module of its own: both ways of using the child speak the same protocol (:mod:`course.sandbox.child`):
a batch (:func:`course.sandbox.runner.run_calls` writes every job at once, from a thread, and reads the
answers in order) and a game (:mod:`course.grading.strategy` sends one turn's view, waits for the move, plays
it on its side, sends the next view). A :class:`Session` starts the child, says whether the student's
definitions ran, and reads each answer with a deadline; a session that timed out or crashed is closed, and
the caller starts a fresh one for what is left.
"""

from __future__ import annotations

import json
import time
from typing import Any, NamedTuple

from course.sandbox.process import AnswerLines, start_child, why_it_stopped
from course.sandbox.wire import decode, encode

STARTUP_SECONDS = 10.0  # budget for the interpreter to start and define the student's code, busy machine
GRACE_SECONDS = 1.0  # the child stops a slow call itself; the parent kills only if that fails


class Answer(NamedTuple):
    """What came back for one job: ``status`` as in :class:`course.sandbox.runner.CallResult`."""

    status: str
    value: Any = None
    message: str = ""
    output: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class Session:
    """A started child for one student function (``open`` first; ``close`` always)."""

    def __init__(self, header: dict, scratch: str, inputs: list[str] = ()) -> None:
        self.header, self.scratch, self.inputs = header, scratch, list(inputs)
        self.proc: Any = None
        self.reader: AnswerLines | None = None
        self.err_path = ""
        self.timeout_per_call = float(header["timeout_per_call"])

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and not self.reader.eof

    def open(self, end: float) -> str | None:
        """Start the child and wait until its definitions ran: ``None`` when ready, else why not (for the
        student), or ``""`` when the total budget ``end`` ran out first."""
        self.proc, self.err_path = start_child(self.scratch, self.inputs)
        self.reader = AnswerLines(self.proc)
        if not self._write(json.dumps(self.header)):
            return why_it_stopped(self.proc, self.err_path, "while starting")
        budget = STARTUP_SECONDS + self.timeout_per_call
        first = self.reader.next(min(end, time.monotonic() + budget))
        if first is not None and "setup" not in first:
            return None
        if first is None and not self.reader.eof:
            return "" if time.monotonic() >= end else f"defining your code took longer than {budget} s"
        return first["setup"] if first else why_it_stopped(self.proc, self.err_path, "while starting")

    def send(self, job: dict) -> bool:
        """Write one job line (``{"args": tuple}`` or ``{"view": data}``), encoded as plain data."""
        key, value = next(iter(job.items()))
        return self._write(json.dumps({key: encode(value)}))

    def send_encoded(self, job: dict) -> bool:
        """Write one job line whose values are already in the wire format (a game encodes each turn of its
        history once); other keys (``game``, ``forget``) are the protocol's own."""
        return self._write(json.dumps(job))

    def _write(self, line: str) -> bool:
        proc = self.proc  # a feeder thread may write while the session is being closed
        if proc is None:
            return False
        try:
            proc.stdin.write(line.encode() + b"\n")
            proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):  # the child already ended; its answer says why
            return False

    def answer(self, deadline: float, shown: str, end: float) -> Answer:
        """The next answer, or why none came: ``crashed`` (the child ended: closed), ``timeout`` (no answer
        by ``deadline``: closed), ``skipped`` (the total budget ``end`` ran out: closed)."""
        started = time.monotonic()
        line = self.reader.next(min(deadline, end))
        if line is not None:
            status = line.get("status", "crashed")
            value = decode(line["value"]) if status == "ok" else None
            return Answer(status, value, line.get("message", ""), line.get("output", ""), line.get("seconds", 0.0))
        waited = time.monotonic() - started
        if self.reader.eof:
            why = why_it_stopped(self.proc, self.err_path, f"on one case: {shown}")
            self.close()
            return Answer("crashed", message=why, seconds=waited)
        self.close()
        if time.monotonic() >= end and deadline > end:
            return Answer("skipped", seconds=waited)
        return Answer(
            "timeout",
            message=f"your function took longer than {self.timeout_per_call} s on one case: {shown}",
            seconds=waited,
        )

    def call(self, job: dict, shown: str, end: float) -> Answer:
        """Send one job and wait for its answer (the per-call budget and a grace second)."""
        self.send(job)
        return self.answer(time.monotonic() + self.timeout_per_call + GRACE_SECONDS, shown, end)

    def close(self) -> None:
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        self.reader.sel.close()
        proc.stdout.close()
        try:
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass


def header(source: str, function: str, *, timeout_per_call: float, total_timeout: float, memory_mb: int,
           max_output: int, allowed_imports: Any, context: Any = None) -> dict:  # fmt: skip
    """The first line the child reads: the student's code, the limits and the context (plain data)."""
    return {
        "source": source,
        "function": function,
        "timeout_per_call": timeout_per_call,
        "max_output": max_output,
        "memory_mb": memory_mb,
        "cpu_seconds": total_timeout + 2,
        "allowed_imports": None if allowed_imports is None else sorted(allowed_imports),
        "context": None if context is None else encode(context),
    }
