"""Grading integrity: every trick of tests/data/cheats/ is neutralised or flagged; honest work never is.

The slow part grades the whole catalogue with ``course.grade`` (what ``pact-course grade`` runs), one
grading run per assignment (module-scoped fixture): each cheat, the same notebook without its trick
(``baseline``) and the honest submissions are students of that one run. For each cheat: it scores no more
than the baseline, or it is flagged with its category named; in fact every cheat here is flagged, and
those the grader neutralises (``NO_GAIN``) must also score no more. The fast part tests the static scan,
the probe and the stamp check without nbgrader.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from course.autograde.integrity import probe as integrity_probe
from course.autograde.integrity import run as integrity_run
from course.autograde.integrity.checks import load_flags, outside_folder, save_flags
from course.autograde.integrity.scan import scan_notebook
from course.autograde.submissions import Context
from course.sandbox import jail
from tests.conftest import ROOT
from tests.sandboxing import require_sandbox

CHEATS = ROOT / "tests" / "data" / "cheats"
ASSIGNMENTS = sorted(p.name for p in CHEATS.iterdir() if p.is_dir() and (ROOT / "source" / p.name).is_dir())
SUBMISSIONS = [(a, p.name) for a in ASSIGNMENTS for p in sorted((CHEATS / a).iterdir()) if p.is_dir()]
# Tricks the grading run itself defeats: the cheat scores no more than the notebook without it.
NO_GAIN = {
    "rebind-grading-function", "swap-sys-modules", "rebind-builtin-len", "read-own-notebook",
    "pre-run-hook-reads-test-cell", "profile-hook-reads-frame", "tags-from-kit-digest", "showtraceback-replaced",
    "showtraceback-wrapped", "post-run-hook-clears-error", "input-transformer-try-except", "custom-exception-handler",
    "sys-excepthook", "threshold-from-kit-solver", "edited-locked-test", "changed-points", "duplicated-test-cell",
    "kernel-exit-in-test", "system-exit-zero-in-test", "quiet-exit-in-test", "function-from-kit-solver",
    "log-with-impossible-moves", "log-of-another-scenario", "log-outcome-differs-from-replay", "rebind-engine-class",
    # issue 14: hidden tests run by the grader, strategies without the engine beside them, near copies
    "audit-hook-reads-test-cell", "tags-from-kit-digest-in-rewritten", "strategy-reaches-engine-frames",
    "strategy-reaches-engine-gc", "strategy-pasted-from-kit", "strategy-from-kit-reference",
}  # fmt: skip


def _notebook(assignment: str, name: str) -> tuple[Path, dict]:
    path = next((CHEATS / assignment / name).glob("*.ipynb"))
    return path, json.loads(path.read_text(encoding="utf-8"))


def _expect(assignment: str, name: str) -> dict:
    return _notebook(assignment, name)[1]["metadata"]["pact_cheat"]


# ---- fast: the static scan, the probe, the stamp --------------------------------------------------------------


@pytest.mark.parametrize("assignment,name", SUBMISSIONS, ids=[f"{a[:2]}-{n}" for a, n in SUBMISSIONS])
def test_scan_flags_code_tricks_and_never_honest_work(assignment: str, name: str) -> None:
    path, nb = _notebook(assignment, name)
    given = json.loads((ROOT / "exercises" / assignment / path.name).read_text(encoding="utf-8"))
    found = {s.category for s in scan_notebook(nb, given)}
    expect = set(nb["metadata"]["pact_cheat"]["expect"])
    if nb["metadata"]["pact_cheat"]["kind"] != "cheat":
        assert found == set()
    elif expect & {"edited-cells", "wargame-log", "near-copy", "outside-folder"}:
        pass  # found by submission_checks, integrity_checks.wargame_logs, .near_copies or .outside_folder
    else:
        assert found & expect, f"{name}: expected one of {expect}, scan found {found}"


@pytest.mark.parametrize("assignment,name", SUBMISSIONS, ids=[f"{a[:2]}-{n}" for a, n in SUBMISSIONS])
def test_outside_folder_flags_what_only_the_sandbox_stops_and_only_without_it(
    assignment: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = Context(ROOT, assignment, name, CHEATS / assignment / name)
    monkeypatch.setenv(jail.ENV, "off")
    found = {f.kind.removeprefix("flag:") for f in outside_folder(context)}
    expect = _expect(assignment, name)
    if expect.get("sandbox"):
        assert found == {"outside-folder"}, name
    elif expect["kind"] != "cheat":
        assert found == set(), f"{name}: {found}"
    monkeypatch.delenv(jail.ENV)
    if jail.status().confined:
        assert outside_folder(context) == []  # under bubblewrap there is nothing outside to reach


def test_scan_reads_code_not_strings() -> None:
    """A word in a comment or a string is not a construct: only code is flagged."""
    released = {"cells": []}
    honest = {
        "cells": [{"cell_type": "code", "source": "# showtraceback, sys.modules, os._exit\nx = 'set_custom_exc'"}]
    }
    assert scan_notebook(honest, released) == []
    own = "class Board:\n    pass\nb = Board()\nsetattr(b, 'turn', 1)\nname = 'turn'\nprint(getattr(b, name))"
    assert scan_notebook({"cells": [{"cell_type": "code", "source": own}]}, released) == []
    sneaky = {"cells": [{"cell_type": "code", "source": "ip = get_ipython()\nsetattr(ip, 'showtraceback', print)"}]}
    assert [s.category for s in scan_notebook(sneaky, released)] == ["hides-failures"]


def test_probe_digest_is_the_same_in_another_process() -> None:
    """The kernel and the grader compute the kit's digest in different processes (hash seeds differ)."""
    code = "import course.grading, course.engine, json\nfrom course import integrity_probe as p\n"
    code += "print(json.dumps(p.digests()))"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    theirs = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout)
    for name, digest in theirs.items():
        assert integrity_run.expected(name) == digest, name


