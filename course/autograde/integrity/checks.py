"""Integrity checks that ``pact-course grade`` runs on every submission, and the flags they raise.

A *flag* is a finding a person should look at before a grade stands: the grader's summary shows it
with the trick's category in brackets, and ``Outcome.flags`` carries it for the class report. Flags
come from three places:

- ``scan`` (here, before grading): ``course.autograde.integrity.scan``'s static scan of the code a student could change;
- ``near_copies`` (here, before grading): a function pasted from the kit's reference strategies, names and
  constants changed (and, as a note, one pasted from the answer key in ``source/``);
- ``outside_folder`` (here, before grading, and only where the sandbox cannot run): code that reaches outside
  its folder and process (``course.autograde.integrity.outside``), which bubblewrap would have stopped;
- ``wargame_logs`` (here, before grading): each decision log beside the notebook, replayed in the
  grader's process; one that does not replay (an impossible move, another scenario or rules) or whose
  recorded outcome differs from its replay is flagged, since the kit never writes such a file;
- the grading run itself (``course.autograde.integrity.run``): a test cell that did not reach its end, or ran
  against a rebound kit; and ``course.autograde.submissions``' findings about edited locked cells, changed
  grading metadata and duplicated or deleted graded cells (``EDIT_KINDS``).

Each run records its students' flags in ``autograded/.pact-integrity/<assignment>.json`` (``load_flags``
reads them, e.g. for the class report).

Importing this module registers the checks with ``course.autograde.submissions``.
"""

from __future__ import annotations

import json
from pathlib import Path

from course import coursedir
from course.autograde.submissions import Context, Finding, register, released_notebooks
from course.notebooks import cell_source, nbgrader_meta

FLAG = "flag:"
# submission_checks' own findings that are also integrity flags: the notebook's graded structure was changed.
EDIT_KINDS = {"duplicated-cell", "edited-locked-cell", "changed-metadata", "changed-points", "deleted-cell"}
WARGAME_ASSIGNMENTS = ("04-crisis-wargame", "05-policy-memo")


def is_flag(finding: Finding) -> bool:
    """Whether a finding asks a person to review the submission for a trick."""
    return finding.kind.startswith(FLAG) or finding.kind in EDIT_KINDS


def flag_text(finding: Finding) -> str:
    """The flag as the summary shows it: the message, with the category in brackets."""
    if finding.kind.startswith(FLAG) or "[" in finding.message:
        return finding.message
    return f"{finding.message} [edited-cells]"


def scan(context: Context) -> list[Finding]:
    """The static scan of each submitted notebook against its released version."""
    from course.autograde.integrity.scan import scan_notebook

    found: list[Finding] = []
    for name, given in released_notebooks(context.root, context.assignment).items():
        path = context.folder / name
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # missing or damaged: submission_checks reports it
        if not isinstance(nb, dict):
            continue
        for item in scan_notebook(nb, given):
            found.append(Finding(FLAG + item.category, "suspicious code, " + item.describe(name)))
    return found


def wargame_logs(context: Context) -> list[Finding]:
    """Flag decision logs the kit could not have written: they do not replay, or their outcome is not the
    replay's. (Samples in subfolders are the assignment's own test data and are not looked at.)"""
    from course.engine import logfile
    from course.engine.crisis import ReplayError
    from course.scenario.loader import load

    paths = sorted(Path(context.folder).glob(logfile.PREFIX + "*.json"))
    if not paths:
        return []
    scenario = load("korean-peninsula-2024")
    found: list[Finding] = []
    for path in paths:
        try:
            record = logfile.load(path)
        except logfile.LogFileError:
            continue  # damaged: graded as missing, and the test cell says so
        if record.scenario_id != scenario.id:
            found.append(_log_flag(path, f"is a log of another scenario ({record.scenario_id!r})"))
            continue
        try:
            game = logfile.verify(scenario, record)
        except ReplayError as err:
            found.append(_log_flag(path, f"does not replay: {err}"))
            continue
        if record.seen_outcome is not None and record.seen_outcome != game.outcome:
            found.append(
                _log_flag(
                    path, f"records the outcome {record.seen_outcome!r}, but its moves replay to {game.outcome!r}"
                )
            )
    return found


