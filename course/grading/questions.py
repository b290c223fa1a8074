"""The graded questions of a notebook, and the self-check's report on them.

Why a module of its own: :mod:`course.grading.selfcheck` runs a notebook and collects what happened; what
counts as a question (an autograded test, a written answer with its self-assessment list) and how the
report reads to a student are decided here, and can be tested without a kernel.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.notebooks import (
    BLANK_CODE_ANSWER,
    BLANK_WRITTEN_ANSWER,
    nbgrader_meta,
)
from course.notebooks import cell_source as _source

_ITEM = re.compile(r"^\s*[-*]\s+(?:\[[ xX]\]\s*)?(.+?)\s*$")


@dataclass
class Question:
    """One graded cell: a test (``passed`` True/False, or None if not run) or a written answer/task."""

    grade_id: str
    kind: str  # "test" | "written" | "task"
    points: float
    cell: int  # 1-based position in the notebook
    passed: bool | None = None
    message: str = ""
    self_assessment: list[str] = field(default_factory=list)
    answered: bool = True
    hidden_only: bool = False  # a test cell with no visible check: its hidden tests run at grading


@dataclass
class Report:
    """The result of one check, and its text (:meth:`render`)."""

    notebook: Path
    questions: list[Question]
    errors: list[tuple[int, str]]  # (1-based cell, message) for cells other than tests
    hidden_removed: bool = False
    has_solutions: bool = False
    stopped: str = ""  # why the run ended early (the kernel died), if it did
    seconds: float = 0.0
    error_ids: dict[int, str] = field(default_factory=dict)  # grade_id of an erring cell, if it has one

    @property
    def tests(self) -> list[Question]:
        return [q for q in self.questions if q.kind == "test"]

    @property
    def ok(self) -> bool:
        """True when every visible test passed (the command's exit status is 0 exactly then)."""
        return not self.stopped and all(q.passed or q.hidden_only for q in self.tests)

    def render(self) -> str:
        lines = [
            f"pact-course check: {self.notebook.name}",
            f"  (the saved file, run from the top in a fresh kernel, {self.seconds:.1f} s)",
        ]
        if self.hidden_removed:
            lines.append("  This copy contained hidden tests: they were removed before running and are not shown.")
        if self.has_solutions:
            lines.append("  This looks like an instructor's notebook (it contains solution markers).")
        lines.append("")
        width = max([len(q.grade_id) for q in self.questions] + [10])
        for q in self.questions:
            pts = f"{_num(q.points)} pt{'s' if q.points != 1 else ''}"
            if q.kind == "test" and q.hidden_only and q.passed is not False:
                state, detail = "HIDDEN", "only hidden tests here: they run when your work is graded"
            elif q.kind == "test":
                state = {True: "PASSED", False: "FAILED", None: "NOT RUN"}[q.passed]
                detail = "" if q.passed else q.message
            else:
                state = "WRITTEN" if q.kind == "written" else "TASK"
                detail = "to be graded by your instructor" + ("" if q.answered else " (not answered yet)")
            head = f"  {state:<8}{q.grade_id:<{width}}  {pts:>7}   "
            first, *rest = _wrap(detail, WIDTH - len(head)) or [""]
            lines.append((head + first).rstrip())
            lines += [" " * len(head) + more for more in rest]
            if q.self_assessment:
                lines.append(f"  {'':<8}Self-assessment:")
                for item in q.self_assessment:
                    first, *rest = _wrap(item, WIDTH - 16)
                    lines += [f"  {'':<8}  [ ] {first}", *(f"  {'':<8}      {more}" for more in rest)]
        if not self.questions:
            lines.append("  This notebook has no graded cells.")
        if self.errors:
            lines += [
                "",
                "Cells outside the tests that raised an error (later tests may fail because of them):",
            ]
            for index, message in self.errors:
                label = f"cell {index}" + (f" ({self.error_ids[index]})" if index in self.error_ids else "")
                first, *rest = _wrap(message, WIDTH - len(label) - 4)
                lines += [f"  {label}: {first}", *(" " * (len(label) + 4) + more for more in rest)]
        if self.stopped:
            lines += ["", self.stopped]
        tests = [q for q in self.tests if not q.hidden_only]
        if tests:
            passed = [q for q in tests if q.passed]
            got, total = sum(q.points for q in passed), sum(q.points for q in tests)
            lines += [
                "",
                f"Visible tests: {len(passed)} of {len(tests)} passed ({_num(got)} of {_num(total)} points).",
                "Hidden tests, run when your work is graded, may check more cases: passing every",
                "visible test is necessary, not sufficient.",
            ]
        return "\n".join(lines)


WIDTH = 104  # columns of the report; longer messages are wrapped


def _wrap(text: str, width: int) -> list[str]:
    """Wrap each line of ``text`` to ``width``, keeping its indentation (tracebacks stay readable)."""

    out: list[str] = []
    for line in text.splitlines():
        lead = line[: len(line) - len(line.lstrip())]
        out += textwrap.wrap(line, max(width, 30), subsequent_indent=lead) or [""]
    return out


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def has_code(source: str) -> bool:
    return any(line.strip() and not line.strip().startswith("#") for line in source.splitlines())


def _self_assessment(cell: Any) -> list[str] | None:
    meta = cell.get("metadata", {}).get("pact_course", {})
    if isinstance(meta, dict) and isinstance(meta.get("self_assessment"), list):
        return [str(item) for item in meta["self_assessment"]]
    text = _source(cell)
    if cell.get("cell_type") == "markdown" and "self-assessment" in text.split("\n", 1)[0].lower():
        return [m.group(1) for line in text.splitlines()[1:] if (m := _ITEM.match(line))]
    return None


def questions_of(cells: list) -> list[Question]:
    """The graded cells of a notebook, in order, with self-assessment lists attached to written answers."""
    found: list[Question] = []
    lists: list[tuple[int, list[str]]] = []
    for index, cell in enumerate(cells):
        meta = nbgrader_meta(cell)
        items = _self_assessment(cell)
        if items is not None:
            lists.append((index, items))
        if not (meta.get("grade") or meta.get("task")):
            continue
        if meta.get("task"):
            kind = "task"
        elif meta.get("solution"):
            kind = "written"
        elif cell.get("cell_type") == "code":
            kind = "test"
        else:
            continue
        text = _source(cell).strip()
        answered = kind != "written" or text not in ("", BLANK_WRITTEN_ANSWER)
        if kind == "written" and BLANK_CODE_ANSWER in text:
            answered = False
        found.append(Question(meta.get("grade_id", f"cell-{index + 1}"), kind, meta.get("points", 0), index + 1))
        found[-1].answered = answered
    manual = [q for q in found if q.kind != "test"]
    for index, items in lists:
        above = [q for q in manual if q.cell - 1 < index]
        below = [q for q in manual if q.cell - 1 > index]
        target = above[-1] if above else (below[0] if below else None)
        if target is not None:
            target.self_assessment += items
    return found
