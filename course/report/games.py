"""The class's played games: each student's decision log, replayed, for the report's outcome distribution.

Why replay: the log's recorded outcome is what the student *saw*, and a file is easy to edit; the engine
recomputes the ending from the seed and the moves (:func:`course.engine.logfile.verify`), so the distribution is of
games that really happened under this scenario's rules. The log is plain data (JSON read by
:func:`course.engine.logfile.load`): replaying it runs only the kit's engine, never student code.

Per student the folder nbgrader graded is read (``autograded/<student>/<assignment>/``), or the submitted
one when grading has not produced it. The fixed-name log comes first, then games the board kept when a new
one was started (:func:`course.grading.wargame_checks.log_files`); the first that replays to a finished game counts.
Every other case is a :class:`GameRecord` with a ``problem`` for the report to list — missing, damaged, of
another scenario or rules version, unfinished — and never an exception. Two students handing in the same
game (same seed, same moves) are both noted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from course import coursedir
from course.engine import logfile
from course.engine.crisis import ReplayError
from course.grading import wargame_checks
from course.scenario.loader import Scenario


@dataclass(frozen=True)
class GameRecord:
    """One student's game as the report shows it: an ending, or the problem that left it out."""

    student: str
    file: str = ""  # the log that counted, or the first one looked at
    outcome: str | None = None  # outcome id, recomputed by replay
    kind: str | None = None  # war, breakout, de-escalation, standoff
    score: float | None = None
    turns: int = 0
    problem: str = ""  # why no finished game counts (empty: it does)
    note: str = ""  # something to look at, e.g. the same game as another student's

    @property
    def counted(self) -> bool:
        return not self.problem


def student_folders(root: Path, assignment: str) -> dict[str, Path]:
    """Student id -> the folder to read: autograded when it exists, else submitted (sorted by student)."""
    found: dict[str, Path] = {}
    for step in (coursedir.SUBMITTED, coursedir.AUTOGRADED):  # autograded, read second, wins
        for student in coursedir.students(root, step, assignment):
            found[student] = coursedir.step_dir(root, step, student, assignment)
    return dict(sorted(found.items()))


def _one(student: str, folder: Path, scenario: Scenario, assignment: str) -> tuple[GameRecord, tuple | None]:
    files = wargame_checks.log_files(folder, assignment)
    if not files:
        name, step = logfile.log_path(assignment, folder).name, folder.parent.parent.name
        return GameRecord(student, name, problem=f"no decision log ({name} is not in {step}/{student}/)"), None
    problems = []
    for path in files:
        try:
            log = logfile.load(path)
        except logfile.LogFileError as err:
            problems.append(f"damaged: {err}")
            continue
        if log.scenario_id != scenario.id:
            problems.append(f"{path.name}: a game of another scenario ({log.scenario_id!r}, not {scenario.id!r})")
            continue
        try:
            game = logfile.verify(scenario, log)
        except ReplayError as err:
            problems.append(f"{path.name}: does not replay under these rules ({err})")
            continue
        except Exception as err:  # noqa: BLE001 - a hand-made log must not stop the class's report
            problems.append(f"{path.name}: does not replay ({type(err).__name__}: {err})")
            continue
        if not game.over:
            problems.append(f"{path.name}: unfinished ({game.turn} of {scenario.turn_limit} turns at most)")
            continue
        note = "; ".join(problems)
        record = GameRecord(student, path.name, game.outcome, game.outcome_kind, game.score(), game.turn, note=note)
        return record, (log.seed, tuple(log.moves), tuple(sorted((log.doctrines or {}).items())))
    return GameRecord(student, files[0].name, problem="; ".join(problems)), None


def class_games(root: Path, assignment: str, scenario: Scenario) -> list[GameRecord]:
    """Every student with a folder for ``assignment``, with their game or the reason it is left out."""
    records, keys = [], {}
    for student, folder in student_folders(root, assignment).items():
        record, key = _one(student, folder, scenario, assignment)
        records.append(record)
        if key is not None:
            keys.setdefault(key, []).append(student)
    same = {s: others for others in keys.values() if len(others) > 1 for s in others}
    out = []
    for record in records:
        if record.student in same:
            others = [s for s in same[record.student] if s != record.student]
            named = ", ".join(others) if len(others) <= 4 else f"{len(others)} others ({', '.join(others[:3])}, ...)"
            note = "; ".join(filter(None, [record.note, f"the same game (seed and moves) as {named}"]))
            record = replace(record, note=note)
        out.append(record)
    return out


def outcome_counts(records: list[GameRecord], scenario: Scenario) -> dict[str, int]:
    """Outcome id -> number of students whose counted game ended so, in the scenario's order."""
    counts = Counter(r.outcome for r in records if r.counted)
    return {o.id: counts.get(o.id, 0) for o in scenario.outcomes}
