"""pact-course check: the saved notebook in a fresh kernel, per graded question, hidden tests never shown."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import cli
from course.grading import selfcheck
from tests.conftest import ROOT
from tests.notebooks import execute

DATA = ROOT / "tests" / "data"
CASES = DATA / "selfcheck" / "cases.ipynb"
DIES = DATA / "selfcheck" / "dies.ipynb"


def pact_course(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course.cli", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def course(mini_course) -> Path:
    """The mini course built by real nbgrader (conftest.py, once per session): exercises/ and solutions/ for
    00-demo. Read only: each test writes its student's copy in its own tmp_path."""
    return mini_course


def in_process(capsys, *args: str) -> tuple[int, str]:
    """The command in this process (saves the few seconds of importing nbformat/nbclient again)."""
    status = cli.main(list(args))
    return status, capsys.readouterr().out


def _with_answer(course: Path, tmp_path: Path, answer: str, *, notebook: str = "exercises") -> Path:
    """A student's copy of the demo notebook (exercises/ or source/) with ``answer`` in its answer cell."""
    folder = tmp_path / "00-demo"
    folder.mkdir()
    path = folder / "demo.ipynb"
    nb = json.loads((course / notebook / "00-demo" / "demo.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "answer_double":
            cell["source"] = answer
    path.write_text(json.dumps(nb))
    return path


def _solution(course: Path) -> str:
    nb = json.loads((course / "solutions" / "00-demo" / "demo.ipynb").read_text())
    (cell,) = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "answer_double"]
    return "".join(cell["source"])


KERNEL = [pytest.mark.notebook, pytest.mark.slow]


def kernel(test):
    """Runs real kernels (and, with the ``course`` fixture, real nbgrader)."""
    for mark in KERNEL:
        test = mark(test)
    return test


@kernel
def test_check_fails_the_untouched_exercise_with_exit_1(course):
    done = pact_course("check", str(course / "exercises" / "00-demo" / "demo.ipynb"))
    assert done.returncode == 1, done.stderr
    assert "FAILED  test_double" in done.stdout
    assert "NotImplementedError: an answer this test uses is not written yet" in done.stdout
    assert "answer_memo" in done.stdout and "to be graded by your instructor (not answered yet)" in done.stdout
    assert "Visible tests: 0 of 1 passed (0 of 2 points)." in done.stdout
    assert "double(-3)" not in done.stdout and "negative" not in done.stdout
    assert "WARNING" not in done.stdout + done.stderr  # the kernel's start-up noise is not shown


@kernel
def test_check_passes_the_exercise_with_the_solution_pasted_in(course, tmp_path, capsys):
    path = _with_answer(course, tmp_path, _solution(course))
    status, out = in_process(capsys, "check", str(path))
    assert status == 0, out
    assert "PASSED  test_double" in out
    assert "Visible tests: 1 of 1 passed (2 of 2 points)." in out
    assert sorted(p.name for p in path.parent.iterdir()) == ["demo.ipynb"]  # nothing written beside it


@kernel
def test_check_shows_the_visible_tests_message(course, tmp_path, capsys):
    path = _with_answer(course, tmp_path, "def double(x):\n    return x\n")
    status, out = in_process(capsys, "check", str(path))
    assert status == 1
    assert "FAILED  test_double" in out
    assert "AssertionError: double(2) should be 4" in out
    assert "Traceback" not in out


@kernel
def test_check_never_runs_or_shows_hidden_tests_of_an_instructors_copy(course, tmp_path, capsys):
    # right on the visible case, wrong on the hidden one (double(-3) == -6): still exit 0, nothing shown
    path = _with_answer(course, tmp_path, "def double(x):\n    return abs(2 * x)\n", notebook="source")
    status, out = in_process(capsys, "check", str(path))
    done = subprocess.CompletedProcess([], status, out, "")
    assert done.returncode == 0, done.stdout
    assert "This copy contained hidden tests: they were removed before running and are not shown." in done.stdout
    assert "negative" not in done.stdout and "double(-3)" not in done.stdout and "-6" not in done.stdout


@kernel
def test_check_reports_each_kind_of_cell(tmp_path):
    path = tmp_path / "cases" / "cases.ipynb"
    path.parent.mkdir()
    shutil.copy(CASES, path)
    report = selfcheck.check(path, timeout=3.0)
    by_id = {q.grade_id: q for q in report.questions}
    assert [(q.grade_id, q.kind, q.passed) for q in report.tests] == [
        ("test_square", "test", True),
        ("test_wrong", "test", False),
        ("test_hidden_only", "test", True),
        ("test_slow", "test", False),
        ("test_after", "test", True),  # the run goes on after a cell is interrupted
    ]
    assert by_id["test_wrong"].message == ("AssertionError: square(2) should be 5 (this test fails on purpose)")
    assert by_id["test_slow"].message == "this cell took longer than 3.0 s and was interrupted"
    assert by_id["test_hidden_only"].hidden_only
    assert by_id["answer_essay"].self_assessment == ["I named two actors.", "I cited a p-id."]
    assert not by_id["answer_essay"].answered
    assert by_id["answer_memo"].self_assessment == ["Did I weigh both sides?"]
    assert report.errors == [(2, "NameError: name 'undefined_name' is not defined")]
    assert not report.ok
    text = report.render()
    assert sorted(p.name for p in path.parent.iterdir()) == ["cases.ipynb"]  # nothing written beside it
    # the how-to page shows this very report: it must not drift from what the command prints
    page = (ROOT / "docs" / "how-to" / "check-your-work.md").read_text(encoding="utf-8")
    shown = page.split("```text\n", 1)[1].split("```", 1)[0]
    assert _without_timing(shown) == _without_timing(text + "\n")


def _without_timing(report: str) -> list[str]:
    return [line for line in report.splitlines() if "run from the top in a fresh kernel" not in line]


@kernel
def test_check_reports_a_kernel_that_dies(capsys):
    status, out = in_process(capsys, "check", str(DIES))
    assert status == 1
    assert "PASSED  test_first" in out and "NOT RUN test_never" in out
    assert "The kernel stopped at cell 2" in out


@kernel
def test_check_notebook_from_inside_a_kernel_checks_the_saved_file(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("def square(x):\n    return x * x"),
        nbformat.v4.new_code_cell(
            'assert square(3) == 9, "square(3) should be 9"',
            metadata={
                "nbgrader": {
                    "grade": True,
                    "grade_id": "test_square",
                    "points": 1,
                    "solution": False,
                    "locked": True,
                    "schema_version": 3,
                    "task": False,
                }
            },
        ),
        nbformat.v4.new_code_cell("from course.selfcheck import check_notebook\nstatus = check_notebook()"),
        nbformat.v4.new_code_cell("print('status', status)"),
    ]
    path = tmp_path / "inside.ipynb"
    nbformat.write(nb, path)
    done = execute(path, env={"JPY_SESSION_NAME": str(path)})  # as JupyterLab tells the kernel
    printed = "".join(o.get("text", "") for c in done.cells[2:] for o in c.outputs)
    assert "Checking the saved file inside.ipynb (saved" in printed
    assert "Changes you have not saved are not included" in printed
    assert "PASSED  test_square" in printed
    assert "status 0" in printed


def test_check_notebook_asks_for_the_path_when_it_cannot_tell(monkeypatch, capsys):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delenv(selfcheck.SELFCHECK_ENV, raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert selfcheck.check_notebook() is None
    assert "I could not tell which notebook this is: call check_notebook('your-notebook.ipynb')" in (
        capsys.readouterr().out
    )
    monkeypatch.setenv(selfcheck.SELFCHECK_ENV, "1")
    assert selfcheck.check_notebook(CASES) is None
    assert "does nothing while a check or the grader runs this notebook" in capsys.readouterr().out


def test_check_command_refuses_what_is_not_a_notebook(tmp_path):
    done = pact_course("check", str(tmp_path / "missing.ipynb"))
    assert done.returncode == 2 and "no such notebook" in done.stderr
    bad = tmp_path / "bad.ipynb"
    bad.write_text("not json")
    done = pact_course("check", str(bad))
    assert done.returncode == 2 and "cannot be read as a notebook" in done.stderr


def test_strip_hidden_tests_keeps_the_visible_part():
    source = "assert a\n### BEGIN HIDDEN TESTS\nassert b\n### END HIDDEN TESTS\nassert c"
    assert selfcheck.strip_hidden_tests(source) == ("assert a\nassert c", True)
    assert selfcheck.strip_hidden_tests("assert a") == ("assert a", False)


def test_questions_of_attaches_self_assessment_to_the_answer_above():
    cells = json.loads(CASES.read_text())["cells"]
    found = {q.grade_id: q for q in selfcheck.questions_of(cells)}
    assert found["answer_essay"].self_assessment == ["I named two actors.", "I cited a p-id."]
    assert found["test_square"].points == 2 and found["test_square"].cell == 4


def test_copy_folder_takes_data_files_but_not_notebooks_or_hidden_folders(tmp_path, monkeypatch):
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    (src / ".ipynb_checkpoints").mkdir()
    (src / "data" / "log.json").write_text("{}")
    (src / "helper.py").write_text("X = 1")
    (src / "other.ipynb").write_text("{}")
    (src / ".ipynb_checkpoints" / "x.txt").write_text("x")
    (src / "big.bin").write_bytes(b"0" * 2000)
    monkeypatch.setattr(selfcheck, "COPY_LIMIT", 1000)
    selfcheck._copy_folder(src, tmp_path / "dst")
    copied = sorted(str(p.relative_to(tmp_path / "dst")) for p in (tmp_path / "dst").rglob("*") if p.is_file())
    assert copied == ["data/log.json", "helper.py"]
