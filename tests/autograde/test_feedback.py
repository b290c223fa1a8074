"""`pact-course feedback`: nbgrader's feedback HTML with no hidden test and no traceback quoting one."""

from __future__ import annotations

import subprocess

import nbformat
import pytest

from course.autograde.feedback import HideHiddenTests, hidden_lines, leaks
from tests.mini_course import ASSIGNMENT, answered, cli, released, submit

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow, pytest.mark.xdist_group("feedback")]

STUDENTS = {
    "hidden": "    return abs(2 * x)",  # passes the visible test, fails the hidden one
    "visible": "    return 0",  # fails the visible test
    "correct": "    return 2 * x",
}


@pytest.fixture(scope="module")
def fed(mini_course_copy) -> tuple[object, subprocess.CompletedProcess]:
    root = mini_course_copy("feedback")
    for student, body in STUDENTS.items():
        submit(root, student, answered(released(root), body))
    submit(root, "late", answered(released(root)))  # submitted, never graded
    graded = cli("grade", ASSIGNMENT, "--student", *STUDENTS, root=root)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    done = cli("feedback", ASSIGNMENT, "--student", *STUDENTS, "late", root=root)
    return root, done


def _page(root, student: str) -> str:
    return (root / "feedback" / student / ASSIGNMENT / "demo.html").read_text()


def test_feedback_shows_a_failed_hidden_test_by_its_message_only(fed):
    root, _ = fed
    page = _page(root, "hidden")
    assert "double should handle negative numbers" in page
    assert "double(-3)" not in page and "HIDDEN" not in page
    assert "AssertionError: double should handle negative numbers" in page


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_feedback_contains_no_hidden_test_line(fed, student):
    root, _ = fed
    assert leaks(_page(root, student), hidden_lines(root, ASSIGNMENT)) == []


def test_feedback_keeps_the_visible_test_and_its_message(fed):
    root, _ = fed
    page = _page(root, "visible")
    assert "double(2) should be 4" in page and "double(-3)" not in page


def test_feedback_names_a_student_not_graded_yet_and_exits_1(fed):
    _, done = fed
    assert done.returncode == 1
    assert "late: NO FEEDBACK - not autograded yet: run pact-course grade first" in done.stdout
    for student in STUDENTS:
        assert f"{student}: feedback/{student}/{ASSIGNMENT}/" in done.stdout


def test_leaks_finds_a_hidden_line_split_by_syntax_highlighting():
    page = '<span class="k">assert</span> <span class="n">double</span>(<span class="o">-</span>3) == -6'
    assert leaks(page, {"assert double(-3) == -6"}) == ["assert double(-3) == -6"]
    assert leaks("<p>AssertionError: double should handle negative numbers</p>", {"assert double(-3) == -6"}) == []


def test_hide_hidden_tests_reduces_the_error_to_its_message():
    cell = nbformat.v4.new_code_cell(
        'assert double(2) == 4\n### BEGIN HIDDEN TESTS\nassert double(-3) == -6, "negatives"\n### END HIDDEN TESTS'
    )
    cell.outputs = [
        nbformat.v4.new_output(
            "error", ename="AssertionError", evalue="negatives", traceback=["assert double(-3) == -6", "..."]
        )
    ]
    out, _ = HideHiddenTests().preprocess_cell(cell, {}, 0)
    assert out.source.strip() == "assert double(2) == 4"
    assert out.outputs[0]["traceback"] == ["AssertionError: negatives"]
