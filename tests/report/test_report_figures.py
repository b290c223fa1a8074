"""The class report's figures and their HTML say what they show: no empty chart, every bar labelled."""

from __future__ import annotations

import base64

from course.report import html as report_html
from course.report import plots
from course.report.grades import AssignmentGrades, Question

PNG = b"\x89PNG\r\n\x1a\n"


def test_an_assignment_without_submissions_draws_no_chart_and_says_so():
    empty = AssignmentGrades(
        "03-alliances", 20.0, questions=[Question("alliances", "test_credibility", "code", 5.0, (), 0)]
    )
    page = report_html._assignment(empty)
    assert "<img" not in page
    assert "No submissions yet" in page


def test_an_assignment_with_submissions_is_charted():
    graded = AssignmentGrades(
        "01-reading", 25.0, scores={"ann": 20.0, "bo": 0.0},
        questions=[Question("reading", "test_tags", "code", 5.0, (0.0, 0.0), 0)],
    )  # fmt: skip
    page = report_html._assignment(graded)
    assert page.count("<img") == 2  # the score histogram and the per-question bars


def test_every_figure_is_a_png_even_with_zero_and_unknown_values():
    figures = [
        plots.score_histogram([0.0, 25.0], [12.0], 25, "a title long enough to need more than one line " * 2),
        plots.question_bars(["q1", "q2"], [0.0, None], "per question"),
        plots.outcome_bars(["war", "nuclear-breakout"], [0, 3], "outcomes"),
        plots.leaderboard_bars(["a", "b"], [1.0, -2.0], [0.5, float("inf")], [False, True], "tournament"),
    ]
    assert all(base64.b64decode(f).startswith(PNG) for f in figures)


def test_long_titles_are_wrapped_to_fit():
    assert plots._wrapped("word " * 30, 40).count("\n") >= 3
    assert plots._wrapped("short") == "short"
