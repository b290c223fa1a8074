"""`pact-course build` never silently deletes what a person wrote in exercises/ or solutions/ (issue 12, item 1)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.autograde import manifest

from .conftest import ROOT

MINI = ROOT / "tests" / "data" / "mini-course"
NOTEBOOK = "exercises/00-demo/demo.ipynb"
NOTES = "exercises/00-demo/my-notes.md"
LOG = "exercises/00-demo/decision-log-00-demo.json"


def _course(where: Path) -> Path:
    shutil.copytree(MINI / "source", where / "source")
    shutil.copy(ROOT / "nbgrader_config.py", where / "nbgrader_config.py")
    return where


def _build(root: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "course.cli", "build", "--root", str(root), *flags], capture_output=True, text=True
    )


def _answer(root: Path) -> str:
    """Write an answer into the released notebook, as a student would, and return it."""
    path = root / NOTEBOOK
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if "raise NotImplementedError" in "".join(c["source"]))
    cell["source"] = "def double(x):\n    return x + x  # my answer"
    path.write_text(json.dumps(nb, indent=1))
    return path.read_text()


@pytest.mark.nbgrader
@pytest.mark.slow
def test_build_refuses_to_replace_work_and_backs_it_up_with_overwrite(tmp_path):
    root = _course(tmp_path)
    first = _build(root)
    assert first.returncode == 0, first.stderr
    assert manifest.at_risk(root, "00-demo") == []  # what the build made is its own: a rebuild goes ahead
    work = {NOTEBOOK: _answer(root), NOTES: "Article 4 vs the clause: ask in class\n", LOG: '{"moves": []}\n'}
    for rel, text in work.items():
        (root / rel).write_text(text)

    refused = _build(root)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    for rel in work:
        assert rel in refused.stderr
    assert "--overwrite" in refused.stderr and "my-work" in refused.stderr
    assert {rel: (root / rel).read_text() for rel in work} == work  # nothing changed
    assert not (root / manifest.BACKUP_DIR).exists()

    forced = _build(root, "--overwrite")
    assert forced.returncode == 0, forced.stderr
    backups = list((root / manifest.BACKUP_DIR).iterdir())
    assert len(backups) == 1 and str(backups[0]) in forced.stdout
    assert {rel: (backups[0] / rel).read_text() for rel in work} == work
    assert "my answer" not in (root / NOTEBOOK).read_text()  # the notebook is the build's again
    assert manifest.at_risk(root, "00-demo") == []


def _fake_build(root: Path) -> None:
    """exercises/ and solutions/ as a build leaves them, without running nbgrader (for the fast tests)."""
    (root / "source" / "00-demo").mkdir(parents=True)
    (root / "source" / "00-demo" / "demo.ipynb").write_text("{}")
    for name in manifest.GENERATED:
        (root / name / "00-demo" / "samples").mkdir(parents=True)
        (root / name / "00-demo" / "demo.ipynb").write_text(f'{{"made": "{name}"}}')
        (root / name / "00-demo" / "samples" / "log.json").write_text("{}")
    manifest.record(root, "00-demo")


def test_at_risk_names_changed_and_added_files_in_subfolders_and_checkpoints(tmp_path):
    _fake_build(tmp_path)
    (tmp_path / "exercises/00-demo/samples/log.json").write_text('{"edited": 1}')
    (tmp_path / "exercises/00-demo/.ipynb_checkpoints").mkdir()
    (tmp_path / "exercises/00-demo/.ipynb_checkpoints/demo-checkpoint.ipynb").write_text('{"made": "exercises"}')
    (tmp_path / "exercises/00-demo/.ipynb_checkpoints/x-checkpoint.ipynb").write_text('{"answered": 1}')
    (tmp_path / "solutions/00-demo/demo.ipynb").write_text('{"my": "notes"}')
    assert manifest.at_risk(tmp_path, "00-demo") == [
        "exercises/00-demo/.ipynb_checkpoints/x-checkpoint.ipynb",  # a checkpoint of the untouched notebook is not
        "exercises/00-demo/samples/log.json",
        "solutions/00-demo/demo.ipynb",
    ]


def test_files_beside_the_answer_key_are_not_at_risk_because_the_build_puts_them_back(tmp_path):
    _fake_build(tmp_path)
    (tmp_path / "solutions/00-demo/decision-log-00-demo.json").write_text("{}")
    assert manifest.at_risk(tmp_path, "00-demo") == []


def test_without_a_manifest_everything_is_at_risk_unless_git_holds_it_unchanged(tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    _fake_build(tmp_path)
    (tmp_path / manifest.MANIFEST).unlink()
    assert len(manifest.at_risk(tmp_path, "00-demo")) == 4
    run = {"cwd": tmp_path, "check": True, "capture_output": True}
    subprocess.run([git, "init", "-q"], **run)
    subprocess.run([git, "add", "exercises", "solutions"], **run)
    assert manifest.at_risk(tmp_path, "00-demo") == []  # a fresh clone: the committed notebooks are the build's
    (tmp_path / "exercises/00-demo/demo.ipynb").write_text('{"answered": 1}')
    assert manifest.at_risk(tmp_path, "00-demo") == ["exercises/00-demo/demo.ipynb"]


def test_backup_keeps_relative_paths_in_a_new_dated_folder(tmp_path):
    _fake_build(tmp_path)
    first = manifest.backup(tmp_path, ["exercises/00-demo/samples/log.json"], now=0)
    second = manifest.backup(tmp_path, ["exercises/00-demo/demo.ipynb"], now=0)
    assert first != second and first.parent == second.parent == tmp_path / manifest.BACKUP_DIR
    assert (first / "exercises/00-demo/samples/log.json").read_text() == "{}"


def test_backup_and_work_folders_are_git_ignored():
    for path in (".pact-backup/20240101-000000/x.ipynb", "my-work/01-reading-the-pact/x.ipynb"):
        done = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
        assert done.returncode == 0, f"{path} is not git-ignored"
