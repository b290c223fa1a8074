"""The notebook format, once: a cell's source, nbgrader's cell metadata, test cells, and the markers.

Every module that reads a notebook as JSON (the build's leak check, the submission checks, the integrity
scan, the grader's scratch copy, feedback, the self-check, the class report) asks here, so that a second,
slightly different reading of the same file cannot creep in. Standard library only, and nothing imported
from ``course``: code that runs in a student's kernel may import it, and must pay nothing for it.

>>> cell = {"cell_type": "code", "source": ["x = 1\\n", "assert x\\n"],
...         "metadata": {"nbgrader": {"grade": True, "solution": False, "grade_id": "test_x", "points": 1}}}
>>> cell_source(cell)
'x = 1\\nassert x\\n'
>>> grade_id(cell), is_test_cell(cell)
('test_x', True)
>>> strip_hidden_tests("assert a\\n### BEGIN HIDDEN TESTS\\nassert b\\n### END HIDDEN TESTS\\nassert c")
('assert a\\nassert c', True)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# nbgrader's delimiters (its defaults; nbgrader matches them anywhere in a line, usually after "### ").
HIDDEN_TESTS = "HIDDEN TESTS"
HIDDEN_BEGIN, HIDDEN_END = "BEGIN " + HIDDEN_TESTS, "END " + HIDDEN_TESTS
SOLUTION_BEGIN, SOLUTION_END = "BEGIN SOLUTION", "END SOLUTION"
MARK_SCHEME_BEGIN, MARK_SCHEME_END = "BEGIN MARK SCHEME", "END MARK SCHEME"
# What a notebook handed to students (or the answer key) must never contain.
LEAK_MARKERS = (SOLUTION_BEGIN, SOLUTION_END, HIDDEN_BEGIN, HIDDEN_END, MARK_SCHEME_BEGIN)

# What nbgrader's ClearSolutions leaves in an answer cell for the student to replace.
BLANK_WRITTEN_ANSWER = "YOUR ANSWER HERE"
BLANK_CODE_ANSWER = "raise NotImplementedError()"

# The nbgrader metadata flags that decide how a cell is graded (nbgrader refuses a locked cell whose flags changed).
FLAGS = ("grade", "solution", "locked", "task")


def text(value: Any) -> str:
    """nbformat's multi-line string (a cell's source, a stream output's text): one string, or a list of lines."""
    return "".join(map(str, value)) if isinstance(value, list) else str(value)


def cell_source(cell: dict) -> str:
    """A cell's source as one string, whether the file stores it as a string or as a list of lines."""
    return text(cell.get("source", ""))


def nbgrader_meta(cell: dict) -> dict:
    """The cell's ``nbgrader`` metadata (grade, solution, locked, task, grade_id, points), or {}."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def grade_id(cell: dict) -> str | None:
    """The cell's nbgrader grade id, if it has one."""
    return nbgrader_meta(cell).get("grade_id")


def points(cell: dict) -> float:
    """The points the cell is worth (0 when it states none)."""
    return nbgrader_meta(cell).get("points", 0)


def is_locked(cell: dict) -> bool:
    """A read-only cell: nbgrader puts the instructor's version back when grading."""
    return bool(nbgrader_meta(cell).get("locked"))


def is_test_cell(cell: dict) -> bool:
    """A graded code cell that is not an answer: nbgrader's "autograder tests" cell."""
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _hidden_regions(source: str) -> Iterator[tuple[str, str]]:
    """Each line of ``source`` with where it is: "visible", "hidden" (inside a hidden-test region) or "marker".

    As nbgrader reads it: a line holding ``BEGIN HIDDEN TESTS`` opens a region, one holding ``END HIDDEN
    TESTS`` closes it; an unclosed region runs to the end of the cell (nothing in it is shown). An end marker
    outside any region is left as it is (a comment, to Python).
    """
    hiding = False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            hiding = True
            yield line, "marker"
        elif HIDDEN_END in line and hiding:
            hiding = False
            yield line, "marker"
        else:
            yield line, "hidden" if hiding else "visible"


def strip_hidden_tests(source: str) -> tuple[str, bool]:
    """Remove ``BEGIN HIDDEN TESTS`` ... ``END HIDDEN TESTS`` regions (marker lines included); and whether any was
    there. The result is the cell as nbgrader hands it to students."""
    kept, removed = [], False
    for line, where in _hidden_regions(source):
        if where == "visible":
            kept.append(line)
        else:
            removed = True
    return "\n".join(kept), removed


def hidden_test_lines(source: str) -> tuple[list[str], list[str]]:
    """The lines of ``source`` outside hidden-test regions, and those inside (marker lines in neither)."""
    visible: list[str] = []
    hidden: list[str] = []
    for line, where in _hidden_regions(source):
        if where != "marker":
            (hidden if where == "hidden" else visible).append(line)
    return visible, hidden
