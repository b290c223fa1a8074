"""Docstring examples: every module of course/ is collected by ``--doctest-modules`` (pyproject.toml).

pytest runs the examples; these tests keep the modules whose examples teach their use from losing them
(a module without examples collects nothing, silently).
"""

from __future__ import annotations

import doctest
import importlib

import pytest

WITH_EXAMPLES = [
    "course.grading.checks",
    "course.grading.wargame_checks",
    "course.reading.digest",
    "course.sandbox.runner",
]


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_module_keeps_its_docstring_examples(name):
    tests = doctest.DocTestFinder().find(importlib.import_module(name))
    assert sum(len(t.examples) for t in tests) > 0, f"{name} has no docstring examples left"
