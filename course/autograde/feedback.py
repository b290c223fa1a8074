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
    held: dict[str, str] = field(default_factory=dict)  # written answers not marked yet: no feedback
    provisional: list[str] = field(default_factory=list)  # written with --allow-pending: the page says so


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


_MATHJAX = re.compile(
    r'<script src="https://[^"]*mathjax[^"]*">\s*</script>|<script type="text/x-mathjax-config">.*?</script>',
    re.DOTALL | re.IGNORECASE,
)
PENDING_BANNER = (
    '<div style="border:2px solid #f57900;padding:0.6em 1em;margin:1em 0;background:#fff5e6">'
    "<b>Provisional feedback.</b> These written answers have not been marked yet, so they show 0 points "
    "for now: {cells}. Your instructor will mark them; the score above is not final.</div>"
)


def pending(root: Path, assignment: str, student: str) -> list[str]:
    """The written answers of a student's submission that still wait for a person (``notebook: grade_id``)."""
    from nbgrader.api import Gradebook, MissingEntry

    try:
        with Gradebook(coursedir.db_url(root), course_id=coursedir.course_id(root)) as gb:
            sub = gb.find_submission(assignment, student)
            return sorted(
                f"{nb.name}: {g.name}"
                for nb in sub.notebooks
                for g in nb.grades
                if g.needs_manual_grade and g.manual_score is None
            )
    except MissingEntry:
        return []


def offline(page: str, waiting: list[str] = ()) -> str:
    """The page as it should be read from a file: no script loaded from the internet (nbgrader's template
    fetches MathJax from a CDN; without it, formulas show as their TeX source, ``$p^*$``), and, when some
    written answers are not marked yet, a banner that says so before the first cell."""
    page = _MATHJAX.sub("", page)
    if waiting:
        banner = PENDING_BANNER.format(cells=", ".join(html.escape(c) for c in waiting))
        page = page.replace("<body>", "<body>\n" + banner, 1)
    return page


def generate(
    root: Path, assignment: str, students: list[str] | None = None, *, allow_pending: bool = False
) -> FeedbackReport:
    """Run nbgrader's generate_feedback with ``HideHiddenTests``, then check every page written.

    A student whose written answers are not all marked gets no feedback (nbgrader would show those answers
    as 0 points) unless ``allow_pending``; then the page says, before its first cell, which answers are
    still to be marked."""
    from nbgrader.apps import NbGraderAPI

    root = Path(root).resolve()
    config = coursedir.config(root)
    config.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "course.autograde.nbgrader_plugins.HideHiddenTests",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
        "course.autograde.nbgrader_plugins.FeedbackPage",
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
        waiting = pending(root, assignment, student)
        if waiting and not allow_pending:
            report.held[student] = (
                f"written answers not marked yet ({', '.join(waiting)}): mark them in the formgrader first, "
                "or pass --allow-pending for provisional feedback that says so"
            )
            continue
        result = api.generate_feedback(assignment, student, force=True)
        if not result.get("success"):
            errors = [x for x in (result.get("log") or "").splitlines() if x.startswith("[ERROR]")]
            report.failed[student] = errors[0] if errors else "nbgrader generate_feedback failed"
            continue
        for page in sorted(coursedir.step_dir(root, coursedir.FEEDBACK, student, assignment).glob("*.html")):
            text = page.read_text(encoding="utf-8")
            found = leaks(text, secret)
            if found:
                page.unlink()
                report.withheld[student] = f"{page.name} quoted hidden tests ({found[0]!r}); removed"
            else:
                page.write_text(offline(text, waiting), encoding="utf-8")
        if waiting and student not in report.withheld:
            report.provisional.append(student)
        if student not in report.withheld:
            report.written.append(student)
    return report
