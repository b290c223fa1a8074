"""`pact-course build` on a small course: real nbgrader, leak checks, failing-cell detection."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from course.autograde.build import BuildError, build, check_release, check_solutions
from tests.conftest import ROOT
from tests.mini_course import MINI

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]


def _course(where: Path) -> Path:
    """A course of the mini assignment's source only, for a test that builds (changes) it itself."""
    shutil.copytree(MINI / "source", where / "source")
    shutil.copy(ROOT / "nbgrader_config.py", where / "nbgrader_config.py")
    return where


@pytest.fixture(scope="module")
def built(mini_course_build) -> Path:
    """The session's mini course, which ``pact-course build`` built (conftest.py): read only."""
    root, done = mini_course_build
    assert "built 1 assignment(s), 1 notebook(s): 00-demo" in done.stdout
    return root


def _sources(path: Path) -> list[str]:
    cells = json.loads(path.read_text())["cells"]
    return ["".join(c["source"]) for c in cells]


def test_build_releases_without_solutions_or_hidden_tests(built):
    text = "\n".join(_sources(built / "exercises" / "00-demo" / "demo.ipynb"))
    assert "return 2 * x" not in text and "double(-3)" not in text
    assert "raise NotImplementedError()" in text and "assert double(2) == 4" in text


def test_build_answer_key_keeps_solutions_but_no_markers_or_hidden_tests(built):
    key = built / "solutions" / "00-demo" / "demo.ipynb"
    text = "\n".join(_sources(key))
    assert "return 2 * x" in text
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert "double(-3)" not in text and "HIDDEN" not in text
    check_solutions(key.parent)


def test_build_rejects_an_answer_key_cell_that_raises(tmp_path):
    root = _course(tmp_path)
    nb_path = root / "source" / "00-demo" / "demo.ipynb"
    nb = json.loads(nb_path.read_text())
    nb["cells"][1]["source"] = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n1 / 0"
    nb_path.write_text(json.dumps(nb))
    with pytest.raises(BuildError, match=r"cell 1 raised ZeroDivisionError"):
        build(root)


def test_check_release_names_a_leaked_hidden_test(tmp_path):
    leaked = {"cells": [{"cell_type": "code", "source": "### BEGIN HIDDEN TESTS\nassert 1\n### END HIDDEN TESTS"}]}
    (tmp_path / "a.ipynb").write_text(json.dumps(leaked))
    with pytest.raises(BuildError, match=r"a.ipynb: cell 0 still contains 'BEGIN HIDDEN TESTS'"):
        check_release(tmp_path)


def test_build_names_an_unknown_assignment(tmp_path):
    root = _course(tmp_path)
    with pytest.raises(BuildError, match=r"no such assignment in source/: 99-nothing"):
        build(root, ["99-nothing"])


def test_rebuild_keeps_files_beside_the_answer_key(tmp_path):
    root = _course(tmp_path)
    build(root)
    extra = root / "solutions" / "00-demo" / "decision-log-00-demo.json"
    extra.write_text('{"kept": true}')
    build(root)
    assert extra.read_text() == '{"kept": true}'
    assert (root / "solutions" / "00-demo" / "demo.ipynb").exists()


def test_build_creates_the_instructor_seed_outside_the_course_once(tmp_path, monkeypatch):
    """The first build on an account makes the seed of hidden cases (and says where); later builds keep it."""
    from course.autograde.build import instructor_seed
    from course.grading import seed

    root = tmp_path / "course"
    root.mkdir()
    (root / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.course_id = "my-class"\n')
    monkeypatch.setenv(seed.DIR_VARIABLE, str(tmp_path / "seeds"))
    said = instructor_seed(root)
    path = tmp_path / "seeds" / "my-class"
    assert len(said) == 1 and str(path) in said[0] and "created the instructor's seed" in said[0]
    first = path.read_text()
    assert instructor_seed(root) == [] and path.read_text() == first
    assert root not in path.parents
