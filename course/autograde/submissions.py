"""What is wrong with a submission, in words an instructor can act on.

nbgrader grades what it can and, for the rest, logs a traceback whose last line is often misleading
(a copied cell fails with "old version of the nbgrader metadata format", #1083; flipped grading
metadata with "Inconsistent checksums", #1423). ``pact-course grade`` therefore:

1. *before* grading, compares each submitted notebook with the released one (``inspect``), cheaply
   and with the stdlib only: missing or misnamed notebook, invalid JSON, duplicated or deleted
   graded cells, edited locked cells, changed grading metadata;
2. *after* grading, explains a failure from those findings or nbgrader's log (``explain_failure``),
   and reads the autograded notebook for what nbgrader graded but a person should hear about
   (``notes_from_autograded``: time-outs, memory cap, truncated output).

Assignment-specific checks (the wargame's decision log) plug in with ``register``; each returns
findings for one submission folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from course import coursedir, notebooks
from course.autograde.messages import Cell


@dataclass(frozen=True)
class Finding:
    """One thing about one submission. ``fatal``: nbgrader cannot grade the submission because of it."""

    kind: str
    message: str
    fatal: bool = False


@dataclass(frozen=True)
class Context:
    """What a check gets: the course, the assignment, the student and their submitted folder."""

    root: Path
    assignment: str
    student: str
    folder: Path


Check = Callable[[Context], list[Finding]]
_CHECKS: dict[str, list[Check]] = {}


def register(assignment: str, check: Check) -> Check:
    """Run ``check`` on every submission of ``assignment`` ("*" for all) before grading."""
    _CHECKS.setdefault(assignment, []).append(check)
    return check


def _read(path: Path) -> tuple[dict | None, str | None]:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, "is not text (a binary file saved under a notebook's name)"
    except json.JSONDecodeError as err:
        return None, f"is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, "is JSON but not a notebook (no list of cells)"
    return nb, None


def released_notebooks(root: Path, assignment: str) -> dict[str, dict]:
    """The notebooks students were given, by file name (exercises/, the release folder)."""
    folder = coursedir.assignment_dir(root, coursedir.RELEASE, assignment)
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.ipynb"))}


def _compare_cells(name: str, got: dict, given: dict) -> list[Finding]:
    found: list[Finding] = []
    positions: dict[str, list[int]] = {}
    for index, cell in enumerate(got["cells"]):
        gid = notebooks.grade_id(cell)
        if gid:
            positions.setdefault(gid, []).append(index)
    for gid, where in positions.items():
        if len(where) > 1:
            cells = ", ".join(str(i + 1) for i in where)
            found.append(
                Finding(
                    "duplicated-cell",
                    f"{name}: graded cell '{gid}' appears {len(where)} times (cells {cells}): the student "
                    "copied, pasted or split it, which copies its hidden grading id. nbgrader then fails "
                    "with a misleading 'old version of the nbgrader metadata format' message (#1083). "
                    "Merge the copies into the first one (or delete the copies' 'nbgrader' metadata) "
                    "in submitted/, then grade this student again.",
                    fatal=True,
                )
            )
    for cell in given["cells"]:
        meta = notebooks.nbgrader_meta(cell)
        gid = meta.get("grade_id")
        if not gid:
            continue
        if gid not in positions:
            if meta.get("grade"):
                what = "test" if not meta.get("solution") else "graded answer"
                found.append(
                    Finding(
                        "deleted-cell",
                        f"{name}: the {what} cell '{gid}' was deleted. nbgrader cannot grade it: its score "
                        "stays empty and the submission needs manual grading. Give the points by hand in "
                        "formgrader, or restore the cell from exercises/ and grade again.",
                    )
                )
            elif meta.get("solution"):
                found.append(
                    Finding(
                        "deleted-cell",
                        f"{name}: the answer cell '{gid}' was deleted; tests that use it will fail.",
                    )
                )
            continue
        sent = got["cells"][positions[gid][0]]
        mine = notebooks.nbgrader_meta(sent)
        changed = [k for k in notebooks.FLAGS if bool(mine.get(k)) != bool(meta.get(k))]
        if changed:
            what = ", ".join(f"{k}: {bool(meta.get(k))} -> {bool(mine.get(k))}" for k in changed)
            found.append(
                Finding(
                    "changed-metadata",
                    f"{name}: the grading settings of cell '{gid}' were changed in the student's copy "
                    f"({what}), e.g. by editing the metadata or the cell toolbar. nbgrader refuses such a "
                    "locked cell ('Inconsistent checksums', #1423). Copy the cell's 'nbgrader' metadata "
                    "back from exercises/ into submitted/, then grade this student again.",
                    fatal=bool(meta.get("locked")) and ("grade" in changed or "solution" in changed),
                )
            )
        elif meta.get("grade") and mine.get("points") != meta.get("points"):
            found.append(
                Finding(
                    "changed-points",
                    f"{name}: points of cell '{gid}' were changed to {mine.get('points')}; nbgrader used "
                    f"the gradebook's {meta.get('points')}.",
                )
            )
        if meta.get("locked") and notebooks.cell_source(sent).strip() != notebooks.cell_source(cell).strip():
            found.append(
                Finding(
                    "edited-locked-cell",
                    f"{name}: the locked cell '{gid}' was edited; nbgrader graded the original instead.",
                )
            )
    return found


def inspect(root: Path, assignment: str, student: str, given: dict[str, dict]) -> list[Finding]:
    """Compare a student's submitted folder with the released notebooks ``given``."""
    folder = coursedir.step_dir(root, coursedir.SUBMITTED, student, assignment)
    found: list[Finding] = []
    present = sorted(p.name for p in folder.glob("*.ipynb")) if folder.is_dir() else []
    missing = [name for name in given if name not in present]
    strays = [name for name in present if name not in given]
    for name in missing:
        hint = f"; found {', '.join(repr(s) for s in strays)}: rename it to {name}" if strays else ""
        fatal = len(missing) == len(given)
        consequence = "nothing can be graded" if fatal else "nbgrader gives that notebook 0"
        found.append(
            Finding(
                "missing-notebook",
                f"no {name} in submitted/{student}/{assignment}/{hint}; {consequence}. Then grade this student again.",
                fatal=fatal,
            )
        )
    for name in present:
        if name not in given:
            continue
        nb, problem = _read(folder / name)
        if problem:
            found.append(
                Finding(
                    "invalid-notebook",
                    f"{name} {problem}: the file is damaged (cut off during upload, or edited as text). "
                    "Ask the student for a fresh copy (File > Download in Jupyter), put it in submitted/, "
                    "then grade this student again.",
                    fatal=True,
                )
            )
            continue
        found.extend(_compare_cells(name, nb, given[name]))
    context = Context(Path(root), assignment, student, folder)
    for check in _CHECKS.get("*", []) + _CHECKS.get(assignment, []):
        found.extend(check(context))
    return found


