"""What ``pact-course grade`` and its grading processes say to each other: typed messages, JSON between processes.

The parent (``course.autograde.run``) starts ``python -m course.autograde.worker OPTIONS``, OPTIONS being
:class:`WorkerOptions` as one JSON argument. The worker prints :data:`READY` once it can grade; then, for each
:class:`Job` line it reads from stdin, one :class:`Reply` line. Its stdout carries only these lines.

Standard library only: the parent reads replies without paying for nbgrader's imports. Decoding builds the
dataclass from the JSON object, so a key either side does not know fails loudly instead of being dropped.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

READY = '{"ready": true}'


@dataclass(frozen=True)
class WorkerOptions:
    """One grading process's settings. ``timeout``: seconds per cell (None: nbgrader_config.py's);
    ``tmp``: where the process makes its temporary folders (the parent removes it, however the process ends)."""

    root: str
    assignment: str
    timeout: int | None
    memory_mb: int
    max_output_lines: int | None
    tmp: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> WorkerOptions:
        return cls(**json.loads(text))


@dataclass(frozen=True)
class Job:
    """Grade this student. ``force``: even if already autograded; ``salvage``: see ``worker._salvage``."""

    student: str
    force: bool = False
    salvage: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Job:
        return cls(**json.loads(text))


@dataclass(frozen=True)
class Cell:
    """A cell of a notebook being graded: the one started last, or one the salvage replaced."""

    notebook: str  # the notebook's name without .ipynb
    index: int  # from 0
    grade_id: str | None = None
    first_line: str = ""  # its first non-blank line, cut at 80 characters

    def label(self) -> str:
        """``cell 3 'test_double'``: the cell as a person finds it (counting from 1)."""
        return f"cell {self.index + 1}" + (f" '{self.grade_id}'" if self.grade_id else "")


@dataclass(frozen=True)
class IntegrityProblem:
    """A test cell that showed no error but cannot count (``course.autograde.integrity.run``): scored 0."""

    notebook: str
    index: int
    grade_id: str | None
    problem: str


@dataclass
class Reply:
    """What grading one student gave. ``score``, ``max_score`` and ``needs_manual`` are the gradebook's (after
    a success); ``retried``: the transient causes it was graded again after; ``salvaged``: cells replaced."""

    student: str
    success: bool
    log: str = ""
    error: str = ""
    last_cell: Cell | None = None
    seconds: float = 0.0
    attempts: int = 1
    retried: list[str] = field(default_factory=list)
    integrity: list[IntegrityProblem] = field(default_factory=list)
    salvaged: list[Cell] = field(default_factory=list)
    score: float | None = None
    max_score: float | None = None
    needs_manual: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Reply:
        data: dict[str, Any] = json.loads(text)
        last = data.pop("last_cell", None)
        integrity = [IntegrityProblem(**p) for p in data.pop("integrity", [])]
        salvaged = [Cell(**c) for c in data.pop("salvaged", [])]
        return cls(**data, last_cell=Cell(**last) if last else None, integrity=integrity, salvaged=salvaged)
