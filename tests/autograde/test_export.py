"""`pact-course export` from a real gradebook: the plain CSV and the Canvas import CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.mini_course import ASSIGNMENT, answered, cli, released, submit

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow, pytest.mark.xdist_group("export")]


@pytest.fixture(scope="module")
def exported(mini_course_copy) -> tuple[Path, list[list[str]], list[list[str]], str]:
    root = mini_course_copy("export")
    submit(root, "ada", answered(released(root)))
    submit(root, "bob", answered(released(root), "    return 0"))
    submit(root, "cyd", raw='{"cells": [')  # nbgrader cannot grade it
    graded = cli("grade", ASSIGNMENT, root=root)
    assert graded.returncode == 1, graded.stdout
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(root / "gradebook.db"), course_id="pact-course") as gb:
        gb.update_or_create_student("ada", first_name="Ada", last_name="Lovelace", lms_user_id="4711")
        memo = gb.find_grade("answer_memo", "demo", ASSIGNMENT, "ada")
        memo.manual_score = 1  # the written answer, graded by hand (as formgrader saves it)
        memo.needs_manual_grade = False
        gb.db.commit()
    out = root / "out"
    done = cli("export", "--output", str(out), "--section", "L01", root=root)
    assert done.returncode == 0, done.stderr

    def table(name: str) -> list[list[str]]:
        with (out / name).open(newline="") as handle:
            return list(csv.reader(handle))

    return root, table("grades.csv"), table("canvas-grades.csv"), done.stdout


def test_export_plain_csv_has_score_max_status_and_total(exported):
    _, plain, _, _ = exported
    assert plain[0] == ["student_id", "00-demo score", "00-demo max", "00-demo status", "total", "total_max"]
    by_id = {row[0]: row for row in plain[1:]}
    assert by_id["ada"] == ["ada", "3", "3", "graded", "3", "3"]
    assert by_id["bob"] == ["bob", "0", "3", "needs manual grading", "0", "3"]
    assert by_id["cyd"] == ["cyd", "", "3", "not graded", "0", "3"]


def test_export_canvas_csv_has_canvas_columns_and_points_possible(exported):
    _, _, canvas, _ = exported
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT]
    assert canvas[1] == ["Points Possible", "", "", "", "", "3"]
    by_login = {row[3]: row for row in canvas[2:]}
    assert by_login["ada"] == ["Lovelace, Ada", "4711", "", "ada", "L01", "3"]
    assert by_login["bob"] == ["bob", "", "", "bob", "L01", "0"]
    assert by_login["cyd"][5] == ""  # nbgrader's placeholder 0 is not exported as a mark


def test_export_says_who_still_needs_grading(exported):
    *_, stdout = exported
    assert "needs manual grading (1): bob (00-demo)" in stdout
    assert "not graded (1): cyd (00-demo)" in stdout
