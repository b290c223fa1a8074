"""The course folder, once: its nbgrader configuration, gradebook, course id, and nbgrader's step folders.

A course directory is the folder holding ``nbgrader_config.py`` (this repository's root, or a temporary copy
of it in the tests). nbgrader keeps each step's notebooks in ``{step}/{student}/{assignment}`` (submitted,
autograded, feedback) or ``{step}/{assignment}`` (source, release, solution); the folder names below are the
ones ``nbgrader_config.py`` sets (``tests/test_coursedir.py`` checks that they agree).

Importing this module costs nothing beyond the standard library: traitlets (and so nbgrader's configuration)
is imported inside :func:`config`, the first time a command needs it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

CONFIG_FILE = "nbgrader_config.py"

# nbgrader's steps, by the folder each lives in here.
SOURCE = "source"  # instructor notebooks (solutions and hidden tests inside)
RELEASE = "exercises"  # what students get (nbgrader's release_directory)
SOLUTION = "solutions"  # the answer key (nbgrader's solution_directory)
SUBMITTED = "submitted"
AUTOGRADED = "autograded"
FEEDBACK = "feedback"
# The kit's own folder: copies of submissions graded with --salvage, in nbgrader's {step}/{student}/{assignment}.
SALVAGE_DIR = ".pact-salvaged"

_CONFIGS: dict[tuple[str, int, int], Any] = {}


def add_root(parser: argparse.ArgumentParser) -> None:
    """``--root DIR``: the course directory (the folder holding nbgrader_config.py), by default here."""
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="course directory (default: here)")


def is_course(root: Path) -> bool:
    """Whether ``root`` is a course directory (it holds nbgrader_config.py)."""
    return (Path(root) / CONFIG_FILE).exists()


def not_a_course(root: Path) -> str:
    """The one sentence every command says when ``root`` is not a course directory."""
    return f"{root}: not a course directory (no {CONFIG_FILE})"


def course_root(args: argparse.Namespace) -> Path | None:
    """The resolved course directory, or None after saying on stderr why it is not one."""
    root = args.root.resolve()
    if not is_course(root):
        print(not_a_course(root), file=sys.stderr)
        return None
    return root


def config(root: Path) -> Any:
    """The course's nbgrader_config.py as a traitlets Config (a fresh copy: callers may add to it).

    Read explicitly: ``NbGraderAPI()`` on its own ignores nbgrader_config.py. The file is read once per
    process and read again only when it changes (its modification time or size).
    """
    import copy

    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root).resolve()
    stat = (root / CONFIG_FILE).stat()
    key = (str(root), stat.st_mtime_ns, stat.st_size)
    if key not in _CONFIGS:
        _CONFIGS.clear()
        _CONFIGS[key] = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    return copy.deepcopy(_CONFIGS[key])


def db_url(root: Path) -> str:
    """The gradebook's URL from nbgrader_config.py (nbgrader's default: gradebook.db in the root)."""
    url = config(root).CourseDirectory.get("db_url")
    return str(url) if url else "sqlite:///" + str(Path(root).resolve() / "gradebook.db")


def course_id(root: Path) -> str:
    """The course id from nbgrader_config.py (nbgrader's default: 'default_course')."""
    return str(config(root).CourseDirectory.get("course_id") or "default_course")


def cell_timeout(root: Path) -> int:
    """Seconds a cell may run when grading: nbgrader_config.py's ``Execute.timeout`` (nbgrader's default: 30)."""
    return int(config(root).Execute.get("timeout", 30))


def assignment_dir(root: Path, step: str, assignment: str) -> Path:
    """``{step}/{assignment}``: an assignment's folder in a step that has no students (source, release, solution)."""
    return Path(root) / step / assignment


def step_dir(root: Path, step: str, student: str, assignment: str) -> Path:
    """``{step}/{student}/{assignment}``: one student's folder in a step (submitted, autograded, feedback)."""
    return Path(root) / step / student / assignment


def students(root: Path, step: str, assignment: str) -> list[str]:
    """Students with a folder ``{step}/<student>/{assignment}/``, sorted; the kit's own dot-folders are none."""
    base = Path(root) / step
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir() and not p.name.startswith("."))
