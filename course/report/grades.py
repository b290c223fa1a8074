"""What the class report reads from nbgrader's gradebook: scores, per-question shares, the manual-grading backlog.

Why a module of its own: the report's numbers must be nbgrader's own (``Submission.score``, ``Grade.score``:
autograde plus manual grades, minus late penalties), read through :class:`nbgrader.api.Gradebook` and never
written back; this module turns them into plain dataclasses that the HTML and the tests can read without a
database. Three things a raw average would get wrong are kept apart:

- a submission nbgrader could not grade has a gradebook row with score 0 and every grade empty; it is
  "not graded", not a 0 (as in :mod:`course.autograde.export`), and stays out of the distribution;
- a written answer not yet marked by a person has no score at all: it is *pending*, counted on its own,
  and left out of that question's mean (a 0 there would make every essay look "hard");
- a submission still waiting for a person is *provisional*: it is in the distribution, drawn apart.

Instructor side only: imports nbgrader inside :func:`read`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Question:
    """One graded cell of one notebook, over the class's graded submissions."""

    notebook: str
    name: str  # nbgrader's grade_id, e.g. test_best_response
    cell_type: str  # code (autograded test) or markdown (a written answer)
    max_score: float
    shares: tuple[float, ...]  # score / max_score of each submission with a score for this cell
    pending: int  # submissions where this cell still waits for a person

    @property
    def mean_share(self) -> float | None:
        """Mean share of the points (0..1) among scored submissions; None when none is scored yet."""
        return statistics.fmean(self.shares) if self.shares else None

    @property
    def full_marks(self) -> int:
        return sum(1 for s in self.shares if s >= 1.0 - 1e-9)


@dataclass(frozen=True)
class Backlog:
    """One submission that still needs a person: which cells, or that nbgrader could not grade it at all."""

    student: str
    cells: tuple[str, ...]  # "notebook: grade_id" of each cell waiting for a manual grade
    not_graded: bool = False


@dataclass
class AssignmentGrades:
    """One assignment as the gradebook has it."""

    name: str
    max_score: float
    scores: dict[str, float] = field(default_factory=dict)  # student -> score (graded submissions only)
    provisional: set[str] = field(default_factory=set)  # students whose score still waits for manual grading
    not_graded: list[str] = field(default_factory=list)  # nbgrader could not grade them
    questions: list[Question] = field(default_factory=list)
    backlog: list[Backlog] = field(default_factory=list)

    @property
    def submissions(self) -> int:
        return len(self.scores) + len(self.not_graded)


def _never_graded(grades: list) -> bool:
    """nbgrader failed on the submission (or never ran): every grade is empty, its 0 is not a mark."""
    return bool(grades) and all(g.auto_score is None and g.manual_score is None for g in grades)


def _pending(grade) -> bool:  # noqa: ANN001 - nbgrader.api.Grade
    return bool(grade.needs_manual_grade) and grade.manual_score is None


def read(db_url: str, course_id: str, only: list[str] | None = None) -> list[AssignmentGrades]:
    """Every assignment in the gradebook (or those in ``only``, in that order) with its class's grades.

    Raises ``KeyError`` naming an assignment of ``only`` that the gradebook does not know.
    """
    from nbgrader.api import Gradebook

    out = []
    with Gradebook(db_url, course_id=course_id) as gb:
        known = {a.name: a for a in gb.assignments}
        names = only if only else sorted(known)
        for name in names:
            if name not in known:
                raise KeyError(name)
            out.append(_assignment(gb, known[name]))
    return out


def _assignment(gb, assignment) -> AssignmentGrades:  # noqa: ANN001 - nbgrader objects
    result = AssignmentGrades(assignment.name, float(assignment.max_score or 0.0))
    # graded cells (nbgrader's grade cells and tasks), by notebook, then grade id
    cells: dict[tuple[str, str], tuple[str, float]] = {}
    for nb in assignment.notebooks:
        for cell in sorted([*nb.grade_cells, *nb.task_cells], key=lambda c: c.name):
            cells[(nb.name, cell.name)] = (str(cell.cell_type), float(cell.max_score))
    shares: dict[tuple[str, str], list[float]] = {key: [] for key in cells}
    pending: dict[tuple[str, str], int] = dict.fromkeys(cells, 0)
    for sub in sorted(assignment.submissions, key=lambda s: s.student.id):
        student = sub.student.id
        grades = [(nb.name, g) for nb in sub.notebooks for g in nb.grades]
        if _never_graded([g for _, g in grades]):
            result.not_graded.append(student)
            result.backlog.append(Backlog(student, (), not_graded=True))
            continue
        result.scores[student] = float(sub.score)
        waiting = []
        for nb_name, grade in grades:
            key = (nb_name, grade.name)
            if key not in cells:
                continue
            if _pending(grade):
                pending[key] += 1
                waiting.append(f"{nb_name}: {grade.name}")
            elif cells[key][1] > 0:
                shares[key].append(float(grade.score) / cells[key][1])
        if waiting or sub.needs_manual_grade:
            result.provisional.add(student)
            result.backlog.append(Backlog(student, tuple(waiting)))
    result.questions = [
        Question(nb, cell, kind, most, tuple(shares[(nb, cell)]), pending[(nb, cell)])
        for (nb, cell), (kind, most) in cells.items()
    ]
    return result
