"""Grader-side integrity checks made outside the student's kernel, during nbgrader's Execute step.

Used by ``course.autograde.nbgrader_plugins.TracingExecute`` (instructor side; nothing here runs in a kernel):

1. **Scratch folder.** nbgrader executes the notebook in ``autograded/<student>/<assignment>/``, where the
   file it executes - hidden tests restored into it - sits on disk while the student's code runs, inside
   the course directory beside ``source/`` and the gradebook. ``scratch_folder`` makes the kernel's working
   directory a fresh temporary folder outside the course, holding the submission's other files (decision
   logs, data) and a copy of the notebook *without* hidden tests. This does not stop code that looks for
   the course by absolute path (see the docs: only a container or another user does); the static scan
   reports file reading that names such places.
2. **Reached-the-end check.** ``stamp`` appends to each graded test cell a last line printing a random
   token (``course.autograde.integrity.probe``), after a first line that removes tracing and profiling hooks;
   ``verify`` then requires the token in the cell's outputs, and the kit's digest to match the grader's.
   A test cell that shows no error but did not reach its end, or ran
   against a rebound kit, gets an error output, so nbgrader scores it 0, and a flag names why.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from course import notebooks
from course.autograde.integrity import probe as integrity_probe

_LINE = re.compile(r"\n?" + re.escape(integrity_probe.MARKER) + r" ([0-9a-f]+) ([^\]\n]*)\]\n?")
_EXPECTED: dict[str, str] = {}


def is_test_cell(cell: Any) -> bool:
    """A graded code cell that is not an answer: nbgrader's "autograder tests" cell. (A cell magic's body is
    not Python that ends where the cell ends, so such a cell is not stamped.)"""
    return notebooks.is_test_cell(cell) and not notebooks.cell_source(cell).lstrip().startswith("%%")


def without_hidden_tests(nb: dict) -> dict:
    """A copy of the notebook as the student received it: hidden-test regions removed, outputs cleared."""
    nb = json.loads(json.dumps(nb))
    for cell in nb.get("cells", []):
        cell["source"] = notebooks.strip_hidden_tests(notebooks.cell_source(cell))[0]
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
    return nb


def scratch_folder(autograded: Path, nb: dict, name: str) -> Path:
    """A temporary run folder outside the course: the submission's other files and the notebook (no hidden
    tests). The caller removes ``result.parent`` when the run is over."""
    folder = Path(tempfile.mkdtemp(prefix="pact-run-")) / autograded.name
    fill_scratch_folder(folder, autograded, nb, name)
    return folder


def fill_scratch_folder(folder: Path, autograded: Path, nb: dict, name: str) -> None:
    """Put the submission's other files and the notebook (no hidden tests) into ``folder``, which may exist
    already, empty: the working directory of a kernel started before its notebook was known
    (``course.autograde.kernel_pool``)."""
    ignore = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints")
    shutil.copytree(autograded, folder, ignore=ignore, symlinks=True, dirs_exist_ok=True)
    (folder / name).write_text(json.dumps(without_hidden_tests(nb)), encoding="utf-8")


# First line of a stamped test cell: no tracing or profiling hook left by student code watches the test
# (such a hook sees the test's frames, hence its expected values). The probe checks none is set at the end.
PRELUDE = '__import__("sys").settrace(None); __import__("sys").setprofile(None)'


# Run (silently: no pre_run_cell event, no history) before each test cell: removes the IPython event hooks
# and input/AST transformers written in the notebook, which would see the test cell's source - hidden tests
# included - before any line of it runs. The probe then checks that none is registered at the cell's end.
GUARD = """\
def _pact_guard():
    from course.autograde.integrity.probe import from_a_cell
    shell = get_ipython()
    for callbacks in shell.events.callbacks.values():
        callbacks[:] = [f for f in callbacks if not from_a_cell(f)]
    for name in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers"):
        hooks = getattr(shell, name, None)
        if isinstance(hooks, list):
            hooks[:] = [f for f in hooks if not from_a_cell(f)]
_pact_guard()
del _pact_guard
"""


def stamp(source: str) -> tuple[str, str]:
    """The cell's source with the prelude line first and the reached-the-end line last, and the line's
    random token."""
    token = secrets.token_hex(16)
    line = f'__import__("course.autograde.integrity.probe", fromlist=["reached"]).reached("{token}")'
    # A __future__ import must stay first: such a cell goes without the prelude.
    prelude = "" if "from __future__" in source else PRELUDE + "\n"
    return prelude + source.rstrip("\n") + "\n" + line + "\n", token


def expected(name: str) -> str:
    """The grader's own digest of a kit module (or of the builtins), computed here once."""
    if name not in _EXPECTED:
        import importlib

        if name == "builtins":
            _EXPECTED[name] = integrity_probe.builtins_digest()
        else:
            try:
                _EXPECTED[name] = integrity_probe.module_digest(importlib.import_module(name))
            except Exception:  # a module the kernel has and the grader cannot import: a fake
                _EXPECTED[name] = "cannot-import"
    return _EXPECTED[name]


def _strip(cell: Any) -> list[tuple[str, str]]:
    """Remove the marker lines from the cell's stream outputs; return each (token, sums) found."""
    found: list[tuple[str, str]] = []
    kept = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            text = notebooks.text(out.get("text", ""))
            found.extend(_LINE.findall(text))
            text = _LINE.sub("", text)
            if not text:
                continue
            out["text"] = text
        kept.append(out)
    cell["outputs"] = kept
    return found


def verify(cell: Any, token: str) -> str | None:
    """Check a stamped test cell after execution. Returns why it cannot count (and adds an error output so
    nbgrader scores it 0), or None."""
    found = _strip(cell)
    if any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
        return None  # failed in plain sight: nbgrader gives it 0 already
    mine = [sums for got, sums in found if got == token]
    if len(mine) != 1 or len(found) != 1:
        problem = (
            "the test cell showed no error but did not run to its end (its last line never ran): student "
            "code hid an error or cut the cell short [test-cell-unfinished]"
        )
    else:
        changed = []
        for item in mine[0].split(","):
            name, _, digest = item.partition("=")
            if digest != expected(name):
                changed.append(name)
        if not changed:
            return None
        problem = (
            f"the test cell ran against changed code: {', '.join(changed)} differ(s) from the installed kit "
            "(student code rebound a function, class, sys.modules entry or builtin) [kit-changed]"
        )
    from nbformat import from_dict

    cell.setdefault("outputs", []).append(
        from_dict(
            {
                "output_type": "error",
                "ename": "IntegrityError",
                "evalue": "pact-course: " + problem,
                "traceback": ["IntegrityError: pact-course: " + problem],
            }
        )
    )
    return problem
