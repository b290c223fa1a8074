"""Hidden cases drawn from the instructor's seed (issue 15): the answer key passes under any seed, the same seed
grades the same, and an answer hard-coded for the public cases fails under an instructor's seed.

The fast part runs each test cell on the grader's side (:func:`course.autograde.integrity.hidden.run_trusted`,
what grading runs) on the answer key's definitions; the slow part grades with ``course.autograde.run``
(real nbgrader and kernels) under two seeds.
"""

from __future__ import annotations

import itertools
import json
import linecache
import os
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from course.autograde.integrity import hidden
from course.grading import cases, seed
from course.grading.submit import collect
from course.notebooks import cell_source, grade_id, is_test_cell
from tests.conftest import ROOT

SEEDED = ["02-games-of-deterrence", "03-alliances-and-credibility", "05-policy-memo"]
_cells = itertools.count()


def _use_seed(monkeypatch: pytest.MonkeyPatch, folder: Path, text: str) -> None:
    """Grade with ``text`` as the instructor's seed of this course (the repository's and its copies' id)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pact-course").write_text(text + "\n", encoding="utf-8")
    monkeypatch.setenv(seed.DIR_VARIABLE, str(folder))


def _key_namespace(nb: dict, replace: dict[str, str] | None = None) -> tuple[dict, list[str]]:
    """The answer key's definitions, as a kernel holds them (cell sources in linecache), and its code cells."""
    namespace: dict = {"__name__": "__main__"}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or is_test_cell(cell):
            continue
        source = (replace or {}).get(grade_id(cell) or "", cell_source(cell))
        filename = f"/tmp/ipykernel_hidden_cases/cell{next(_cells)}.py"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), namespace)
    return namespace, [cell_source(c) for c in nb["cells"] if c["cell_type"] == "code"]


def _grade_cells(aid: str, replace: dict[str, str] | None = None) -> dict[str, tuple[str, str] | None]:
    """Each test cell's verdict on the grader's side: None (passed) or (error name, message)."""
    path = next((ROOT / "source" / aid).glob("*.ipynb"))
    nb = json.loads(path.read_text(encoding="utf-8"))
    namespace, _ = _key_namespace(nb, replace)
    verdicts, history = {}, []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = cell_source(cell)
        if is_test_cell(cell):
            verdicts[grade_id(cell)] = hidden.run_trusted(
                source, collect(namespace, hidden.names_read(source)), history
            )
        history.append(hidden.visible_part(source))
    return verdicts


@pytest.mark.parametrize("aid", SEEDED)
def test_the_answer_key_passes_every_test_under_several_seeds(aid, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT / "source" / aid)  # the grader's folder: its samples, and the course above it
    for text in ("instructor-a", "instructor-b", seed.PUBLIC):
        _use_seed(monkeypatch, tmp_path / text, text)
        verdicts = _grade_cells(aid)
        assert verdicts and all(v is None for v in verdicts.values()), (text, verdicts)


def _split_forces(budget, threat_europe, threat_asia):  # noqa: ANN001, ANN202 - the reference, for the table
    risks = {e: Fraction(threat_europe) / (1 + e) + Fraction(threat_asia) / (1 + budget - e) for e in range(budget + 1)}
    europe = max(e for e, r in risks.items() if r == min(risks.values()))
    return europe, budget - europe


def hard_coded_split_forces() -> str:
    """A split_forces that knows only the answers to the public cases (read from source/ and computed with the
    public seed) and to the visible tests, with the rule on negative arguments."""
    kinds = cases.split_cases(seed.rng("03-alliances-and-credibility", "split_forces", seed=seed.PUBLIC))
    known = [(4, 1, 1), (3, 1, 1), (5, 4, 1), (0, 3, 3), *(c for k in kinds if k != "invalid" for c in kinds[k])]
    table = {args: _split_forces(*args) for args in known}
    return (
        "def split_forces(budget, threat_europe, threat_asia):\n"
        "    if min(budget, threat_europe, threat_asia) < 0:\n"
        "        raise ValueError('no negative arguments')\n"
        f"    return {table!r}.get((budget, threat_europe, threat_asia), (budget, 0))\n"
    ).replace("Fraction(", "__import__('fractions').Fraction(")


def test_an_answer_hard_coded_for_the_public_cases_fails_under_an_instructor_seed(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT / "source" / "03-alliances-and-credibility")
    replace = {"answer_split_forces": hard_coded_split_forces()}
    _use_seed(monkeypatch, tmp_path / "public", seed.PUBLIC)
    public = _grade_cells("03-alliances-and-credibility", replace)
    assert public["test_split_forces"] is None and public["test_split_forces_edge_cases"] is None
    _use_seed(monkeypatch, tmp_path / "instructor", "instructor-a")
    graded = _grade_cells("03-alliances-and-credibility", replace)
    assert graded["test_split_forces"][0] == "WrongValue"
    assert graded["test_split_forces_edge_cases"][0] == "WrongValue"


# ---- slow: real nbgrader, grading runs under two seeds ----------------------------------------------------------

_GENERATE = """
import sys
from traitlets.config.loader import PyFileConfigLoader
from nbgrader.apps import NbGraderAPI
api = NbGraderAPI(config=PyFileConfigLoader("nbgrader_config.py", path=sys.argv[1]).load_config())
result = api.generate_assignment(sys.argv[2], force=True)
assert result["success"], result["log"] + result.get("error", "")
"""


@pytest.mark.nbgrader
@pytest.mark.slow
def test_same_seed_same_grades_and_a_hard_coded_answer_loses_under_the_instructor_seed(tmp_path, monkeypatch):
    from course.autograde.run import Options, grade_class

    aid = "03-alliances-and-credibility"
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(ROOT / "source" / aid, root / "source" / aid)
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    subprocess.run([sys.executable, "-c", _GENERATE, str(root), aid], cwd=root, env=env, check=True,
                   capture_output=True, timeout=600)  # fmt: skip
    key = ROOT / "tests" / "data" / "cheats" / aid / "honest-solution"
    for student in ("key", "hardcoded"):
        shutil.copytree(key, root / "submitted" / student / aid)
    path = next((root / "submitted" / "hardcoded" / aid).glob("*.ipynb"))
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if grade_id(c) == "answer_split_forces")
    cell["source"] = hard_coded_split_forces().splitlines(True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")

    def grade(text: str) -> dict[str, float | None]:
        _use_seed(monkeypatch, tmp_path / "seeds" / text, text)
        outcomes, interrupted = grade_class(Options(root=root, assignment=aid, jobs=2, force=True))
        assert not interrupted and all(o.status == "graded" for o in outcomes), outcomes
        return {o.student: o.score for o in outcomes}

    public, instructor, again = grade(seed.PUBLIC), grade("instructor-a"), grade("instructor-a")
    assert public["hardcoded"] == public["key"]  # the public cases are known to anyone who reads source/
    assert instructor["key"] == public["key"] and instructor["hardcoded"] < instructor["key"]
    assert again == instructor  # re-grading with the same seed gives the same scores
