"""Autograde a class in parallel with nbgrader, and say plainly what went wrong for whom.

nbgrader grades one submission after another (its #174, open since 2015). Here ``--jobs`` worker processes
(``course.autograde.worker``), each running nbgrader's own Autograde through ``NbGraderAPI``, take students from
a shared queue, so the work spreads over the cores and no worker idles while another has a backlog. Each student
is graded by exactly one worker, with the same converter and preprocessors as ``nbgrader autograde``: the
gradebook ends up as a serial run leaves it (``tests/autograde/test_grade.py`` compares the two).

Safety:

- sqlite and several writers: each worker writes only its own students' rows, in short transactions (sqlite
  waits up to 5 s for a lock); a submission that still meets "database is locked" is graded again
  (``course.autograde.worker.RETRIES``).
- Ctrl-C reaches only this process (workers run in their own session): it stops the workers and their kernels,
  removes the half-written autograded folder of any student in flight, and keeps every student already graded.
  If this process dies, workers see their input close, finish the student in hand and exit.
- Resume: a student whose autograded notebooks exist and are newer than the submitted ones is skipped, unless
  ``force``; so re-running after an interruption grades only what is left, and a late re-submission is graded.
- Student code runs under bubblewrap where the machine allows (``course.sandbox.jail``); ``require`` it or not.
"""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from course import coursedir
from course.autograde.integrity import checks as integrity_checks
from course.autograde.kernel_limits import DEFAULT_MEMORY_MB
from course.autograde.messages import READY, Job, Reply, WorkerOptions
from course.autograde.progress import Progress
from course.autograde.submissions import (
    Finding,
    explain_failure,
    inspect,
    notes_from_autograded,
    released_notebooks,
)
from course.autograde.undumpable import make_undumpable
from course.coursedir import SALVAGE_DIR
from course.sandbox import jail

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(ValueError):
    """The command cannot start: no such assignment, no submissions, unknown student."""


@dataclass
class Options:
    """One grading run. ``timeout``: seconds per cell (None: nbgrader_config.py's Execute.timeout)."""

    root: Path
    assignment: str
    jobs: int = 2
    students: list[str] = field(default_factory=list)
    timeout: int | None = None
    memory_mb: int = DEFAULT_MEMORY_MB
    max_output_lines: int = 1000
    force: bool = False
    salvage: bool = False


@dataclass
class Outcome:
    """What happened to one student's submission in this run."""

    student: str
    status: str  # graded | failed | skipped | interrupted
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    score: float | None = None
    max_score: float | None = None
    needs_manual: bool = False
    seconds: float = 0.0
    # Integrity flags (course.autograde.integrity.checks): each names a trick's category in brackets; a person decides.
    flags: list[str] = field(default_factory=list)


def already_graded(root: Path, assignment: str, student: str, notebooks: list[str]) -> bool:
    """Every released notebook has an autograded copy at least as new as the submitted one. nbgrader writes an
    autograded notebook only after its grades are saved, and removes the folder of a failed submission, so this
    means "graded, and not re-submitted since"."""
    done = coursedir.step_dir(root, coursedir.AUTOGRADED, student, assignment)
    sent = coursedir.step_dir(root, coursedir.SUBMITTED, student, assignment)
    for name in notebooks:
        if not (done / name).exists():
            return False
        if (sent / name).exists() and (sent / name).stat().st_mtime > (done / name).stat().st_mtime:
            return False
    return True


def _plan(options: Options) -> tuple[list[str], list[str]]:
    root = Path(options.root)
    if not coursedir.is_course(root):
        raise UsageError(coursedir.not_a_course(root))
    if not coursedir.assignment_dir(root, coursedir.RELEASE, options.assignment).is_dir():
        raise UsageError(f"no released assignment {coursedir.RELEASE}/{options.assignment} (run pact-course build)")
    everyone = coursedir.students(root, coursedir.SUBMITTED, options.assignment)
    if not everyone:
        raise UsageError(f"no submissions: nothing under submitted/*/{options.assignment}/")
    unknown = sorted(set(options.students) - set(everyone))
    if unknown:
        raise UsageError(f"no submission of {options.assignment} from: {', '.join(unknown)}")
    wanted = options.students or everyone
    names = list(released_notebooks(root, options.assignment))
    if options.force:
        return list(wanted), []
    skipped = [s for s in wanted if already_graded(root, options.assignment, s, names)]
    return [s for s in wanted if s not in skipped], skipped


