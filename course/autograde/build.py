"""Instructor workflows on top of nbgrader: build the student and answer-key notebooks.

Runs nbgrader's own commands (never a home-made grader) in the course directory and adds the checks
nbgrader lacks: ``generate_solution`` exits 0 even when a cell raises, and on its own would leak hidden
tests and solution markers (notes/nbgrader-0.9.6.md). Imports nbformat lazily: it costs seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from course import coursedir
from course.notebooks import LEAK_MARKERS, cell_source


class BuildError(RuntimeError):
    """The build produced something a student must never see, or a notebook that fails."""


class WorkAtRisk(BuildError):
    """The build would delete or replace files it did not make (someone's work); nothing was changed."""

    def __init__(self, files: list[str]) -> None:
        self.files = files
        lines = "\n".join(f"  {f}" for f in files)
        super().__init__(
            f"refusing to build: it would delete or replace {len(files)} file(s) that it did not make:\n{lines}\n"
            "Move them out of exercises/ and solutions/ (work in my-work/: `make my-work`), or run "
            "`pact-course build --overwrite` (`make build OVERWRITE=1`), which first copies them to .pact-backup/."
        )


@dataclass
class BuildReport:
    """What ``build`` did, for the command line to print."""

    assignments: list[str] = field(default_factory=list)
    notebooks: int = 0
    backup: Path | None = None  # where --overwrite copied the files it replaced
    backed_up: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what else the build did on its own (a gradebook repair)


def assignments(root: Path) -> list[str]:
    """The assignment ids under ``source/`` (folders holding at least one notebook), sorted."""
    source = Path(root) / coursedir.SOURCE
    if not source.is_dir():
        return []
    return sorted(
        p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb"))
    )


def nbgrader(root: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in the course directory with this interpreter; raise on failure."""
    env = dict(os.environ)
    # nbgrader's new gradebook shells out to `alembic`: the venv's bin must be on PATH.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-25:])
        raise BuildError(f"nbgrader {' '.join(args)} failed (exit {done.returncode}):\n{tail}")
    return done


def build(root: Path, only: list[str] | None = None, *, overwrite: bool = False) -> BuildReport:
    """Regenerate ``exercises/<id>`` and ``solutions/<id>`` from ``source/<id>`` and check both.

    Before anything is written, every file those folders hold that the build did not make (an answered
    notebook, notes, decision logs: :mod:`course.autograde.manifest`) stops the build with
    :class:`WorkAtRisk`; with ``overwrite`` they are copied to ``.pact-backup/<time>/`` first.
    """
    from course.autograde import manifest
    from course.autograde.gradebook import course_db_url, repair_version_stamp

    root = Path(root).resolve()
    wanted = only or assignments(root)
    unknown = sorted(set(wanted) - set(assignments(root)))
    if unknown:
        raise BuildError(f"no such assignment in source/: {', '.join(unknown)} (have: {assignments(root)})")
    report = BuildReport()
    risky = [f for aid in wanted for f in manifest.at_risk(root, aid)]
    if risky and not overwrite:
        raise WorkAtRisk(risky)
    if risky:
        report.backup, report.backed_up = manifest.backup(root, risky), risky
    repaired = repair_version_stamp(course_db_url(root))
    if repaired:
        report.notes.append(repaired)
    report.notes.extend(instructor_seed(root))
    for aid in wanted:
        nbgrader(root, "generate_assignment", aid, "--force")
        key = coursedir.assignment_dir(root, coursedir.SOLUTION, aid)
        kept = _keep_extras(key)
        nbgrader(root, "generate_solution", aid, "--force")
        _restore_extras(key, kept)
        report.notebooks += check_release(coursedir.assignment_dir(root, coursedir.RELEASE, aid))
        check_solutions(key)
        manifest.record(root, aid)
        report.assignments.append(aid)
    return report


def instructor_seed(root: Path) -> list[str]:
    """Create the course's seed for hidden test cases if it is missing (:mod:`course.grading.seed`): what to say."""
    from course.grading import seed

    path, created = seed.ensure(coursedir.course_id(root))
    if not created:
        return []
    return [
        f"created the instructor's seed for hidden test cases: {path} (outside the course: keep it, never commit "
        "or release it; the same seed gives the same cases, so re-grading gives the same scores)"
    ]


def _keep_extras(folder: Path) -> dict[str, bytes]:
    """Files beside the answer key's notebooks (e.g. the key's own decision logs), read before a rebuild.

    ``generate_solution --force`` deletes the folder; files the build does not make again would be lost.
    """
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.suffix != ".ipynb"}


def _restore_extras(folder: Path, kept: dict[str, bytes]) -> None:
    """Put back the kept files the build did not write again (what it wrote itself wins)."""
    for name, data in kept.items():
        if not (folder / name).exists():
            (folder / name).write_bytes(data)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")).get("cells", [])


def _scan(folder: Path, what: str, *, outputs_allowed: bool) -> int:
    """Every notebook in ``folder``: no leak marker; no stored output (or, where outputs belong, no error)."""
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        raise BuildError(f"{folder}: no {what} notebooks were generated")
    for nb in notebooks:
        for index, cell in enumerate(_cells(nb)):
            text = cell_source(cell)
            for marker in LEAK_MARKERS:
                if marker in text:
                    raise BuildError(f"{nb}: cell {index} still contains {marker!r}")
            if cell.get("outputs") and not outputs_allowed:
                raise BuildError(f"{nb}: cell {index} has stored outputs")
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    raise BuildError(
                        f"{nb}: cell {index} raised {out.get('ename')}: {out.get('evalue')} "
                        "(generate_solution does not fail on this; fix the source notebook)"
                    )
    return len(notebooks)


def check_release(folder: Path) -> int:
    """No solution text, hidden test or output in the student notebooks; return how many were checked."""
    return _scan(folder, "released", outputs_allowed=False)


def check_solutions(folder: Path) -> None:
    """The answer key holds no hidden tests, no markers, and no error output."""
    _scan(folder, "solution", outputs_allowed=True)
