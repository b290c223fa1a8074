"""One long-lived grading process: nbgrader's own Autograde, one student at a time.

``pact-course grade`` starts ``--jobs`` of these (``python -m course.autograde.worker``) and hands each
student to whichever is free. Why long-lived processes: importing nbgrader costs about five seconds
(notes/nbgrader-0.9.6.md), so one ``nbgrader autograde --student`` per student would spend more
time starting than grading; a worker pays it once and then grades in ~1.5 s per small notebook.

Protocol (JSON lines): the worker prints ``{"ready": true}``; then for each line
``{"student": ID, "force": BOOL}`` read from stdin it prints one result line
``{"student", "success", "log", "error", "last_cell", "seconds", "score", "max_score",
"needs_manual"}``. stdout carries only these lines; everything else (nbgrader, kernels) goes
to stderr, which the parent sends to a log file.

The grading itself is ``NbGraderAPI.autograde``: the same converter, preprocessors and gradebook
writes as the ``nbgrader autograde`` command, with four additions that do not change a score:

- kernels start under ``course.autograde.kernel_limits`` (memory cap, die with this process);
- ``TracingExecute`` (nbgrader's Execute) remembers which cell it started last, so that a kernel
  that dies can be reported with the cell that killed it;
- a submission that fails only for a reason outside the student's code ("database is locked",
  an output or kernel-start time-out on a loaded machine: ``TRANSIENT``) is graded again;
- each notebook's kernel is started while the previous notebook runs and killed once its outputs are in
  (``course.autograde.kernel_pool``: the same fresh kernel, started earlier), so a worker does not wait for kernels.

and one that changes the score of a submission that games the grader, and of no other: ``TracingExecute``
runs the kernel in a scratch folder outside the course and checks that each test cell ran to its end
against the unchanged kit (``course.autograde.integrity.run``); a test cell that did not scores 0 and is reported in
the reply's ``"integrity"`` list. ``nbgrader_config.py`` uses the same step, so a serial ``nbgrader
autograde`` gives the same scores.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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

# Where TracingExecute records the cell it started last (one student at a time per process).
_LAST_CELL: dict[str, Any] = {}
# Test cells that showed no error but failed the reached-the-end check (course.autograde.integrity.run).
_INTEGRITY: list[dict[str, Any]] = []


def grading_config(
    root: Path, timeout: int | None, memory_mb: int, max_output_lines: int | None, warm_kernels: bool = True
) -> Any:
    """The course's nbgrader_config.py plus the grading run's limits, as a traitlets Config.

    Loads the file explicitly: ``NbGraderAPI()`` on its own ignores nbgrader_config.py. ``warm_kernels``:
    start each notebook's kernel while the previous notebook runs (``course.autograde.kernel_pool``).
    """
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    if timeout:
        config.Execute.timeout = int(timeout)
    if max_output_lines is not None:
        config.LimitOutput.max_lines = int(max_output_lines)
    config.Execute.kernel_manager_class = "course.autograde.worker.LimitedKernelManager"
    config.LimitedKernelManager.memory_mb = int(memory_mb)
    config.TracingExecute.warm_kernels = bool(warm_kernels)
    from nbgrader.converters.autograde import Autograde

    config.Autograde.autograde_preprocessors = [
        "course.autograde.worker.TracingExecute" if getattr(pp, "__name__", "") == "Execute" else pp
        for pp in Autograde.class_traits()["autograde_preprocessors"].default()
    ]
    return config


def _classes() -> tuple[type, type]:
    """Define the nbgrader/jupyter_client subclasses on first use (their imports cost seconds)."""
    from jupyter_client.manager import AsyncKernelManager
    from nbgrader.preprocessors import Execute
    from traitlets import Bool, Integer

    class LimitedKernelManager(AsyncKernelManager):
        """A kernel manager whose kernels start under ``course.autograde.kernel_limits``."""

        memory_mb = Integer(4096, help="Address-space cap of the kernel in MiB (0: none).").tag(config=True)

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            cmd = super().format_kernel_cmd(extra_arguments)
            prefix = [sys.executable, "-m", "course.autograde.kernel_limits", "--memory-mb", str(self.memory_mb), "--"]
            return prefix + cmd

    class TracingExecute(Execute):
        """nbgrader's Execute, remembering the cell it is running (for 'the kernel died in ...'), run in a
        scratch folder outside the course, with each test cell's end verified (``course.autograde.integrity.run``)."""

        warm_kernels = Bool(
            False, help="Start each notebook's kernel while the previous notebook runs (course.autograde.kernel_pool)."
        ).tag(config=True)

        def preprocess(self, nb, resources=None, km=None):  # noqa: ANN001 - nbconvert's signature
            from course.autograde.integrity import run as integrity_run

            meta = (resources or {}).setdefault("metadata", {})
            here = Path(meta.get("path") or ".")
            name = f"{(resources or {}).get('unique_key') or 'notebook'}.ipynb"
            if not here.is_dir():
                return super().preprocess(nb, resources, km)
            warm = self._warm_kernel(nb, here.name) if km is None and self.warm_kernels else None
            if warm is not None:
                scratch = warm.folder
                integrity_run.fill_scratch_folder(scratch, here, nb, name)
            else:
                scratch = integrity_run.scratch_folder(here, nb, name)
            meta["path"] = str(scratch)
            try:
                return super().preprocess(nb, resources, warm.km if warm is not None else km)
            finally:
                meta["path"] = str(here)
                if warm is not None:
                    from course.autograde.kernel_pool import POOL

                    POOL.dispose(warm, self.kc)
                    self.kc = self.km = None
                else:
                    shutil.rmtree(scratch.parent, ignore_errors=True)

        def _warm_kernel(self, nb, leaf):  # noqa: ANN001, ANN202 - nbconvert's types
            """This notebook's kernel, started earlier if one was started exactly so; and the next one's."""
            from nbclient import NotebookClient

            from course.autograde.kernel_pool import POOL, environment_digest

            # ExecutePreprocessor.preprocess starts with this re-initialisation, which is when the configured
            # traits (kernel_manager_class: the memory-capped manager) replace the constructor's defaults.
            NotebookClient.__init__(self, nb)
            kernel_name = self.kernel_name or nb.metadata.get("kernelspec", {}).get("name") or ""

            def manager():  # noqa: ANN202
                # As nbclient's create_kernel_manager makes it.
                if not kernel_name:
                    return self.kernel_manager_class(config=self.config)
                return self.kernel_manager_class(kernel_name=kernel_name, config=self.config)

            km = manager()
            arguments = list(self.extra_arguments)
            # As nbclient's async_start_new_kernel adds it.
            if (
                km.ipykernel
                and self.ipython_hist_file
                and not any(a.startswith("--HistoryManager.hist_file") for a in arguments)
            ):
                arguments.append(f"--HistoryManager.hist_file={self.ipython_hist_file}")
            kind = type(km)
            section = self.config.get(kind.__name__, {})
            key = (
                kernel_name, tuple(arguments), leaf, environment_digest(),
                f"{kind.__module__}.{kind.__qualname__}", repr(sorted(section.items())),
            )  # fmt: skip
            warm = POOL.take(key) or POOL.start(km, key, leaf, arguments)
            POOL.prepare(manager(), key, leaf, arguments)
            return warm

        def preprocess_cell(self, cell, resources, index):  # noqa: ANN001 - nbconvert's signature
            if cell.get("cell_type") != "code":
                return super().preprocess_cell(cell, resources, index)
            from course.autograde.integrity import run as integrity_run

            if integrity_run.is_test_cell(cell):
                original = cell.source
                cell.source, token = integrity_run.stamp(original)
                # Remove the notebook's own IPython hooks first (silently: the kernel's reply only).
                self.wait_for_reply(self.kc.execute(integrity_run.GUARD, silent=True, store_history=False))
                try:
                    cell, resources = self._traced(cell, resources, index, original)
                finally:
                    cell.source = original
                problem = integrity_run.verify(cell, token)
                if problem:
                    _INTEGRITY.append(
                        {
                            "notebook": _LAST_CELL.get("notebook"),
                            "index": index,
                            "grade_id": _LAST_CELL.get("grade_id"),
                            "problem": problem,
                        }
                    )
                return cell, resources
            return self._traced(cell, resources, index)

        def _traced(self, cell, resources, index, source=None):  # noqa: ANN001, ANN202 - nbconvert's signature
            from course.notebooks import cell_source, grade_id

            text = cell_source(cell) if source is None else source
            first = next((line for line in text.splitlines() if line.strip()), "")
            _LAST_CELL.update(
                index=index,
                grade_id=grade_id(cell),
                first_line=first[:80],
                notebook=str((resources or {}).get("unique_key") or ""),
            )
            return super().preprocess_cell(cell, resources, index)

    return LimitedKernelManager, TracingExecute