class _Worker:
    """One ``course.autograde.worker`` process in its own session (Ctrl-C is for the parent only)."""

    def __init__(self, options: Options, log_path: Path) -> None:
        self.log_path = log_path
        # The worker's temporary folders (its kernels' run folders) go here, and are removed with it,
        # also when it was killed (Ctrl-C) before it could remove them itself.
        self.tmp = log_path.with_suffix(".tmp")
        self.tmp.mkdir(exist_ok=True)
        log: IO[bytes] = log_path.open("ab")
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        settings = WorkerOptions(str(Path(options.root).resolve()), options.assignment, options.timeout,
                                 options.memory_mb, options.max_output_lines, str(self.tmp))  # fmt: skip
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "course.autograde.worker", settings.to_json()],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env, start_new_session=True,
        )  # fmt: skip
        log.close()  # the child holds its own copy
        self.student: str | None = None
        self.ready = False

    def send(self, job: Job) -> None:
        self.student = job.student
        assert self.proc.stdin is not None
        self.proc.stdin.write((job.to_json() + "\n").encode())
        self.proc.stdin.flush()

    def stop(self, grace: float = 3.0) -> None:
        """Close its input; kill its process group if it has not left within ``grace`` seconds."""
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _discard_partial(root: Path, assignment: str, student: str) -> None:
    """Remove a half-written autograded folder so the next run grades the student again."""
    shutil.rmtree(coursedir.step_dir(root, coursedir.AUTOGRADED, student, assignment), ignore_errors=True)


def _outcome(options: Options, timeout: int, reply: Reply, findings: list[Finding], logdir: Path) -> Outcome:
    student = reply.student
    # nbgrader's own log of this student, for when the one-line reason is not enough.
    (logdir / f"{student}.log").write_text(reply.log + reply.error, encoding="utf-8")
    if reply.retried:
        findings = findings + [Finding("retried", f"graded again after: {', '.join(reply.retried)}")]
    flags = [integrity_checks.flag_text(f) for f in findings if integrity_checks.is_flag(f)]
    cells_by_problem: dict[tuple[str, str], list[str]] = {}
    for cell in reply.integrity:  # one flag per problem, listing its cells
        gid = f" '{cell.grade_id}'" if cell.grade_id else ""
        cells_by_problem.setdefault((cell.notebook, cell.problem), []).append(f"{cell.index + 1}{gid}")
    for (notebook, problem), cells in cells_by_problem.items():
        flags.append(f"{notebook}.ipynb cell(s) {', '.join(cells)}: scored 0, {problem}")
    if not reply.success:
        reason = explain_failure(reply.log + reply.error, findings, reply.last_cell, options.memory_mb)
        return Outcome(student, "failed", reason=reason, seconds=reply.seconds, flags=flags)
    notes = [f.message for f in findings if not integrity_checks.is_flag(f)]
    for cell in reply.salvaged:
        notes.append(
            f"graded WITHOUT {cell.notebook}.ipynb {cell.label()}: it ended the kernel, so "
            f"a copy in {SALVAGE_DIR}/ has it raise an error instead (submitted/ is unchanged); check by hand"
        )
    folder = coursedir.step_dir(options.root, coursedir.AUTOGRADED, student, options.assignment)
    for path in sorted(folder.glob("*.ipynb")):
        notes.extend(notes_from_autograded(path, timeout, options.memory_mb))
    return Outcome(
        student, "graded", notes=notes, seconds=reply.seconds, score=reply.score,
        max_score=reply.max_score, needs_manual=reply.needs_manual, flags=flags,
    )  # fmt: skip