_EXPLAIN = [
    (
        "Inconsistent checksums for cell",
        "a locked cell's grading settings were changed in the student's "
        "copy, so nbgrader refused it (#1423); copy its 'nbgrader' metadata back from exercises/",
    ),
    (
        "old version",
        "a graded cell's grading id is duplicated or damaged (a copied or split cell, #1083); "
        "merge the copies in submitted/",
    ),
    ("No notebooks found", "no notebook with the released name was submitted"),
    ("NotJSONError", "the notebook is not valid JSON; ask for a fresh copy"),
    ("database is locked", "the gradebook was busy (another program held it); grade this student again"),
]


def explain_failure(log: str, findings: list[Finding], last_cell: Cell | None, memory_mb: int) -> str:
    """One paragraph saying why nbgrader could not grade a submission and what to do."""
    fatal = [f.message for f in findings if f.fatal]
    if fatal:
        return " ".join(fatal)
    if "DeadKernelError" in log or "Kernel died" in log:
        if not last_cell:
            return (
                "the Python kernel died before running any cell: it could not start. If every student "
                f"fails like this, the memory cap ({memory_mb} MiB) is too low for a kernel (it needs "
                "about 600 MiB of address space); otherwise see the run log."
            )
        where = f"{last_cell.label()} (starting {last_cell.first_line!r})"
        return (
            f"the Python kernel died while running {where}: the code ended the process (os._exit, a "
            f"crash such as a segfault from ctypes, or more than the {memory_mb} MiB memory cap "
            "outside Python). nbgrader records no grade for a submission whose kernel dies. Grade it "
            "by hand, ask the student to remove that code, or grade again with --salvage (that cell "
            "replaced by an error, in a copy)."
        )
    for needle, words in _EXPLAIN:
        if needle in log:
            return words + "; then grade this student again."
    errors = [line for line in log.splitlines() if line.startswith("[ERROR]") and "Please see" not in line]
    return (errors[0].removeprefix("[ERROR] ") if errors else "nbgrader failed") + " (see the run log)."


_TRUNCATED = re.compile(r"\.\.\. Output truncated \.\.\.")


def notes_from_autograded(path: Path, timeout: int, memory_mb: int) -> list[str]:
    """Time-outs, memory errors and cut output in an autograded notebook (graded, but say so)."""
    nb, problem = _read(path)
    if problem or nb is None:
        return []
    notes = []
    for index, cell in enumerate(nb["cells"]):
        gid = notebooks.grade_id(cell)
        label = f"cell {index + 1}" + (f" '{gid}'" if gid else "")
        effect = "it scores 0" if notebooks.nbgrader_meta(cell).get("grade") else "the rest of the cell did not run"
        names = {o.get("ename") for o in cell.get("outputs", []) if o.get("output_type") == "error"}
        if "CellTimeoutError" in names:
            notes.append(
                f"{path.name}: {label} ran longer than {timeout} s and was stopped (an endless loop?); {effect}"
            )
        if "MemoryError" in names:
            notes.append(f"{path.name}: {label} needed more than the {memory_mb} MiB memory cap; {effect}")
        text = "".join(notebooks.text(o.get("text", "")) for o in cell.get("outputs", []))
        if _TRUNCATED.search(text):
            notes.append(f"{path.name}: {label} printed too much; its output was cut (graded normally)")
    return notes
