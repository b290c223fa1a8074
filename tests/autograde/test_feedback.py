"""`pact-course feedback`: nbgrader's feedback HTML with no hidden test and no traceback quoting one."""

from __future__ import annotations

import subprocess

import nbformat
import pytest

from course.autograde.feedback import HideHiddenTests, hidden_lines, leaks, offline
from course.autograde.nbgrader_plugins import WIDGET_VIEW, FeedbackPage
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
    held = cli("feedback", ASSIGNMENT, "--student", "correct", root=root)
    assert held.returncode == 1, held.stdout + held.stderr
    assert "correct: NO FEEDBACK - written answers not marked yet (demo: answer_memo)" in held.stdout
    assert not (root / "feedback" / "correct").exists()
    done = cli("feedback", ASSIGNMENT, "--allow-pending", "--student", *STUDENTS, "late", root=root)
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


def test_feedback_with_pending_answers_is_provisional_and_says_which(fed):
    root, done = fed
    assert "correct: feedback/correct/00-demo/ (provisional: written answers not marked yet" in done.stdout
    page = _page(root, "correct")
    assert "Provisional feedback." in page and "demo: answer_memo" in page


def test_feedback_page_loads_nothing_from_the_internet(fed):
    root, _ = fed
    page = _page(root, "correct")
    assert '<script src="http' not in page and "x-mathjax-config" not in page


def test_offline_removes_the_cdn_script_and_adds_the_banner_once():
    page = (
        '<html><head><script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=x"> </script>'
        '<script type="text/x-mathjax-config">init_mathjax();</script></head><body><p>$p^*$</p></body></html>'
    )
    out = offline(page, ["nb: answer_x"])
    assert "mathjax" not in out.lower() and "$p^*$" in out
    assert out.count("Provisional feedback.") == 1 and "nb: answer_x" in out
    assert "Provisional" not in offline(page)


def test_feedback_page_shows_a_widget_as_a_sentence_and_styles_tables():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("CrisisBoard()")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/plain": "CrisisBoard(children=(HTML(value='<div ...", WIDGET_VIEW: {}}
        )
    ]
    nb.cells.append(cell)
    nb, resources = FeedbackPage().preprocess(nb, {"inlining": {"css": ["body{}"]}})
    assert (
        list(cell.outputs[0]["data"]) == ["text/html"] and "interactive widget" in cell.outputs[0]["data"]["text/html"]
    )
    assert resources["inlining"]["css"][0] == "body{}" and "border-collapse" in resources["inlining"]["css"][1]