def _ran(outputs: list[dict]) -> dict:
    return {"cell_type": "code", "metadata": {"nbgrader": {"grade": True, "solution": False}}, "outputs": outputs}


def test_verify_accepts_a_cell_that_reached_its_end_and_removes_the_marker() -> None:
    source, token = integrity_run.stamp("assert True\nprint('ok', end='')")
    assert token in source.splitlines()[-1]
    sums = ",".join(f"{k}={integrity_run.expected(k)}" for k in ("builtins", "course.grading"))
    cell = _ran(
        [{"output_type": "stream", "name": "stdout", "text": f"ok\n{integrity_probe.MARKER} {token} {sums}]\n"}]
    )
    assert integrity_run.verify(cell, token) is None
    assert cell["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "ok"}]


def test_verify_fails_a_silent_cell_and_a_changed_kit() -> None:
    _, token = integrity_run.stamp("pass")
    silent = _ran([])
    assert "[test-cell-unfinished]" in integrity_run.verify(silent, token)
    assert silent["outputs"][-1]["ename"] == "IntegrityError"
    forged = _ran(
        [{"output_type": "stream", "name": "stdout", "text": f"{integrity_probe.MARKER} {'0' * 32} builtins=x]"}]
    )
    assert "[test-cell-unfinished]" in integrity_run.verify(forged, token)
    changed = _ran(
        [{"output_type": "stream", "name": "stdout", "text": f"{integrity_probe.MARKER} {token} builtins=x]"}]
    )
    assert "[kit-changed]" in integrity_run.verify(changed, token)


def test_scratch_copy_of_the_notebook_has_no_hidden_tests(tmp_path: Path) -> None:
    source = ROOT / "source" / "01-reading-the-pact" / "reading-the-pact.ipynb"
    nb = json.loads(source.read_text(encoding="utf-8"))
    (tmp_path / "decision-log-x.json").write_text("{}")
    folder = integrity_run.scratch_folder(tmp_path, nb, source.name)
    try:
        text = (folder / source.name).read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in text and "_reference" not in text
        assert (folder / "decision-log-x.json").exists()
        assert ROOT not in folder.parents and tmp_path not in folder.parents
    finally:
        shutil.rmtree(folder.parent)


def test_flags_are_kept_per_student_across_runs(tmp_path: Path) -> None:
    """Re-grading one student replaces that student's flags only; a clean re-grade removes them."""
    save_flags(tmp_path, "02-x", {"ann": ["a [hides-failures]"], "bob": ["b [reads-answers]"]})
    save_flags(tmp_path, "02-x", {"ann": []})
    assert load_flags(tmp_path, "02-x") == {"bob": ["b [reads-answers]"]}
    assert load_flags(tmp_path, "03-y") == {}


# ---- slow: the whole catalogue through the grader -------------------------------------------------------------

_GENERATE = """
import sys
from traitlets.config.loader import PyFileConfigLoader
from nbgrader.apps import NbGraderAPI
root = sys.argv[1]
api = NbGraderAPI(config=PyFileConfigLoader("nbgrader_config.py", path=root).load_config())
for aid in sys.argv[2:]:
    result = api.generate_assignment(aid, force=True)
    assert result["success"], result["log"] + result.get("error", "")
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course with the catalogue's assignments released (gradebook entries made), in one nbgrader process."""
    root = tmp_path_factory.mktemp("integrity") / "course"
    root.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    for aid in ASSIGNMENTS:
        shutil.copytree(ROOT / "source" / aid, root / "source" / aid)
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    subprocess.run([sys.executable, "-c", _GENERATE, str(root), *ASSIGNMENTS], cwd=root, env=env, check=True,
                   capture_output=True, timeout=600)  # fmt: skip
    return root


@pytest.fixture(scope="module")
def graded(course: Path) -> Callable[[str], tuple[dict, str]]:
    """One grading run per assignment (on first use), every submission of the catalogue a student:
    the outcomes by student, and the summary table ``pact-course grade`` prints."""
    from course.autograde.progress import summary
    from course.autograde.run import Options, grade_class

    results: dict[str, tuple[dict, str]] = {}

    def run(assignment: str) -> tuple[dict, str]:
        if assignment not in results:
            for folder in sorted((CHEATS / assignment).iterdir()):
                if folder.is_dir():
                    shutil.copytree(folder, course / "submitted" / folder.name / assignment)
            outcomes, interrupted = grade_class(Options(root=course, assignment=assignment, jobs=2, force=True))
            assert not interrupted
            table = summary(outcomes, assignment, sandbox=jail.describe())
            (course / f"summary-{assignment}.txt").write_text(table, encoding="utf-8")
            by_student = {o.student: o for o in outcomes}
            assert load_flags(course, assignment) == {s: o.flags for s, o in by_student.items() if o.flags}
            results[assignment] = (by_student, table)
        return results[assignment]

    return run


def _score(outcome) -> float:  # noqa: ANN001 - course.grade.Outcome
    return outcome.score or 0.0


def _gradebook_score(root: Path, assignment: str, student: str) -> float:
    """The score the gradebook holds now (after the run: a process left behind may have edited it since)."""
    from nbgrader.api import Gradebook

    from course.coursedir import course_id, db_url

    with Gradebook(db_url(root), course_id=course_id(root)) as gb:
        return float(gb.find_submission(assignment, student).score or 0.0)


CHEAT_IDS = [(a, n) for a, n in SUBMISSIONS if _expect(a, n)["kind"] == "cheat"]
HONEST_IDS = [(a, n) for a, n in SUBMISSIONS if _expect(a, n)["kind"] != "cheat"]


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("integrity")
@pytest.mark.parametrize("assignment,name", CHEAT_IDS, ids=[f"{a[:2]}-{n}" for a, n in CHEAT_IDS])
def test_cheat_scores_no_more_or_is_flagged_by_name(graded: Callable, course: Path, assignment: str, name: str) -> None:
    outcomes, table = graded(assignment)
    cheat, baseline = outcomes[name], outcomes["baseline"]
    expect = _expect(assignment, name)["expect"]
    if _expect(assignment, name).get("sandbox"):  # only the sandbox stops it: under it, it gains nothing
        require_sandbox()
        assert _score(cheat) <= _score(baseline), f"{name}: {_score(cheat)} > baseline {_score(baseline)}"
        assert _gradebook_score(course, assignment, name) <= _score(baseline)
        assert not (course / "daemon-was-here.txt").exists()
        assert "sandbox: bubblewrap" in table
        return
    named = [f for f in cheat.flags if any(f"[{category}]" in f for category in expect)]
    no_more = _score(cheat) <= _score(baseline)
    assert no_more or named, f"{name}: {_score(cheat)} > baseline {_score(baseline)} and not flagged: {cheat.flags}"
    assert named, f"{name}: no flag names {expect}: {cheat.flags}"
    assert name in table.split("flagged for review", 1)[1].splitlines()[0]
    if name in NO_GAIN:
        assert no_more, f"{name}: {_score(cheat)} > baseline {_score(baseline)}"


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("integrity")
@pytest.mark.parametrize("assignment,name", HONEST_IDS, ids=[f"{a[:2]}-{n}" for a, n in HONEST_IDS])
def test_honest_submission_is_graded_and_never_flagged(graded: Callable, assignment: str, name: str) -> None:
    outcome = graded(assignment)[0][name]
    assert outcome.status == "graded", outcome.reason
    assert outcome.flags == []
    if name.startswith("honest"):  # full autograded marks, as the answer key (written answers wait for a person)
        key = graded(assignment)[0]["honest-solution"]
        assert outcome.score == key.score, f"{name}: {outcome.score} (the key: {key.score}) {outcome.notes}"


# ---- without the sandbox (forced off, as where bubblewrap cannot run): flagged, and nothing outlives grading --------

SANDBOX_IDS = [(a, n) for a, n in CHEAT_IDS if _expect(a, n).get("sandbox")]
FALLBACK_HONEST = ["baseline", "honest-solution", "honest-other-style"]


@pytest.fixture(scope="module")
def graded_without_sandbox(course: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, str]:
    """The sandbox tricks, the baseline and the honest submissions of their assignment, graded by
    ``course.grade`` with ``PACT_COURSE_SANDBOX=off``, in a copy of the course: the course, outcomes, summary."""
    from course.autograde.progress import summary
    from course.autograde.run import Options, grade_class

    (assignment,) = {a for a, _ in SANDBOX_IDS}
    root = tmp_path_factory.mktemp("fallback") / "course"
    shutil.copytree(course, root, ignore=shutil.ignore_patterns("submitted", "autograded", "summary-*"))
    students = [n for _, n in SANDBOX_IDS] + FALLBACK_HONEST
    for name in students:
        shutil.copytree(CHEATS / assignment / name, root / "submitted" / name / assignment)
    saved = os.environ.get(jail.ENV)
    os.environ[jail.ENV] = "off"  # the grading processes inherit it
    try:
        outcomes, interrupted = grade_class(
            Options(root=root, assignment=assignment, jobs=2, force=True, students=students)
        )
        table = summary(outcomes, assignment, sandbox=jail.describe())
    finally:
        if saved is None:
            os.environ.pop(jail.ENV, None)
        else:
            os.environ[jail.ENV] = saved
    assert not interrupted
    return root, {o.student: o for o in outcomes}, table


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("integrity")
@pytest.mark.parametrize("assignment,name", SANDBOX_IDS, ids=[f"{a[:2]}-{n}" for a, n in SANDBOX_IDS])
def test_without_the_sandbox_its_tricks_are_flagged_and_nothing_outlives_grading(
    graded_without_sandbox: tuple[Path, dict, str], assignment: str, name: str
) -> None:
    root, outcomes, table = graded_without_sandbox
    cheat, baseline = outcomes[name], outcomes["baseline"]
    assert any("[outside-folder]" in f for f in cheat.flags), f"{name}: {cheat.flags}"
    assert name in table.split("flagged for review", 1)[1].splitlines()[0]
    assert "sandbox: NONE - forced off" in table
    # The process left behind was ended before the gradebook was written: no edit, no file.
    assert _gradebook_score(root, assignment, name) == _score(cheat)
    if name == "daemon-edits-gradebook":
        assert _score(cheat) <= _score(baseline)
        assert not (root / "daemon-was-here.txt").exists()


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("integrity")
@pytest.mark.parametrize("name", FALLBACK_HONEST)
def test_without_the_sandbox_honest_work_is_graded_the_same_and_not_flagged(
    graded_without_sandbox: tuple[Path, dict, str], graded: Callable, name: str
) -> None:
    _, outcomes, _ = graded_without_sandbox
    (assignment,) = {a for a, _ in SANDBOX_IDS}
    assert outcomes[name].status == "graded" and outcomes[name].flags == []
    assert outcomes[name].score == graded(assignment)[0][name].score  # as under the sandbox