def __getattr__(name: str) -> Any:
    # Lets traitlets import "course.autograde.worker.LimitedKernelManager" by name, lazily.
    if name in ("LimitedKernelManager", "TracingExecute"):
        manager, execute = _classes()
        globals().update(LimitedKernelManager=manager, TracingExecute=execute)
        return globals()[name]
    raise AttributeError(name)


def grade_one(api: Any, assignment: str, student: str, force: bool, salvage: bool = False) -> dict[str, Any]:
    """Autograde one student with nbgrader; retry only when sqlite was locked by another worker."""
    started = time.monotonic()
    retried: list[str] = []
    for attempt in range(RETRIES + 1):
        _LAST_CELL.clear()
        _INTEGRITY.clear()
        # force=True on a retry: the failed attempt may have left a partial autograded folder.
        result = api.autograde(assignment, student, force=force or attempt > 0, create=True)
        text = (result.get("log") or "") + (result.get("error") or "")
        cause = next((t for t in TRANSIENT if t in text), None)
        if result.get("success") or cause is None or attempt == RETRIES:
            break
        retried.append(cause)
        time.sleep(0.5 * (attempt + 1))
    reply = {
        "student": student,
        "success": bool(result.get("success")),
        "log": result.get("log") or "",
        "error": result.get("error") or "",
        "last_cell": dict(_LAST_CELL) or None,
        "seconds": round(time.monotonic() - started, 3),
        "attempts": attempt + 1,
        "retried": retried,
        "integrity": list(_INTEGRITY),
    }
    if not reply["success"] and salvage and "DeadKernelError" in reply["log"] + reply["error"]:
        reply = _salvage(api, assignment, student, reply)
    if reply["success"]:
        reply.update(_scores(api, assignment, student))
    return reply


