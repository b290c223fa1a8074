"""Feedback HTML per student from nbgrader, without hidden tests.

``nbgrader generate_feedback`` renders the autograded notebook, where OverwriteCells has put the
instructor's test cells back in full: the hidden tests show up in the students' feedback, and so
does any traceback that quotes them (nbgrader #917, #1156, #1363). ``HideHiddenTests`` fixes that
where the text is still structured, before the HTML exists: in every test cell that holds a hidden
region it removes the region (nbgrader's own ``ClearHiddenTests`` logic) and reduces each error
output to ``AssertionError: <the test's message>``, so a failed hidden test says what the instructor
wrote for the student and nothing else. Then ``leaks`` reads every HTML file written and
removes any that still contains a hidden-test line, so a missed case fails loudly instead of leaking.

Instructor side only: imports nbgrader.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from course import coursedir, notebooks
from course.autograde.nbgrader_plugins import HideHiddenTests  # noqa: F401 - old home: older configs name it here


@dataclass
class FeedbackReport:
    """What ``generate`` did: students with feedback, and files withheld because they leaked."""

    written: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    withheld: dict[str, str] = field(default_factory=dict)


def hidden_lines(root: Path, assignment: str) -> set[str]:
    """The lines only hidden tests hold: inside a hidden region of a source notebook, found nowhere else.

    A line that also appears in visible content, whole or as part of a line (``],``, ``challenge_value,``
    inside a visible call), is no secret: matching it would withhold pages that leak nothing. A line with
    fewer than eight visible characters says too little to match safely.
    """
    hidden: set[str] = set()
    visible: list[str] = []
    for path in sorted(coursedir.assignment_dir(root, coursedir.SOURCE, assignment).glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            shown, secret = notebooks.hidden_test_lines(notebooks.cell_source(cell))
            hidden.update(line.strip() for line in secret if line.strip())
            visible.extend(" ".join(line.split()) for line in shown if line.strip())
    seen = "\n".join(visible)
    return {
        line
        for line in hidden
        if len("".join(line.split())) >= 8
        and sum(ch.isalnum() for ch in line) >= 3
        and " ".join(line.split()) not in seen
    }


_TAG = re.compile(r"<[^>]+>")


def _text(page: str) -> str:
    """The HTML as a reader sees it: tags (e.g. syntax highlighting spans) removed, entities decoded."""
    return html.unescape(_TAG.sub("", page))


def leaks(page: str, secret_lines: set[str]) -> list[str]:
    """Hidden-test lines (or the delimiter) that appear in a feedback page."""
    text = _text(page)
    flat = " ".join(text.split())
    found = [line for line in sorted(secret_lines) if " ".join(line.split()) in flat]
    if notebooks.HIDDEN_TESTS in text:
        found.append(notebooks.HIDDEN_TESTS)
    return found


def generate(root: Path, assignment: str, students: list[str] | None = None) -> FeedbackReport:
    """Run nbgrader's generate_feedback with ``HideHiddenTests``, then check every page written."""
    from nbgrader.apps import NbGraderAPI

    root = Path(root).resolve()
    config = coursedir.config(root)
    config.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "course.autograde.nbgrader_plugins.HideHiddenTests",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    api = NbGraderAPI(config=config)
    graded = [
        student
        for student in coursedir.students(root, coursedir.AUTOGRADED, assignment)
        if any(coursedir.step_dir(root, coursedir.AUTOGRADED, student, assignment).glob("*.ipynb"))
    ]
    report = FeedbackReport()
    secret = hidden_lines(root, assignment)
    for student in students or graded:
        if student not in graded:
            report.failed[student] = "not autograded yet: run pact-course grade first"
            continue
        result = api.generate_feedback(assignment, student, force=True)
        if not result.get("success"):
            errors = [x for x in (result.get("log") or "").splitlines() if x.startswith("[ERROR]")]
            report.failed[student] = errors[0] if errors else "nbgrader generate_feedback failed"
            continue
        for page in sorted(coursedir.step_dir(root, coursedir.FEEDBACK, student, assignment).glob("*.html")):
            found = leaks(page.read_text(encoding="utf-8"), secret)
            if found:
                page.unlink()
                report.withheld[student] = f"{page.name} quoted hidden tests ({found[0]!r}); removed"
        if student not in report.withheld:
            report.written.append(student)
    return report
