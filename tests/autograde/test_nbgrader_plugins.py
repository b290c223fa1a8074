"""Every class nbgrader_config.py names resolves, at its home and at the paths older courses' configs use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from traitlets.utils.importstring import import_item

from course.autograde import nbgrader_plugins

ROOT = Path(__file__).resolve().parents[2]

OLD_PATHS = {
    "course.grade_worker.TracingExecute": "TracingExecute",
    "course.grade_worker.LimitedKernelManager": "LimitedKernelManager",
    "course.autograde.worker.TracingExecute": "TracingExecute",
    "course.feedback.HideHiddenTests": "HideHiddenTests",
    "course.autograde.feedback.HideHiddenTests": "HideHiddenTests",
    "course.nbgrader_preprocessors.StripSolutionDelimiters": "StripSolutionDelimiters",
}


@pytest.mark.parametrize("dotted", sorted(OLD_PATHS))
def test_old_paths_give_the_same_class(dotted):
    assert import_item(dotted) is getattr(nbgrader_plugins, OLD_PATHS[dotted])


def test_every_course_class_nbgrader_config_names_lives_in_nbgrader_plugins():
    named = set(re.findall(r'"(course\.[\w.]+)"', (ROOT / "nbgrader_config.py").read_text()))
    assert named, "nbgrader_config.py names no class of the kit"
    for dotted in named:
        assert dotted.rpartition(".")[0] == "course.autograde.nbgrader_plugins", dotted
        assert import_item(dotted) is getattr(nbgrader_plugins, dotted.rpartition(".")[2])


def test_the_grading_config_names_classes_that_resolve():
    from course.autograde.worker import grading_config

    config = grading_config(ROOT, 5, 1024, 100)
    assert import_item(config.Execute.kernel_manager_class) is nbgrader_plugins.LimitedKernelManager
    kit = [p for p in config.Autograde.autograde_preprocessors if isinstance(p, str) and p.startswith("course.")]
    assert [import_item(p) for p in kit] == [nbgrader_plugins.TracingExecute]


def test_an_optional_answer_cell_is_released_with_pass_not_a_raise():
    import nbformat

    from course.autograde.nbgrader_plugins import OptionalAnswers

    cell = nbformat.v4.new_code_cell("# YOUR CODE HERE\nraise NotImplementedError()")
    cell.metadata["pact_course"] = {"optional": True}
    plain = nbformat.v4.new_code_cell("# YOUR CODE HERE\nraise NotImplementedError()")
    for c in (cell, plain):
        OptionalAnswers().preprocess_cell(c, {}, 0)
    assert "raise" not in cell.source and "pass" in cell.source
    assert plain.source.endswith("raise NotImplementedError()")  # a required answer still stops Run All


def test_released_optional_cells_do_not_raise():
    import json

    optional = [
        (path.name, "".join(cell["source"]))
        for path in sorted((ROOT / "exercises").glob("*/*.ipynb"))
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
        if (cell.get("metadata", {}).get("pact_course") or {}).get("optional")
    ]
    assert optional, "04's typed-moves cell is marked optional"
    assert not [name for name, source in optional if "NotImplementedError" in source]


def test_notebooks_a_student_opens_hold_what_jupyterlab_would_write_on_opening():
    """Issue 12, item 7: with a stripped ``language_info`` JupyterLab marked each notebook changed on opening
    (the browser test in tests/test_lab_environment.py shows it in JupyterLab itself)."""
    import json

    from course.autograde.kernel_metadata import kernel_metadata

    expected = kernel_metadata("python3")
    paths = [
        ROOT / "START_HERE.ipynb",
        *sorted(ROOT.glob("exercises/*/*.ipynb")),
        *sorted(ROOT.glob("solutions/*/*.ipynb")),
    ]
    stale = [
        str(path.relative_to(ROOT))
        for path in paths
        if {k: json.loads(path.read_text(encoding="utf-8"))["metadata"].get(k) for k in expected} != expected
    ]
    assert not stale, f"rebuild (`make build`; START_HERE.ipynb: save it from JupyterLab): {stale}"
