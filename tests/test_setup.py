"""The installed kit: command line, nbgrader course directory, JupyterLab and its extensions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from course.cli import build_parser, main
from tests.conftest import ROOT
from tests.lab import running_lab

BIN = Path(sys.executable).parent


def test_help_lists_every_subcommand_with_its_help(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert sub.choices, "no subcommands found"
    for name, parser in sub.choices.items():
        assert re.search(rf"^\s+{re.escape(name)}\s+\S", out, re.M), f"{name} has no help line in --help"
        assert parser.description, f"pact-course {name} has no description"


def test_console_script_is_installed():
    done = subprocess.run([BIN / "pact-course", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("pact-course ")


def test_importing_course_stays_light():
    heavy = "('nbformat', 'jsonschema', 'nbgrader', 'ipywidgets', 'numpy')"
    code = f"import sys, course; print(sorted(m for m in {heavy} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_nbgrader_config_points_at_the_course_folders():
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    course = CourseDirectory(config=config)
    assert Path(course.root) == ROOT
    assert (course.source_directory, course.release_directory, course.solution_directory) == (
        "source",
        "exercises",
        "solutions",
    )
    assert course.course_id == "pact-course"
    assert course.db_url == f"sqlite:///{ROOT / 'gradebook.db'}"
    ignored = subprocess.run(["git", "check-ignore", "-q", "gradebook.db"], cwd=ROOT)
    assert ignored.returncode == 0, "the gradebook must be git-ignored"


def test_lab_extensions_are_enabled_and_compatible():
    done = subprocess.run([BIN / "jupyter", "labextension", "list"], capture_output=True, text=True)
    text = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    for name in ("@jupyter-widgets/jupyterlab-manager", "@jupyter/nbgrader"):
        line = next((ln for ln in text.splitlines() if name in ln), "")
        assert "enabled" in line and "OK" in line, f"{name} not enabled and OK:\n{text}"
    assert not re.search(r"\bX\b", text), f"an extension is marked incompatible:\n{text}"


def test_news_notifications_are_off_for_the_class():
    import json

    overrides = json.loads((ROOT / "jupyter" / "overrides.json").read_text())
    note = overrides["@jupyterlab/apputils-extension:notification"]
    assert note == {"fetchNews": "false", "checkForUpdates": False}


@pytest.mark.slow
def test_lab_serves_the_course_with_its_start_page(tmp_path):
    with running_lab(ROOT, tmp_path) as lab:
        status, body = lab.get("/api/status")
        assert status == 200 and b"started" in body
        status, _ = lab.get("/api/contents/START_HERE.ipynb?content=0")
        assert status == 200
