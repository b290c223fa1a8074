"""The class report: what the gradebook, the decision logs and the class tournament say, as one HTML page.

Why: after grading, an instructor wants to know which questions the class found hard, who still needs a
person to mark a written answer, how the class's crisis games ended, and whose strategy holds up across
many games and every kind of opponent. nbgrader's formgrader shows one submission at a time; this gathers
the class, from nbgrader's own gradebook (read-only) and the students' files, into a static page that
opens offline (figures are embedded PNG, no script, no external address).

Pieces: :mod:`course.report.grades` (gradebook), :mod:`course.report.games` (decision logs, replayed),
:mod:`course.report.strategies` (strategies read from the notebooks' text, played only in
:mod:`course.sandbox.runner` subprocesses), :mod:`course.report.plots` (matplotlib, instructor side only) and
:mod:`course.report.html` (the page).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from course import coursedir
from course.report.games import GameRecord, class_games, student_folders
from course.report.grades import AssignmentGrades
from course.report.html import render
from course.report.strategies import FUNCTION, Failure, StrategyUnavailable, Tournament, play_class, strategy_source

WARGAME = "04-crisis-wargame"
WARGAME_SCENARIO = "korean-peninsula-2024"
DEFAULT_SEEDS = 200


class ReportError(ValueError):
    """The report cannot be made: not a course directory, no gradebook, unknown assignment."""


@dataclass
class Wargame:
    """The wargame part: the class's games (replayed logs) and the tournament of their strategies."""

    assignment: str
    scenario_id: str
    outcome_names: dict[str, str]  # outcome id -> display name, in the scenario's order
    games: list[GameRecord]
    tournament: Tournament
    from_submitted: list[str] = field(default_factory=list)  # strategies read from submitted/ (not autograded)


@dataclass
class Report:
    """Everything the page shows."""

    course_id: str
    root: Path
    generated: str
    assignments: list[AssignmentGrades]
    wargame: Wargame | None = None

    def problems(self) -> list[str]:
        """What needs the instructor's attention beyond manual grading (exit status 1 when not empty)."""
        out = [f"{a.name}: {s} could not be graded by nbgrader" for a in self.assignments for s in a.not_graded]
        if self.wargame:
            out += [f"{g.student}: {g.problem}" for g in self.wargame.games if g.problem]
            out += [f"{f.student}: strategy not ranked: {f.reason}" for f in self.wargame.tournament.failures]
        return out


def _strategies(root: Path, assignment: str) -> tuple[dict[str, str], list[Failure], list[str]]:
    """Each student's strategy source, from the autograded notebook (else the submitted one)."""
    found: dict[str, str] = {}
    failures, from_submitted = [], []
    for student, folder in student_folders(root, assignment).items():
        notebooks = sorted(folder.glob("*.ipynb"))
        if not notebooks:
            failures.append(Failure(student, f"no notebook in {folder.parent.parent.name}/{student}/{assignment}/"))
            continue
        reasons = []
        for path in notebooks:
            try:
                found[student] = strategy_source(path, FUNCTION)
                break
            except StrategyUnavailable as err:
                reasons.append(str(err))
        else:
            failures.append(Failure(student, "; ".join(reasons)))
            continue
        if folder.parent.parent.name == coursedir.SUBMITTED:
            from_submitted.append(student)
    return found, failures, from_submitted


def wargame(root: Path, assignment: str, seeds: int, jobs: int, scenario_id: str = WARGAME_SCENARIO) -> Wargame:
    """Replay the class's logs and play the class's strategies (sandboxed) against the references."""
    from course.scenario.loader import load

    scenario = load(scenario_id)
    games = class_games(root, assignment, scenario)
    sources, failures, from_submitted = _strategies(root, assignment)
    played = play_class(sources, scenario, seeds, jobs)
    played.failures = sorted([*played.failures, *failures], key=lambda f: f.student)
    names = {o.id: o.name for o in scenario.outcomes}
    return Wargame(assignment, scenario.id, names, games, played, from_submitted)


def build(root: Path, assignment: str | None = None, seeds: int = DEFAULT_SEEDS, jobs: int = 1) -> Report:
    """Gather the report for every assignment in the gradebook, or for ``assignment`` only."""
    from course.report.grades import read

    root = Path(root).resolve()
    if not coursedir.is_course(root):
        raise ReportError(coursedir.not_a_course(root))
    url, course = coursedir.db_url(root), coursedir.course_id(root)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise ReportError(f"no gradebook at {url.removeprefix('sqlite:///')}: grade a class first (pact-course grade)")
    try:
        grades = read(url, course, [assignment] if assignment else None)
    except KeyError as err:
        raise ReportError(f"the gradebook has no assignment {err.args[0]!r}") from None
    report = Report(course, root, _dt.datetime.now().strftime("%Y-%m-%d %H:%M"), grades)
    if (assignment in (None, WARGAME)) and student_folders(root, WARGAME):
        report.wargame = wargame(root, WARGAME, seeds, jobs)
    return report


def write(report: Report, path: Path) -> Path:
    """Write the page (UTF-8); the folder is created if needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report), encoding="utf-8")
    return path