def near_copies(context: Context) -> list[Finding]:
    """Functions in the code a student could change that are near copies (:mod:`course.grading.near_copy`) of a
    reference strategy: the kit's (a flag, ``near-copy``; the strategy's tests have already refused it), or
    the answer key's in the instructor's ``source/`` (a note for a person: the key itself must grade full
    marks, and this repository's ``solutions/`` is public, so a class's own key is what keeps this meaningful).
    """
    from course.grading import near_copy

    key: dict[str, list[str]] = {}
    for path in sorted(coursedir.assignment_dir(context.root, coursedir.SOURCE, context.assignment).glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        for cell in cells:
            if cell.get("cell_type") == "code" and nbgrader_meta(cell).get("solution"):
                for name, tokens in near_copy.functions(cell_source(cell)).items():
                    if tokens[:1] == ["args:1"] and "(view" in cell_source(cell):
                        key[f"the answer key's {name} (source/{context.assignment}/{path.name})"] = tokens
    found: list[Finding] = []
    for name, given in released_notebooks(context.root, context.assignment).items():
        try:
            nb = json.loads((context.folder / name).read_text(encoding="utf-8"))
            cells = nb.get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        given_code = {cell_source(c).strip() for c in given.get("cells", []) if c.get("cell_type") == "code"}
        mine = "\n\n".join(
            cell_source(c) for c in cells if c.get("cell_type") == "code" and cell_source(c).strip() not in given_code
        )
        copies = near_copy.near_copies(mine)
        if copies:
            what = "; ".join(f"{c.function} ~ {c.reference} ({c.ratio:.0%})" for c in copies)
            found.append(
                Finding(
                    FLAG + "near-copy",
                    f"{name}: near copies of the kit's reference strategies, names and "
                    f"constants aside: {what} [near-copy]",
                )  # fmt: skip
            )
        copies = near_copy.near_copies(mine, key) if key else []
        if copies:
            what = "; ".join(f"{c.function} ~ {c.reference} ({c.ratio:.0%})" for c in copies)
            found.append(
                Finding(
                    "near-copy-of-key",
                    f"{name}: near copy of the answer key: {what}; if your class could "
                    "read that key (this repository's solutions/ is public), look at it",
                )  # fmt: skip
            )
    return found


def outside_folder(context: Context) -> list[Finding]:
    """Without the sandbox only: code the student added that reaches outside its folder and process
    (:mod:`course.autograde.integrity.outside`); under bubblewrap there is nothing there to reach."""
    from course.autograde.integrity.outside import scan_outside
    from course.sandbox import jail

    if jail.status().confined:
        return []
    found: list[Finding] = []
    for name, given in released_notebooks(context.root, context.assignment).items():
        try:
            cells = json.loads((context.folder / name).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        given_code = {cell_source(c).strip() for c in given.get("cells", []) if c.get("cell_type") == "code"}
        for index, cell in enumerate(cells):
            if cell.get("cell_type") == "code" and cell_source(cell).strip() not in given_code:
                for item in scan_outside(cell_source(cell), index):
                    found.append(Finding(FLAG + item.category, "without the sandbox, " + item.describe(name)))
    return found


def _log_flag(path: Path, what: str) -> Finding:
    return Finding(
        FLAG + "wargame-log",
        f"{path.name} {what}; the board never writes such a file (edited by hand?) [wargame-log]",
    )


register("*", scan)
register("*", near_copies)
register("*", outside_folder)
for _assignment in WARGAME_ASSIGNMENTS:
    register(_assignment, wargame_logs)


FLAGS_FOLDER = Path(coursedir.AUTOGRADED) / ".pact-integrity"


def flags_path(root: Path, assignment: str) -> Path:
    """Where a grading run keeps each student's flags for the class report (beside nbgrader's autograded/)."""
    return Path(root) / FLAGS_FOLDER / f"{assignment}.json"


def load_flags(root: Path, assignment: str) -> dict[str, list[str]]:
    """Student id -> the integrity flags of their last grading ({} when none was recorded)."""
    try:
        data = json.loads(flags_path(root, assignment).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): [str(f) for f in v] for k, v in data.items()} if isinstance(data, dict) else {}


def save_flags(root: Path, assignment: str, graded: dict[str, list[str]]) -> Path:
    """Record the flags of the students graded in this run (others keep theirs); atomic write.

    Why a file: the gradebook has no place for them, and the class report (``course.report.class_report``) and a
    person re-reading the run later both need them after the summary table has scrolled away.
    """
    import os
    import tempfile

    path = flags_path(root, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = load_flags(root, assignment)
    for student, flags in graded.items():
        if flags:
            data[student] = flags
        else:
            data.pop(student, None)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(dict(sorted(data.items())), handle, indent=1)
    os.replace(tmp, path)
    return path
