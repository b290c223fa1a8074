"""The mini course (tests/data/mini-course: one assignment, ``00-demo``) and its students, for tests of the
instructor's commands on real nbgrader (grade, export, feedback, build, check).

The course is built once per session by the ``mini_course`` fixture (conftest.py); a test that grades or
otherwise changes a course takes its own copy (``mini_course_copy``). Submissions are made from the
*released* notebook (what a student really gets), so nbgrader's checksums are the real ones.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

MINI = ROOT / "tests" / "data" / "mini-course"
ASSIGNMENT = "00-demo"


def build_command(root: Path) -> subprocess.CompletedProcess:
    """``pact-course build`` on ``root``, as an instructor runs it."""
    return subprocess.run(
        [sys.executable, "-m", "course.cli", "build", "--root", str(root)], capture_output=True, text=True
    )


def released(root: Path) -> dict:
    return json.loads((root / "exercises" / ASSIGNMENT / "demo.ipynb").read_text())


def cell(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def answered(nb: dict, body: str = "    return 2 * x", extra: str = "") -> dict:
    """The released notebook with ``double``'s body (and code after it) filled in."""
    nb = copy.deepcopy(nb)
    cell(nb, "answer_double")["source"] = 'def double(x):\n    """Return twice x."""\n' + body + extra
    cell(nb, "answer_memo")["source"] = "Because an unseen case checks the method."
    return nb


def submit(root: Path, student: str, nb: dict | None = None, name: str = "demo.ipynb", raw: str = "") -> Path:
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(raw or json.dumps(nb))
    return path


def env(root: Path) -> dict[str, str]:
    """The grading run's own temporary folder (beside the course), so a test can see what it leaves behind."""
    tmp = root.parent / "tmp"
    tmp.mkdir(exist_ok=True)
    return dict(os.environ, TMPDIR=str(tmp))


def cli(*args: str, root: Path) -> subprocess.CompletedProcess:
    """``pact-course <args> --root <root>`` in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "course.cli", *args, "--root", str(root)], capture_output=True, text=True, env=env(root)
    )


def rows(table: str) -> dict[str, str]:
    """The summary table of ``pact-course grade``, one text block per student (row plus continuation lines)."""
    blocks: dict[str, str] = {}
    current = None
    for line in table.splitlines()[2:]:
        if not line.strip():
            break
        if line[0] != " ":
            current = line.split()[0]
            blocks[current] = line
        elif current:
            blocks[current] += "\n" + line
    return blocks
