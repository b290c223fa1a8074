"""Every assignment, end to end with real nbgrader: build, leak checks, execution, and a grading round trip.

One temporary course is built and graded once per session (on one xdist worker): the answer key is
submitted as student ``alice`` and the untouched exercise as ``bob``, then autograded in one run each and given
feedback with ``pact-course feedback``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.autograde.build import build, check_release, check_solutions
from tests.conftest import ROOT
from tests.course_copy import assignments, course_copy, normalised
from tests.notebooks import execute

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow, pytest.mark.xdist_group("assignments")]

IDS = assignments()
STUDENTS = {"alice": "solutions", "bob": "exercises"}


def _nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess:
    # nbgrader's gradebook shells out to `alembic`: the venv's bin must be on PATH.
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    root = course_copy(tmp_path_factory.mktemp("assignments"))
    build(root)
    return root


@pytest.fixture(scope="session")
def graded(built) -> Path:
    for student, folder in STUDENTS.items():
        for aid in IDS:
            dest = built / "submitted" / student / aid
            shutil.copytree(built / folder / aid, dest)
            for extra in (ROOT / folder / aid).iterdir():  # decision logs and data files beside the notebook
                if not extra.name.endswith(".ipynb") and extra.is_file():
                    shutil.copy(extra, dest / extra.name)
    for aid in IDS:
        done = _nbgrader(built, "autograde", aid)
        assert done.returncode == 0, f"autograde {aid} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        done = subprocess.run(
            [sys.executable, "-m", "course.cli", "feedback", aid, "--allow-pending", "--root", str(built)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"pact-course feedback {aid} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
    return built


def _notebooks(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.ipynb"))


@pytest.mark.parametrize("aid", IDS)
def test_committed_exercises_and_solutions_equal_a_fresh_build(built, aid):
    for kind in ("exercises", "solutions"):
        fresh = _notebooks(built / kind / aid)
        committed = _notebooks(ROOT / kind / aid)
        assert [p.name for p in fresh] == [p.name for p in committed], f"{kind}/{aid}: run `make build`"
        for new, old in zip(fresh, committed, strict=True):
            assert normalised(new) == normalised(old), f"{kind}/{aid}/{old.name} is stale: run `make build`"


@pytest.mark.parametrize("aid", IDS)
def test_released_notebooks_hold_no_solution_hidden_test_or_output(aid):
    check_release(ROOT / "exercises" / aid)


@pytest.mark.parametrize("aid", IDS)
def test_answer_key_holds_no_hidden_test_marker_or_error(aid):
    check_solutions(ROOT / "solutions" / aid)


@pytest.mark.parametrize("aid", IDS)
def test_source_notebook_opens_with_objectives_time_and_paragraphs(aid):
    for path in _notebooks(ROOT / "source" / aid):
        cells = json.loads(path.read_text())["cells"]
        top = "".join("".join(c["source"]) for c in cells[:3]).lower()
        assert "learning objectives" in top, f"{path.name}: no learning objectives at the top"
        assert "minutes" in top or "min)" in top, f"{path.name}: no estimated time at the top"
        assert "hand in" in top, f"{path.name}: does not say what to hand in"
        assert any(f"p{n}" in top for n in range(1, 25)), f"{path.name}: cites no article paragraph at the top"


@pytest.mark.notebook
@pytest.mark.parametrize("aid", IDS)
def test_source_notebook_executes_in_a_fresh_kernel(aid, tmp_path):
    work = tmp_path / aid
    shutil.copytree(ROOT / "source" / aid, work)
    for path in _notebooks(work):
        execute(path, cwd=work)


def _scores(root: Path, aid: str, student: str):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="pact-course") as gb:
        sub = gb.find_submission(aid, student)
        auto_max = sum(g.max_score for nb in sub.notebooks for g in nb.grades if g.auto_score is not None)
        return {
            "code_score": sub.code_score,
            "max_code_score": sub.max_code_score,
            "auto": sum(g.auto_score or 0 for nb in sub.notebooks for g in nb.grades),
            "auto_max": auto_max,
            "needs_manual": sub.needs_manual_grade,
            "written_max": sub.max_written_score,
        }


@pytest.mark.parametrize("aid", IDS)
def test_answer_key_gets_full_autograded_marks(graded, aid):
    s = _scores(graded, aid, "alice")
    assert s["auto_max"] > 0, f"{aid} has no autograded points"
    assert s["auto"] == s["auto_max"], f"{aid}: the answer key scored {s['auto']} of {s['auto_max']}"


@pytest.mark.parametrize("aid", IDS)
def test_untouched_exercise_gets_zero_autograded_marks(graded, aid):
    s = _scores(graded, aid, "bob")
    assert s["auto"] == 0, f"{aid}: an untouched exercise scored {s['auto']} autograded points"


@pytest.mark.parametrize("aid", IDS)
def test_written_answers_wait_for_the_instructor(graded, aid):
    # A written answer left as "YOUR ANSWER HERE" is scored 0 by nbgrader without a person (bob);
    # a real answer (alice's exemplars) waits for the instructor.
    s = _scores(graded, aid, "alice")
    assert s["written_max"] > 0, f"{aid} has no manually graded written answer"
    assert s["needs_manual"], f"{aid}: written answers not flagged for manual grading"


@pytest.mark.parametrize("aid", IDS)
def test_feedback_shows_no_hidden_test_source(graded, aid):
    from course.autograde.feedback import hidden_lines, leaks

    secret = hidden_lines(graded, aid)
    assert secret, f"{aid} has no hidden tests to keep out of feedback"
    for student in STUDENTS:
        pages = sorted((graded / "feedback" / student / aid).glob("*.html"))
        assert pages, f"no feedback for {student} on {aid}"
        for page in pages:
            text = page.read_text(encoding="utf-8")
            assert not leaks(text, secret), f"{page} quotes hidden tests: {leaks(text, secret)[:3]}"
            assert "BEGIN HIDDEN TESTS" not in text
