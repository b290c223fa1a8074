"""Self-study checks: run a student's saved notebook in a fresh kernel; report each graded question.

Why: a student working alone has no autograder. ``pact-course check exercises/<id>/<nb>.ipynb`` (and
:func:`check_notebook` from inside the notebook) runs the *saved* file top to bottom in a new kernel,
as the grader will, and prints for each graded question:

* autograded tests (nbgrader ``grade: true`` code cells without a solution): passed, or failed with the
  test's own message (the last line of the error, not the whole traceback), and the points at stake;
* written answers and tasks (graded by hand): "to be graded by your instructor", with the question's
  self-assessment list when the notebook has one (below);
* any other cell that raised, by its number (counting from 1), since later tests usually fail with it.

The exit status is 0 exactly when every visible test passes. Hidden tests are never run or shown: a
released notebook holds none, and if an instructor's copy is checked, ``### BEGIN HIDDEN TESTS`` ...
``### END HIDDEN TESTS`` regions are removed before running, and the report says so.

**Self-assessment lists** (a choice of this kit): a markdown cell whose metadata holds
``{"pact_course": {"self_assessment": ["item", ...]}}``, or whose first line contains
"Self-assessment" and whose list lines (``- [ ] item``, ``- item``, ``* item``) are the items. The
list belongs to the closest written answer above it (the assignments put it right after the answer),
or, if none is above, to the first one below.

The notebook runs in a temporary copy of its folder, so nothing is written beside the student's file.
The kernel sees ``NBGRADER_EXECUTION=validate`` (what nbgrader's validation sets, so widgets stay
quiet, as when grading) and ``PACT_COURSE_SELFCHECK=1`` (so a ``check_notebook()`` cell inside the
notebook does not start a check of its own). nbformat and nbclient are imported inside functions: a
student kernel that imports this module pays nothing for them.
"""

from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.notebooks import (
    BLANK_CODE_ANSWER,
    BLANK_WRITTEN_ANSWER,
    SOLUTION_BEGIN,
    grade_id,
    nbgrader_meta,
    strip_hidden_tests,
)
from course.notebooks import cell_source as _source

SELFCHECK_ENV = "PACT_COURSE_SELFCHECK"
COPY_LIMIT = 100 * 2**20  # bytes of the notebook's folder copied for the run; data files beyond are left out
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
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
    import textwrap

    out: list[str] = []
    for line in text.splitlines():
        lead = line[: len(line) - len(line.lstrip())]
        out += textwrap.wrap(line, max(width, 30), subsequent_indent=lead) or [""]
    return out


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _has_code(source: str) -> bool:
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


def _copy_folder(folder: Path, into: Path) -> None:
    """Copy the notebook's folder (data files, logs) for the run, up to :data:`COPY_LIMIT` bytes."""
    import shutil

    budget, files_left = COPY_LIMIT, 5000  # a notebook kept in a home folder must not copy the home folder
    for root, dirs, files in os.walk(folder):
        if budget <= 0 or files_left <= 0:
            break
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        target = into / Path(root).relative_to(folder)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            source = Path(root) / name
            size = source.stat().st_size
            if name.endswith(".ipynb") or size > budget or files_left <= 0:
                continue
            budget, files_left = budget - size, files_left - 1
            shutil.copy2(source, target / name)