def grade_class(options: Options, progress: Progress | None = None) -> tuple[list[Outcome], bool]:
    """Grade the planned students; return their outcomes and whether the run was interrupted."""
    make_undumpable()  # the checks read the answer key in source/ (course.autograde.integrity.checks.near_copies)
    if jail.mode() == "require" and not jail.status().confined:  # stop before anything is graded
        raise UsageError(f"{jail.ENV}=require, but student code cannot be confined: {jail.status().how}")
    todo, skipped = _plan(options)
    outcomes = {
        s: Outcome(s, "skipped", reason="already graded: see the gradebook (--force grades again)") for s in skipped
    }
    given = released_notebooks(options.root, options.assignment)
    findings = {s: inspect(options.root, options.assignment, s, given) for s in todo}
    queue = list(todo)
    if progress is None:
        progress = Progress(len(todo), stream=None)
    progress.total = len(todo)
    timeout = options.timeout or coursedir.cell_timeout(options.root)
    logdir = Path(tempfile.mkdtemp(prefix=f"pact-grade-{options.assignment}-"))
    workers: list[_Worker] = []
    selector = selectors.DefaultSelector()
    interrupted = False

    def start(n: int) -> None:
        worker = _Worker(options, logdir / f"worker-{n}.log")
        workers.append(worker)
        selector.register(worker.proc.stdout, selectors.EVENT_READ, worker)

    try:
        for n in range(max(1, min(options.jobs, len(queue)))):
            start(n)
        while any(w.student for w in workers) or (queue and workers):
            for key, _ in selector.select(timeout=1.0):
                worker: _Worker = key.data
                line = worker.proc.stdout.readline()
                if not line:  # the worker process itself died
                    selector.unregister(worker.proc.stdout)
                    workers.remove(worker)
                    worker.stop()
                    if not worker.ready:  # it could not even start: do not start it again and again
                        log = worker.log_path.read_text(errors="replace").strip().splitlines()
                        why = [line for line in log if line.startswith("cannot open the gradebook")]
                        raise UsageError(
                            "a grading process could not start: " + (why[-1] if why else " | ".join(log[-3:]))
                        )
                    if worker.student:
                        _discard_partial(options.root, options.assignment, worker.student)
                        outcomes[worker.student] = Outcome(
                            worker.student, "failed",
                            reason=f"the grading process crashed (log: {logdir}); grade this student again",
                        )  # fmt: skip
                        progress.finished(failed=True)
                    if queue:
                        start(len(workers) + 100)
                    continue
                if line.decode().strip() == READY:
                    worker.ready = True
                else:
                    reply = Reply.from_json(line)
                    result = _outcome(options, timeout, reply, findings.get(reply.student, []), logdir)
                    outcomes[result.student] = result
                    worker.student = None
                    progress.finished(failed=result.status == "failed")
                if queue:
                    # Always force: this run already decided who needs grading (resubmitted or
                    # --force), and nbgrader on its own skips any student with an autograded folder.
                    worker.send(Job(queue.pop(0), force=True, salvage=options.salvage))
            progress.tick()
    except KeyboardInterrupt:
        interrupted = True
        for worker in workers:
            if worker.student:
                os.killpg(worker.proc.pid, signal.SIGKILL)
                worker.proc.wait()
                _discard_partial(options.root, options.assignment, worker.student)
                outcomes[worker.student] = Outcome(worker.student, "interrupted", reason="stopped by Ctrl-C")
                worker.student = None
    finally:
        for worker in workers:
            worker.stop()
        progress.close()
    for student in queue:
        outcomes[student] = Outcome(student, "interrupted", reason="not started")
    for outcome in outcomes.values():
        log = logdir / f"{outcome.student}.log"
        if outcome.status == "failed" and log.exists():
            outcome.notes.append(f"nbgrader's log: {log}")
    if not interrupted and all(o.status != "failed" for o in outcomes.values()):
        shutil.rmtree(logdir, ignore_errors=True)  # nothing to look into
    decided = {o.student: o.flags for o in outcomes.values() if o.status in ("graded", "failed")}
    if decided:
        integrity_checks.save_flags(options.root, options.assignment, decided)
    wanted = options.students or coursedir.students(options.root, coursedir.SUBMITTED, options.assignment)
    return [outcomes[s] for s in wanted if s in outcomes], interrupted


def exit_status(outcomes: list[Outcome], interrupted: bool) -> int:
    """0: every submission graded (or already graded); 1: some failed; 130: interrupted."""
    if interrupted:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if any(o.status == "failed" for o in outcomes) else EXIT_OK
