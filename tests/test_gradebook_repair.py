"""A gradebook left without its alembic version stamp is repaired, losing nothing (issue 12, item 2)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from course.autograde.gradebook import _alembic_head, course_db_url, repair_version_stamp

from .conftest import ROOT

pytestmark = pytest.mark.nbgrader

OPEN = "import sys; from nbgrader.api import Gradebook; Gradebook(sys.argv[1], course_id='pact-course').close()"


def _half_made(tmp_path):
    """What the formgrader left when JupyterLab ran without the venv's bin on PATH: tables, no stamp."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    bare = {k: v for k, v in os.environ.items() if k != "PATH"} | {"PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", OPEN, url], env=bare, capture_output=True, text=True)
    assert done.returncode != 0 and "alembic" in done.stderr  # the failure item 2 of the issue describes
    return url


def _tables(path):
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_repair_stamps_a_half_made_gradebook_and_keeps_its_rows(tmp_path):
    url = _half_made(tmp_path)
    db = tmp_path / "gradebook.db"
    assert "assignment" in _tables(db) and "alembic_version" not in _tables(db)
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO course (id) VALUES ('pact-course')")
    note = repair_version_stamp(url)
    assert note and "no alembic version stamp" in note and _alembic_head() in note
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(_alembic_head(),)]
        assert con.execute("SELECT id FROM course").fetchall() == [("pact-course",)]
    assert repair_version_stamp(url) is None  # stamped once; the second look changes nothing
    subprocess.run([sys.executable, "-c", OPEN, url], check=True)  # nbgrader opens it as its own


def test_repair_leaves_a_missing_or_healthy_gradebook_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    assert repair_version_stamp(url) is None and not (tmp_path / "gradebook.db").exists()
    venv = os.environ | {"PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    subprocess.run([sys.executable, "-c", OPEN, url], env=venv, check=True)  # venv's bin on PATH: it stamps
    assert repair_version_stamp(url) is None


def test_course_db_url_reads_nbgrader_config():
    assert course_db_url(ROOT) == f"sqlite:///{ROOT / 'gradebook.db'}"
