"""Decision-log files: a fixed name per assignment, atomic saves, loading with clear errors, verification.

The crisis board autosaves the game after every click (nbgrader re-executes notebooks in a fresh kernel
and widget clicks are not code), resumes from the file when it is built again, and writes nothing while
``NBGRADER_EXECUTION`` is set (autograded files are read-only, and a re-run must not overwrite a game).

>>> log_path("04-crisis-wargame", "/tmp/class").name
'decision-log-04-crisis-wargame.json'
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from course.engine.crisis import Crisis, DecisionLog, replay
from course.scenario.loader import Scenario

PREFIX = "decision-log-"


class LogFileError(ValueError):
    """A decision-log file that is missing, unreadable or not a decision log."""


def log_path(assignment: str, folder: str | Path = ".") -> Path:
    """The fixed file name for an assignment's log: ``<folder>/decision-log-<assignment>.json``."""
    if not assignment or "/" in assignment or "\\" in assignment or assignment.startswith("."):
        raise ValueError(f"not an assignment name: {assignment!r}")
    return Path(folder) / f"{PREFIX}{assignment}.json"


def writes_allowed() -> bool:
    """False while nbgrader executes the notebook (``NBGRADER_EXECUTION`` set): then nothing is written."""
    return not os.environ.get("NBGRADER_EXECUTION")


def save(log: DecisionLog, path: str | Path) -> bool:
    """Write the log atomically (temporary file + ``os.replace``); returns False and writes nothing while
    nbgrader executes the notebook.

    The file gets the mode of any file the student saves (0o666 less the umask, usually 0o644), not
    ``mkstemp``'s 0o600: an instructor collecting logs by copy must be able to read them."""
    if not writes_allowed():
        return False
    path = Path(path)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(log.to_json() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def load(path: str | Path) -> DecisionLog:
    """Read a log file; :class:`LogFileError` says plainly what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LogFileError(f"{path.name}: no decision log here (play the game first)") from None
    except (OSError, UnicodeDecodeError) as err:
        raise LogFileError(f"{path.name}: cannot read the decision log ({err})") from None
    try:
        return DecisionLog.from_json(text)
    except json.JSONDecodeError as err:
        raise LogFileError(
            f"{path.name}: the decision log is damaged (not JSON: {err.msg}, line {err.lineno})"
        ) from None
    except ValueError as err:
        raise LogFileError(f"{path.name}: {err}") from None


def verify(scenario: Scenario, log: DecisionLog) -> Crisis:
    """Replay the log (outcome recomputed, never read from the log); raises ``ReplayError`` if it does not
    fit the scenario."""
    return replay(scenario, log)


def resume(scenario: Scenario, path: str | Path, seed: int = 0) -> Crisis:
    """The game in ``path`` replayed, or a new game with ``seed`` when there is no file yet.

    Raises :class:`LogFileError` for a damaged file and ``course.engine.crisis.ReplayError`` for a log made with
    other rules; the caller decides what to tell the student (nothing is overwritten here)."""
    if not Path(path).exists():
        return Crisis(scenario, seed=seed)
    return replay(scenario, load(path))
