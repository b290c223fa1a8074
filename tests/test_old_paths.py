"""Notebooks handed out before the package layout keep working: every import path they used, and every class
path an older course's nbgrader_config.py names, still resolves, in a fresh interpreter (as a kernel would)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import course

ROOT = Path(__file__).resolve().parents[1]
OLD_PATHS = ROOT / "tests" / "data" / "old-paths.txt"

# Run in a fresh interpreter: the lazy finder and package attributes must work without anything imported first.
PROBE = r"""
import importlib, json, sys
from traitlets.utils.importstring import import_item
failures = []
for line in sys.stdin.read().splitlines():
    if not line or line.startswith("#"):
        continue
    kind, _, what = line.partition(" ")
    try:
        if kind == "attr":
            module, _, name = what.rpartition(".")
            getattr(importlib.import_module(module), name)
        elif kind == "class":
            import_item(what)
        else:
            exec(line, {})
    except Exception as err:
        failures.append(f"{line}: {type(err).__name__}: {err}")
print(json.dumps(failures))
"""


def test_every_old_import_path_still_resolves():
    lines = OLD_PATHS.read_text(encoding="utf-8")
    assert len([x for x in lines.splitlines() if x and not x.startswith("#")]) > 40
    done = subprocess.run(
        [sys.executable, "-c", PROBE], input=lines, capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert json.loads(done.stdout) == []


def test_an_old_flat_path_is_the_same_module_object_as_the_new_one():
    import course.log

    import course.engine.logfile

    assert course.log is course.engine.logfile
    from course import wargame_checks
    from course.grading import wargame_checks as new

    assert wargame_checks is new


def test_every_old_flat_module_name_maps_to_an_existing_module():
    for old, new in course.MOVED.items():
        assert (ROOT / (new.replace(".", "/") + ".py")).is_file(), (old, new)
        assert not (ROOT / (old.replace(".", "/") + ".py")).exists(), f"{old} is still a flat module"


def test_a_package_that_replaced_a_module_stays_import_free():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, course.grading, course.sandbox, course.autograde;"
            "print(sorted(m for m in sys.modules if m.startswith('course')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == str(["course", "course.autograde", "course.grading", "course.sandbox"])


def test_an_unknown_name_is_still_an_attribute_error():
    import course.grading

    try:
        course.grading.no_such_helper  # noqa: B018
    except AttributeError as err:
        assert "no_such_helper" in str(err)
    else:
        raise AssertionError("expected AttributeError")
