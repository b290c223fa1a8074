"""What the build made last time, so that a rebuild never silently deletes what a person wrote.

nbgrader's ``generate_assignment --force`` and ``generate_solution --force`` delete
``exercises/<id>/`` and ``solutions/<id>/`` before writing them again (notes/nbgrader-0.9.6.md). Self-study
students work in ``exercises/`` of their clone, and instructors try the notebooks there, so before a rebuild
the build lists every file in those folders that it did not make itself: a notebook someone answered, a notes
file, decision logs. A file is the build's own when its content is byte-identical to a file the build wrote
there last time (``.pact-build.json`` at the course root records each one's sha256), or to the version git
holds for that path (a fresh clone, or a manifest older than the committed notebooks). Anything else is
somebody's work: the build refuses, or with ``--overwrite`` copies it to ``.pact-backup/<time>/`` first.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
from pathlib import Path

MANIFEST = ".pact-build.json"
BACKUP_DIR = ".pact-backup"
GENERATED = ("exercises", "solutions")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _git_blob(path: Path) -> str:
    data = Path(path).read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324 - git's own object id


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def load(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file the last builds wrote ({} if there is no manifest)."""
    try:
        data = json.loads((Path(root) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files", {}) if isinstance(data, dict) else {}
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}


def record(root: Path, assignment: str) -> None:
    """Remember what the build just wrote for ``assignment`` (its entries replace the earlier ones)."""
    root = Path(root)
    files = {k: v for k, v in load(root).items() if not any(k.startswith(f"{d}/{assignment}/") for d in GENERATED)}
    for name in GENERATED:
        for path in _files(root / name / assignment):
            files[_rel(root, path)] = sha256(path)
    about = "written by `pact-course build`: what it generated (see course/autograde/manifest.py)"
    text = json.dumps({"about": about, "files": files}, indent=1, sort_keys=True)
    (root / MANIFEST).write_text(text + "\n", encoding="utf-8")


def _git_index(root: Path, paths: list[str]) -> dict[str, str]:
    """Path -> git blob id in the index, for those of ``paths`` git tracks ({} outside a git checkout)."""
    if not paths:
        return {}
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--stage", "--", *paths], cwd=root, capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    index = {}
    for entry in done.stdout.split("\0"):
        meta, _, path = entry.partition("\t")
        if path and len(meta.split()) == 3:
            index[path] = meta.split()[1]
    return index


def at_risk(root: Path, assignment: str) -> list[str]:
    """Files a rebuild of ``assignment`` would delete or replace that the build did not make (relative paths).

    Top-level files beside the answer key's notebooks are kept by the build (it puts them back), so they are
    not at risk unless the build writes a file of the same name from ``source/``.
    """
    root = Path(root)
    made = load(root)
    from_source = {_rel(root / "source" / assignment, p) for p in _files(root / "source" / assignment)}
    candidates = []
    for name in GENERATED:
        folder = root / name / assignment
        ours = {h for k, h in made.items() if k.startswith(f"{name}/{assignment}/")}
        for path in _files(folder):
            rel = path.relative_to(folder)
            kept = name == "solutions" and len(rel.parts) == 1 and rel.suffix != ".ipynb"
            if kept and rel.as_posix() not in from_source:
                continue
            if sha256(path) in ours:
                continue
            candidates.append(path)
    index = _git_index(root, [_rel(root, p) for p in candidates])
    return [_rel(root, p) for p in candidates if index.get(_rel(root, p)) != _git_blob(p)]


def backup(root: Path, paths: list[str], now: float | None = None) -> Path:
    """Copy ``paths`` (relative to ``root``) into a new ``.pact-backup/<YYYYmmdd-HHMMSS>/`` and return it."""
    root = Path(root)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    where, n = root / BACKUP_DIR / stamp, 1
    while where.exists():
        n += 1
        where = root / BACKUP_DIR / f"{stamp}-{n}"
    for rel in paths:
        target = where / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target)
    return where
