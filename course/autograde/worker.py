"""One long-lived grading process: nbgrader's own Autograde, one student at a time.

``pact-course grade`` starts ``--jobs`` of these (``python -m course.autograde.worker``) and hands each
student to whichever is free. Why long-lived processes: importing nbgrader costs about five seconds
(notes/nbgrader-0.9.6.md), so one ``nbgrader autograde --student`` per student would spend more
time starting than grading; a worker pays it once and then grades in ~1.5 s per small notebook.

Protocol (``course.autograde.messages``, JSON lines): the worker gets its ``WorkerOptions`` as one argument,
prints ``READY``; then for each ``Job`` line read from stdin it prints one ``Reply`` line. stdout carries only
these lines; everything else (nbgrader, kernels) goes to stderr, which the parent sends to a log file.

The grading itself is ``NbGraderAPI.autograde``: the same converter, preprocessors and gradebook
writes as the ``nbgrader autograde`` command, with four additions that do not change a score:

- kernels start under ``course.autograde.kernel_limits`` (memory cap, die with this process), and under bubblewrap
  where the machine allows (``course.autograde.kernel_manager``); this process is a child subreaper, and nothing
  a notebook starts outlives it (``course.autograde.reaper``): it ends before the gradebook is written;
- ``TracingExecute`` (nbgrader's Execute) remembers which cell it started last, so that a kernel
  that dies can be reported with the cell that killed it;
- a submission that fails only for a reason outside the student's code ("database is locked",
  an output or kernel-start time-out on a loaded machine: ``TRANSIENT``) is graded again;
- each notebook's kernel is started while the previous notebook runs and killed once its outputs are in
  (``course.autograde.kernel_pool``: the same fresh kernel, started earlier), so a worker does not wait for kernels.

and one that changes the score of a submission that games the grader, and of no other: ``TracingExecute``
runs the kernel in a scratch folder outside the course and checks that each test cell ran to its end
against the unchanged kit (``course.autograde.integrity.run``); a test cell that did not scores 0 and is reported in
the reply's ``integrity`` list. ``nbgrader_config.py`` uses the same step, so a serial ``nbgrader
autograde`` gives the same scores.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from course import coursedir
from course.autograde.messages import READY, Cell, Job, Reply, WorkerOptions
from course.coursedir import SALVAGE_DIR

LOCKED = "database is locked"
# Failures of the machinery, not of the student's code: on a loaded machine nbclient gives up after
# iopub_timeout (4 s) waiting for a cell's output, or a kernel starts too slowly. A serial nbgrader
# run fails such a submission just the same, at random; grading it again is what a person would do.
TRANSIENT = (
    LOCKED,
    "Timeout waiting for IOPub output",
    "Kernel didn't respond",
    # A kernel that ended before its first reply ran no student code: another process took its port first.
    "Kernel died before replying to kernel_info",
)
RETRIES = 3


def grading_config(
    root: Path, timeout: int | None, memory_mb: int, max_output_lines: int | None, warm_kernels: bool = True
) -> Any:
    """The course's nbgrader_config.py plus the grading run's limits, as a traitlets Config.

    Loads the file explicitly: ``NbGraderAPI()`` on its own ignores nbgrader_config.py. ``warm_kernels``:
    start each notebook's kernel while the previous notebook runs (``course.autograde.kernel_pool``).
    """
    config = coursedir.config(root)
    if timeout:
        config.Execute.timeout = int(timeout)
    if max_output_lines is not None:
        config.LimitOutput.max_lines = int(max_output_lines)
    config.Execute.kernel_manager_class = "course.autograde.nbgrader_plugins.LimitedKernelManager"
    config.LimitedKernelManager.memory_mb = int(memory_mb)
    config.TracingExecute.warm_kernels = bool(warm_kernels)
    from nbgrader.converters.autograde import Autograde

    config.Autograde.autograde_preprocessors = [
        "course.autograde.nbgrader_plugins.TracingExecute" if getattr(pp, "__name__", "") == "Execute" else pp
        for pp in Autograde.class_traits()["autograde_preprocessors"].default()
    ]
    return config


def __getattr__(name: str) -> Any:
    # The classes' home before nbgrader_plugins: an older course's nbgrader_config.py names
    # "course.grade_worker.TracingExecute" (course.MOVED serves that module name as this module). Lazily,
    # so that importing this module costs nothing until a class is asked for.
    if name in ("LimitedKernelManager", "TracingExecute"):
        from course.autograde import nbgrader_plugins

        return getattr(nbgrader_plugins, name)
    raise AttributeError(name)


def grade_one(api: Any, assignment: str, job: Job) -> Reply:
    """Autograde one student with nbgrader; retry only when sqlite was locked by another worker."""
    from course.autograde.nbgrader_plugins import TRACE

    started = time.monotonic()
    retried: list[str] = []
    for attempt in range(RETRIES + 1):
        TRACE.clear()
        # force=True on a retry: the failed attempt may have left a partial autograded folder.
        result = api.autograde(assignment, job.student, force=job.force or attempt > 0, create=True)
        text = (result.get("log") or "") + (result.get("error") or "")
        cause = next((t for t in TRANSIENT if t in text), None)
        if result.get("success") or cause is None or attempt == RETRIES:
            break
        retried.append(cause)
        time.sleep(0.5 * (attempt + 1))
    reply = Reply(
        job.student, bool(result.get("success")), log=result.get("log") or "", error=result.get("error") or "",
        last_cell=TRACE.last_cell, seconds=round(time.monotonic() - started, 3), attempts=attempt + 1,
        retried=retried, integrity=list(TRACE.integrity),
    )  # fmt: skip
    if not reply.success and job.salvage and "DeadKernelError" in reply.log + reply.error:
        reply = _salvage(api, assignment, reply)
    if reply.success:
        _add_scores(api, assignment, reply)
    return reply


SALVAGE_ROUNDS = 3


def _salvage(api: Any, assignment: str, reply: Reply) -> Reply:
    """Grade a copy of the submission in which each cell that killed the kernel raises instead.

    Opt-in (``pact-course grade --salvage``): nbgrader drops a whole submission whose kernel dies,
    though usually one cell did it. The copy lives in SALVAGE_DIR (the student's file in submitted/
    is never touched); the replaced cell shows a RuntimeError saying why, in the autograded notebook
    and the feedback, and the report lists every replaced cell. A locked (test) cell cannot be
    replaced (nbgrader restores it), so a kernel killed by a test cell stays a failure.
    """
    from nbgrader.utils import temp_attrs

    from course.autograde.nbgrader_plugins import TRACE
    from course.notebooks import is_locked

    root, student = Path(api.coursedir.root), reply.student
    copy = coursedir.step_dir(root, SALVAGE_DIR, student, assignment)
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(coursedir.step_dir(root, coursedir.SUBMITTED, student, assignment), copy)
    removed: list[Cell] = []
    last = reply.last_cell
    for _ in range(SALVAGE_ROUNDS):
        if not last or not last.notebook:
            break
        path = copy / f"{last.notebook}.ipynb"
        nb = json.loads(path.read_text(encoding="utf-8"))
        cell = nb["cells"][last.index]
        if is_locked(cell):
            break
        cell["source"] = (
            "raise RuntimeError('pact-course: this cell ended the Python kernel when graded "
            "(os._exit, a crash, or memory), so it was not run')"
        )
        path.write_text(json.dumps(nb), encoding="utf-8")
        removed.append(last)
        TRACE.clear()
        with temp_attrs(api.coursedir, submitted_directory=str(Path(SALVAGE_DIR))):
            result = api.autograde(assignment, student, force=True, create=True)
        if result.get("success"):
            return replace(reply, success=True, salvaged=removed, log=result.get("log") or "",
                           integrity=list(TRACE.integrity))  # fmt: skip
        last = TRACE.last_cell
        if "DeadKernelError" not in (result.get("log") or "") + (result.get("error") or ""):
            break
    shutil.rmtree(root / SALVAGE_DIR / student, ignore_errors=True)
    return reply


def _add_scores(api: Any, assignment: str, reply: Reply) -> None:
    """The gradebook's numbers for the summary, read here where nbgrader is already imported
    (importing it in the parent would cost it seconds: nbformat alone takes about four)."""
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, course_id=api.coursedir.course_id) as gb:
        sub = gb.find_submission(assignment, reply.student)
        reply.score, reply.max_score, reply.needs_manual = sub.score, sub.max_score, bool(sub.needs_manual_grade)


def main(argv: list[str] | None = None) -> int:
    """``OPTIONS`` (``messages.WorkerOptions`` as JSON): serve students from stdin (``messages.Job`` lines).

    ``options.tmp``: where this process makes its temporary folders (kernels' run folders); the parent
    removes it when this process ends, however it ends. Kernels inherit no setting from it (not an
    environment variable): their ``tempfile`` is nbgrader's.
    """
    from course.autograde.undumpable import make_undumpable

    make_undumpable()  # this process will hold hidden tests (course.autograde.integrity.hidden)
    from course.autograde.reaper import become_subreaper

    become_subreaper()  # what a submission leaves behind comes back here, and ends (course.autograde.reaper)
    (text,) = argv if argv is not None else sys.argv[1:]
    options = WorkerOptions.from_json(text)
    if options.tmp:
        tempfile.tempdir = options.tmp
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything printed by nbgrader or a kernel must not corrupt the protocol
    sys.stdout = sys.stderr
    os.chdir(options.root)
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    from nbgrader.apps import NbGraderAPI

    config = grading_config(Path(options.root), options.timeout, options.memory_mb, options.max_output_lines)
    api = NbGraderAPI(config=config)
    from course.autograde.gradebook import gradebook_problem

    problem = gradebook_problem(api.coursedir.db_url, api.coursedir.course_id)
    if problem:  # never ready: the parent stops with this line instead of failing every student
        print(problem, file=sys.stderr)
        return 3
    protocol.write(READY + "\n")
    for line in sys.stdin:
        if line.strip():
            protocol.write(grade_one(api, options.assignment, Job.from_json(line)).to_json() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
