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
from pathlib import Path
from typing import Any

from course.grading.questions import Question, Report, has_code, questions_of  # noqa: F401 - re-exported
from course.notebooks import (
    SOLUTION_BEGIN,
    grade_id,
    strip_hidden_tests,
)

SELFCHECK_ENV = "PACT_COURSE_SELFCHECK"
COPY_LIMIT = 100 * 2**20  # bytes of the notebook's folder copied for the run; data files beyond are left out
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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
            if index in tests and not has_code(cell.source):
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
