"""Grades out of nbgrader's gradebook: one plain CSV and one for Canvas's gradebook import.

Read-only on the gradebook; numbers are nbgrader's own (``Submission.score`` and ``max_score``,
which include manual grades and late penalties). A submission that nbgrader could not grade still
has a row in the gradebook with score 0 and "needs manual grading"; here its status is "not graded"
and its Canvas cell is empty, so a 0 that is really "not graded yet" is not mistaken for a mark.

Canvas columns (docs/how-to/grade-a-class.md): Student, ID, SIS User ID, SIS Login ID, Section,
then one column per assignment, and a second row "Points Possible" with each assignment's maximum.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


@dataclass
class Row:
    """One student: names from the gradebook, and per assignment (score, max, status)."""

    student: str
    first_name: str = ""
    last_name: str = ""
    lms_user_id: str = ""
    marks: dict[str, tuple[float | None, float, str]] = field(default_factory=dict)

    def total(self) -> float:
        return sum(score or 0.0 for score, _, status in self.marks.values() if status != "not graded")


@dataclass
class Table:
    """Every student in the gradebook against every assignment in it."""

    assignments: list[tuple[str, float]]
    rows: list[Row]


def _status(sub: object) -> str:
    grades = [g for nb in getattr(sub, "notebooks", []) for g in nb.grades]
    if grades and all(g.auto_score is None and g.manual_score is None for g in grades):
        return "not graded"  # nbgrader failed on it (or never ran): its 0 is not a mark
    if getattr(sub, "needs_manual_grade", False):
        return "needs manual grading"
    return "graded"


def read(db_url: str, course_id: str) -> Table:
    """Collect the table from nbgrader's gradebook (``db_url`` as in nbgrader_config.py)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id=course_id) as gb:
        assignments = sorted((a.name, float(a.max_score)) for a in gb.assignments)
        rows = []
        for student in sorted(gb.students, key=lambda s: s.id):
            row = Row(student.id, student.first_name or "", student.last_name or "", student.lms_user_id or "")
            for name, maximum in assignments:
                try:
                    sub = gb.find_submission(name, student.id)
                except MissingEntry:
                    row.marks[name] = (None, maximum, "not submitted")
                    continue
                row.marks[name] = (float(sub.score), float(sub.max_score), _status(sub))
            rows.append(row)
    return Table(assignments, rows)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write_plain(table: Table, path: Path) -> Path:
    """student_id, then per assignment: score, max, status; then total and total_max."""
    header = ["student_id"]
    for name, _ in table.assignments:
        header += [f"{name} score", f"{name} max", f"{name} status"]
    header += ["total", "total_max"]
    with Path(path).open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in table.rows:
            line: list[str] = [row.student]
            for name, maximum in table.assignments:
                score, most, status = row.marks[name]
                shown = None if status == "not graded" else score
                line += [_number(shown), _number(most if score is not None else maximum), status]
            line += [_number(row.total()), _number(sum(m for _, m in table.assignments))]
            writer.writerow(line)
    return Path(path)


def _display_name(row: Row) -> str:
    if row.last_name or row.first_name:
        return ", ".join(part for part in (row.last_name, row.first_name) if part)
    return row.student


def write_canvas(table: Table, path: Path, section: str = "") -> Path:
    """Canvas gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, assignments.

    ID is Canvas's numeric user id: nbgrader's ``lms_user_id`` when the gradebook has it (blank
    otherwise). SIS Login ID is the nbgrader student id, which on JupyterHub is the login name.
    A submission that is missing or that nbgrader could not grade gets an empty cell (Canvas
    leaves it unchanged) rather than nbgrader's placeholder 0.
    """
    with Path(path).open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CANVAS_FIXED + [name for name, _ in table.assignments])
        writer.writerow(["Points Possible", "", "", "", ""] + [_number(m) for _, m in table.assignments])
        for row in table.rows:
            scores = [
                "" if row.marks[name][2] in ("not graded", "not submitted") else _number(row.marks[name][0])
                for name, _ in table.assignments
            ]
            writer.writerow([_display_name(row), row.lms_user_id, "", row.student, section] + scores)
    return Path(path)