def check(path: str | Path, *, timeout: float = 60, kernel_name: str = "python3") -> Report:
    """Run the saved notebook at ``path`` in a fresh kernel (a temporary copy of its folder) and report.

    ``timeout`` is per cell: a cell that runs longer is interrupted and reported, and the run goes on.
    """
    import subprocess
    import tempfile

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    questions = questions_of(nb.cells)
    tests = {q.cell - 1: q for q in questions if q.kind == "test"}
    hidden_removed = has_solutions = False
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.outputs = []
            cell.source, removed = strip_hidden_tests(cell.source)
            hidden_removed |= removed
            has_solutions |= SOLUTION_BEGIN in cell.source
            if index in tests and not _has_code(cell.source):
                tests[index].hidden_only = True
    report = Report(path, questions, [], hidden_removed, has_solutions)
    start = time.monotonic()
    env = {**os.environ, SELFCHECK_ENV: "1", "NBGRADER_EXECUTION": "validate"}
    with tempfile.TemporaryDirectory(prefix="pact-check-") as scratch:
        workdir = Path(scratch) / path.parent.name
        _copy_folder(path.parent, workdir)
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name=kernel_name,
            interrupt_on_timeout=True,
            resources={"metadata": {"path": str(workdir)}},
        )
        # the kernel's own stderr holds only start-up warnings a student cannot act on
        with client.setup_kernel(env=env, cwd=str(workdir), stderr=subprocess.DEVNULL):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    client.execute_cell(cell, index)
                    error = None
                except CellExecutionError as err:
                    error = _last_line(err, timeout, in_test=index in tests)
                except CellTimeoutError:
                    error = f"this cell took longer than {timeout} s"
                except DeadKernelError:
                    report.stopped = (
                        f"The kernel stopped at cell {index + 1} (did the code exit, or use too much "
                        "memory?): the cells after it did not run."
                    )
                    if index in tests:
                        tests[index].passed, tests[index].message = False, "the kernel stopped in this test"
                    break
                if index in tests:
                    tests[index].passed = error is None
                    tests[index].message = error or ""
                elif error:
                    report.errors.append((index + 1, error))
                    if grade_id(cell):
                        report.error_ids[index + 1] = grade_id(cell)
    report.seconds = time.monotonic() - start
    return report


def _last_line(err: Any, timeout: float, in_test: bool = True) -> str:
    """The error as a student should read it: ``Name: message``, not the whole traceback."""
    name, value = getattr(err, "ename", "") or "Error", _ANSI.sub("", getattr(err, "evalue", "") or "")
    if name == "KeyboardInterrupt":
        return f"this cell took longer than {timeout} s and was interrupted"
    if name == "NotImplementedError" and not value.strip():
        if not in_test:
            return "NotImplementedError: not answered yet (or it uses an answer that is not written yet)"
        return "NotImplementedError: an answer this test uses is not written yet"
    if name == "AssertionError" and not value.strip():
        return "AssertionError (the test gives no message: read the test cell to see what it checks)"
    if not value.strip():
        return name
    text = value.strip()
    if len(text) > 600:
        text = text[:600] + "..."
    return f"{name}: {text}"


def find_notebook() -> Path | None:
    """The notebook this kernel belongs to, from what JupyterLab tells the kernel, or None."""
    import __main__

    for candidate in (os.environ.get("JPY_SESSION_NAME"), getattr(__main__, "__session__", None)):
        if not candidate:
            continue
        path = Path(candidate)
        if not path.is_absolute():
            path = Path.cwd() / path.name
        if path.suffix == ".ipynb" and path.is_file():
            return path
    return None


def check_notebook(path: str | Path | None = None, *, timeout: float = 60) -> int | None:
    """From inside a notebook: check its saved file in a separate process and print the report.

    Returns the exit status (0: every visible test passed), or None when nothing was checked. It reads
    the file on disk: save first (Ctrl+S), or your latest edits are not included. Does nothing while a
    check or nbgrader runs the notebook, so the check cannot start itself again.
    """
    import subprocess

    if os.environ.get(SELFCHECK_ENV) or os.environ.get("NBGRADER_EXECUTION"):
        print("(check_notebook() does nothing while a check or the grader runs this notebook)")
        return None
    found = Path(path) if path is not None else find_notebook()
    if found is None or not found.is_file():
        where = f"{path!s} does not exist" if path is not None else "I could not tell which notebook this is"
        print(f"{where}: call check_notebook('your-notebook.ipynb') with its file name.")
        return None
    age = time.time() - found.stat().st_mtime
    print(
        f"Checking the saved file {found.name} (saved {_ago(age)}). Changes you have not saved are not "
        "included: save first (Ctrl+S / Cmd+S) and run this cell again if in doubt.\n",
        flush=True,
    )
    done = subprocess.run(
        [sys.executable, "-m", "course.cli", "check", str(found), "--timeout", str(timeout)],
        capture_output=True,
        text=True,
    )
    print(done.stdout + (done.stderr if done.returncode not in (0, 1) else ""))
    return done.returncode


def _ago(seconds: float) -> str:
    if seconds < 90:
        return f"{int(seconds)} s ago"
    if seconds < 5400:
        return f"{round(seconds / 60)} min ago"
    return f"{seconds / 3600:.1f} h ago"
