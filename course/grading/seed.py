"""The instructor's seed: hidden test cases drawn at grading time from a secret the public repository lacks.

Why (issue 15): this repository is public, so hidden cases written into ``source/`` are public too, and a
student could hard-code their answers. Where a hidden test checks a function on cases (02, 03, 05), it draws
them instead from :func:`rng`, seeded by a file that lives outside the course folder — so it is never released,
never in ``exercises/``, ``solutions/``, ``feedback/`` or git. Reading ``source/`` tells a student the kind of
case (:mod:`course.grading.cases`), not the case. The same seed gives the same cases, so re-grading gives the
same scores.

The file: ``$XDG_CONFIG_HOME/pact-course/seeds/<course id>`` (``~/.config/...`` when the variable is unset;
``$PACT_COURSE_SEED_DIR/<course id>`` when that is set),
one line of hex, readable by its owner only. ``pact-course build`` creates it when missing (:func:`ensure`) and
says so. Without it (a course never built on this account) the cases come from the public seed ``"public"``,
which anyone can reproduce. Hidden tests run on the grader's side (:mod:`course.autograde.integrity.hidden`),
which names the course before it runs one (:func:`grading_course`); an instructor running a source notebook
in their own kernel gets the course found above the working directory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import secrets
from collections.abc import Iterator
from pathlib import Path

__all__ = ["PUBLIC", "current_seed", "ensure", "grading_course", "read", "rng", "seed_path"]

PUBLIC = "public"  # the seed when the instructor has none: the cases anyone can compute from source/
_COURSES: list[str | None] = []  # the course the grader named, innermost last


DIR_VARIABLE = "PACT_COURSE_SEED_DIR"  # a folder of seeds instead of the default one (the tests use it)


def seed_path(course_id: str) -> Path:
    """Where the seed of ``course_id`` is kept: ``$PACT_COURSE_SEED_DIR/<id>``, or under ``$XDG_CONFIG_HOME`` (or
    ``~/.config``) in ``pact-course/seeds/<id>``: outside any course."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in course_id).lstrip(".") or "default_course"
    if os.environ.get(DIR_VARIABLE):
        return Path(os.environ[DIR_VARIABLE]) / safe
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "pact-course" / "seeds" / safe


def read(course_id: str) -> str | None:
    """The instructor's seed of ``course_id``, or None if there is none (or it cannot be read)."""
    try:
        text = seed_path(course_id).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def ensure(course_id: str) -> tuple[Path, bool]:
    """Create the seed file of ``course_id`` if it is missing (mode 600); ``(path, created)``."""
    path = seed_path(course_id)
    if read(course_id) is not None:
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secrets.token_hex(16) + "\n")
    return path, True


@contextlib.contextmanager
def grading_course(course_id: str | None) -> Iterator[None]:
    """While grading ``course_id``: :func:`rng` uses its seed (the grader runs hidden tests in a scratch folder,
    where the course cannot be found from the working directory)."""
    _COURSES.append(course_id)
    try:
        yield
    finally:
        _COURSES.pop()


def course_at(folder: Path) -> str | None:
    """The id of the course holding ``folder`` (its nbgrader_config.py, here or above), or None."""
    from course import coursedir

    for place in [Path(folder).resolve(), *Path(folder).resolve().parents]:
        if coursedir.is_course(place):
            return coursedir.course_id(place)
    return None


def current_seed() -> str:
    """The seed hidden cases are drawn from now: the named course's, or the one above the working directory's,
    or :data:`PUBLIC`."""
    course = _COURSES[-1] if _COURSES else course_at(Path.cwd())
    return (read(course) if course else None) or PUBLIC


def rng(*keys: str, seed: str | None = None) -> random.Random:
    """A generator for one hidden test's cases: the seed and ``keys`` (assignment, test) hashed together, so
    each test draws its own cases and adding a test changes no other's.

    >>> rng("02", "best_responses", seed="public").random() == rng("02", "best_responses", seed="public").random()
    True
    """
    text = "\0".join([current_seed() if seed is None else seed, *keys])
    return random.Random(int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "big"))
