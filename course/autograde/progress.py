"""What ``pact-course grade`` shows a person: a live progress line and the closing summary table.

Pure text (no nbgrader): the progress line is rewritten in place on a terminal and printed as plain
lines (one per finished student) when stderr is a file or a CI log, where carriage returns would
pile up into one unreadable line.
"""

from __future__ import annotations

import textwrap
import time
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from course.autograde.run import Outcome


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """done / failed / remaining, elapsed and an estimate of the time left."""

    def __init__(self, total: int, stream: IO[str] | None, label: str = "grading") -> None:
        self.total, self.stream, self.label = total, stream, label
        self.done = self.failed = 0
        self.started = time.monotonic()
        self.live = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self._last = 0.0

    def line(self) -> str:
        """The progress line as it would be shown now."""
        elapsed = time.monotonic() - self.started
        finished = self.done + self.failed
        left = self.total - finished
        eta = _clock(elapsed / finished * left) if finished else "?"
        return (
            f"{self.label}: {self.done} done, {self.failed} failed, {left} remaining of {self.total}"
            f" | {_clock(elapsed)} elapsed, about {eta} left"
        )

    def finished(self, failed: bool = False) -> None:
        """Count one student as done (or failed) and show it."""
        if failed:
            self.failed += 1
        else:
            self.done += 1
        self._show(force=True)

    def tick(self) -> None:
        """Refresh the elapsed time on a terminal (at most once a second)."""
        if self.live and time.monotonic() - self._last >= 1.0:
            self._show(force=True)

    def _show(self, force: bool) -> None:
        if self.stream is None:
            return
        self._last = time.monotonic()
        if self.live:
            self.stream.write("\r\x1b[2K" + self.line())
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the live line so later output starts on a fresh line."""
        if self.stream is not None and self.live:
            self.stream.write("\n")
            self.stream.flush()


def _score(outcome: Outcome) -> str:
    if outcome.score is None or outcome.max_score is None:
        return "-"
    return f"{outcome.score:g}/{outcome.max_score:g}"


def _wrap(message: str, width: int = 90) -> list[str]:
    """A long reason as lines of the notes column; continuation lines indented under the first."""
    return textwrap.wrap(message, width, subsequent_indent="  ", break_on_hyphens=False) or [""]


def summary(outcomes: list[Outcome], assignment: str, sandbox: str | None = None) -> str:
    """The table printed at the end: graded with score, failed with reasons, manual grading needed; and, once,
    what confined student code in this run (``sandbox``: ``course.sandbox.jail.describe()``)."""
    width = max([len("student")] + [len(o.student) for o in outcomes])
    lines = [f"{'student':<{width}}  {'result':<12}  {'score':>9}  notes", "-" * (width + 40)]
    for o in outcomes:
        result = o.status.upper() if o.status in ("failed", "interrupted") else o.status
        flagged = [f"FLAGGED for review: {flag}" for flag in getattr(o, "flags", [])]
        messages = ([o.reason] if o.reason else []) + o.notes + flagged
        text = [piece for message in messages for piece in _wrap(message)]
        lines.append(f"{o.student:<{width}}  {result:<12}  {_score(o):>9}  {(text or [''])[0]}")
        for extra in text[1:]:
            lines.append(f"{'':<{width}}  {'':<12}  {'':>9}  {extra}")
    count = {s: sum(o.status == s for o in outcomes) for s in ("graded", "skipped", "failed", "interrupted")}
    manual = [o.student for o in outcomes if o.needs_manual]
    flagged = [o.student for o in outcomes if getattr(o, "flags", [])]
    lines.append("")
    lines.append(
        f"{assignment}: {count['graded']} graded, {count['failed']} failed, "
        f"{count['skipped']} already graded, {count['interrupted']} interrupted"
    )
    if sandbox:
        lines.append(sandbox)
    if manual:
        lines.append(
            f"needing manual grading ({len(manual)}): {', '.join(manual)}"
            " - grade the written answers in the formgrader (JupyterLab: Nbgrader > Formgrader)"
        )
    if flagged:
        lines.append(
            f"flagged for review ({len(flagged)}): {', '.join(flagged)} - each flag names the trick in brackets; "
            "read the cells it points to before the grade stands (docs/explanation/grading-integrity.md)"
        )
    if count["failed"]:
        lines.append(
            "failed submissions have no grade from nbgrader; fix what the notes say, then "
            f"`pact-course grade {assignment} --student ID`"
        )
    return "\n".join(lines)