SALVAGE_DIR = ".pact-salvaged"
SALVAGE_ROUNDS = 3


def _salvage(api: Any, assignment: str, student: str, reply: dict[str, Any]) -> dict[str, Any]:
    """Grade a copy of the submission in which each cell that killed the kernel raises instead.

    Opt-in (``pact-course grade --salvage``): nbgrader drops a whole submission whose kernel dies,
    though usually one cell did it. The copy lives in SALVAGE_DIR (the student's file in submitted/
    is never touched); the replaced cell shows a RuntimeError saying why, in the autograded notebook
    and the feedback, and the report lists every replaced cell. A locked (test) cell cannot be
    replaced (nbgrader restores it), so a kernel killed by a test cell stays a failure.
    """
    from nbgrader.utils import temp_attrs

    from course.notebooks import is_locked

    root = Path(api.coursedir.root)
    source = root / "submitted" / student / assignment
    copy = root / SALVAGE_DIR / student / assignment
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(source, copy)
    removed: list[dict[str, Any]] = []
    last = reply.get("last_cell")
    for _ in range(SALVAGE_ROUNDS):
        if not last or not last.get("notebook"):
            break
        path = copy / f"{last['notebook']}.ipynb"
        nb = json.loads(path.read_text(encoding="utf-8"))
        cell = nb["cells"][last["index"]]
        if is_locked(cell):
            break
        cell["source"] = (
            "raise RuntimeError('pact-course: this cell ended the Python kernel when graded "
            "(os._exit, a crash, or memory), so it was not run')"
        )
        path.write_text(json.dumps(nb), encoding="utf-8")
        removed.append(dict(last))
        _LAST_CELL.clear()
        _INTEGRITY.clear()
        with temp_attrs(api.coursedir, submitted_directory=str(Path(SALVAGE_DIR))):
            result = api.autograde(assignment, student, force=True, create=True)
        if result.get("success"):
            return {**reply, "success": True, "salvaged": removed, "log": result.get("log") or "",
                    "integrity": list(_INTEGRITY)}  # fmt: skip
        last = dict(_LAST_CELL) or None
        if "DeadKernelError" not in (result.get("log") or "") + (result.get("error") or ""):
            break
    shutil.rmtree(root / SALVAGE_DIR / student, ignore_errors=True)
    return reply


def _scores(api: Any, assignment: str, student: str) -> dict[str, Any]:
    """The gradebook's numbers for the summary, read here where nbgrader is already imported
    (importing it in the parent would cost it seconds: nbformat alone takes about four)."""
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, course_id=api.coursedir.course_id) as gb:
        sub = gb.find_submission(assignment, student)
        return {"score": sub.score, "max_score": sub.max_score, "needs_manual": bool(sub.needs_manual_grade)}


def main(argv: list[str] | None = None) -> int:
    """``ROOT ASSIGNMENT TIMEOUT MEMORY_MB MAX_OUTPUT_LINES [TMP]``: serve students from stdin.

    TMP: where this process makes its temporary folders (kernels' run folders); the parent removes it
    when this process ends, however it ends. Kernels inherit no setting from it (not an environment
    variable): their ``tempfile`` is nbgrader's.
    """
    args = list(argv if argv is not None else sys.argv[1:])
    root, assignment, timeout, memory_mb, max_lines = args[:5]
    if len(args) > 5:
        tempfile.tempdir = args[5]
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything printed by nbgrader or a kernel must not corrupt the protocol
    sys.stdout = sys.stderr
    os.chdir(root)
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    from nbgrader.apps import NbGraderAPI

    config = grading_config(Path(root), int(timeout) or None, int(memory_mb), int(max_lines))
    api = NbGraderAPI(config=config)
    from course.autograde.gradebook import gradebook_problem

    problem = gradebook_problem(api.coursedir.db_url, api.coursedir.course_id)
    if problem:  # never ready: the parent stops with this line instead of failing every student
        print(problem, file=sys.stderr)
        return 3
    protocol.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        reply = grade_one(api, assignment, job["student"], bool(job.get("force")), bool(job.get("salvage")))
        protocol.write(json.dumps(reply) + "\n")
    return 0


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy: traitlets imports
    # course.autograde.worker.TracingExecute by name, and it must share _LAST_CELL with main.
    from course.autograde.worker import main as _main

    sys.exit(_main())
