"""Every class nbgrader_config.py names resolves, at its home and at the paths older courses' configs use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from traitlets.utils.importstring import import_item

from course.autograde import nbgrader_plugins

ROOT = Path(__file__).resolve().parents[1]

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
