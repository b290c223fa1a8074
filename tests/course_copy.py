"""Temporary copies of the course directory for tests that run real nbgrader (never the repository's own)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ADDRESS = re.compile(r"0x[0-9a-f]{6,}")


def assignments() -> list[str]:
    """Assignment ids in the repository's source/ (folders holding a notebook)."""
    source = ROOT / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))) if source.is_dir() else []


def course_copy(where: Path, ids: list[str] | None = None) -> Path:
    """``where`` becomes a course directory: nbgrader_config.py and source/<id> for each id."""
    shutil.copy(ROOT / "nbgrader_config.py", where / "nbgrader_config.py")
    for aid in ids if ids is not None else assignments():
        shutil.copytree(ROOT / "source" / aid, where / "source" / aid)
    return where


def fresh_clone(where: Path, stand_ins: list[str] | tuple[str, ...] = ()) -> Path:
    """``where`` becomes the course as a fresh clone has it, as far as JupyterLab and the build can tell: no
    gradebook, nothing built since the clone (the build's record ``.pact-build.json`` included). Each name in
    ``stand_ins`` is a folder holding one placeholder file, for tests where only the name matters."""
    for name in ("START_HERE.ipynb", "nbgrader_config.py", "README.md", ".pact-build.json"):
        shutil.copy(ROOT / name, where / name)
    for name in ("source", "exercises", "solutions", "docs"):
        shutil.copytree(ROOT / name, where / name)
    for name in stand_ins:
        (where / name).mkdir()
        (where / name / "placeholder.txt").write_text("hidden in make lab\n")
    return where


def _merge_streams(outputs: list[dict]) -> list[dict]:
    """One stream output per run of prints: how the kernel chunks them depends on timing, not content."""
    merged: list[dict] = []
    for out in outputs:
        if (
            out.get("output_type") == "stream"
            and merged
            and merged[-1].get("output_type") == "stream"
            and (merged[-1].get("name") == out.get("name"))
        ):
            text = merged[-1]["text"]
            merged[-1]["text"] = ("".join(text) if isinstance(text, list) else text) + "".join(out.get("text", ""))
        else:
            if out.get("output_type") == "stream":
                out = {**out, "text": "".join(out.get("text", ""))}
            merged.append(out)
    return merged


def normalised(path: Path) -> dict[str, Any]:
    """A notebook's JSON without what legitimately differs between two builds (cell ids, widget ids)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        cell.pop("id", None)
        cell.get("metadata", {}).pop("execution", None)
        if "outputs" in cell:
            cell["outputs"] = _merge_streams(cell["outputs"])
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            view = data.get("application/vnd.jupyter.widget-view+json")
            if isinstance(view, dict):
                view.pop("model_id", None)
    text = json.dumps(nb, sort_keys=True)
    return json.loads(ADDRESS.sub("0x…", UUID.sub("<uuid>", text)))
