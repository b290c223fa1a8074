"""course.notebooks: the one reading of the notebook format every other module uses."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
from pathlib import Path

import pytest

from course import notebooks
from course.notebooks import cell_source, grade_id, hidden_test_lines, is_test_cell, nbgrader_meta, strip_hidden_tests

ROOT = Path(__file__).resolve().parents[1]


def test_doctests_run():
    assert doctest.testmod(notebooks).failed == 0


@pytest.mark.parametrize("source", ["a = 1\nb = 2", ["a = 1\n", "b = 2"]])
def test_cell_source_reads_a_string_or_a_list_of_lines(source):
    assert cell_source({"source": source}) == "a = 1\nb = 2"


def test_cell_source_of_a_cell_without_source_is_empty():
    assert cell_source({"cell_type": "markdown"}) == ""


def test_nbgrader_meta_is_empty_without_nbgrader_metadata():
    assert nbgrader_meta({"metadata": {}}) == {}
    assert nbgrader_meta({"metadata": {"nbgrader": None}}) == {}
    assert grade_id({}) is None


@pytest.mark.parametrize(
    ("cell_type", "meta", "expected"),
    [
        ("code", {"grade": True, "solution": False}, True),
        ("code", {"grade": True, "solution": True}, False),  # a graded answer
        ("code", {"grade": False, "solution": False, "locked": True}, False),  # given code
        ("markdown", {"grade": True, "solution": False}, False),
    ],
)
def test_is_test_cell(cell_type, meta, expected):
    assert is_test_cell({"cell_type": cell_type, "metadata": {"nbgrader": meta}}) is expected


def test_strip_hidden_tests_removes_every_region_and_keeps_the_rest():
    region = "### BEGIN HIDDEN TESTS\nb\n### END HIDDEN TESTS"
    source = f"a\n{region}\nc\n    {region}"
    assert strip_hidden_tests(source) == ("a\nc", True)
    assert strip_hidden_tests("a\nc") == ("a\nc", False)


def test_an_unclosed_hidden_region_hides_the_rest_of_the_cell():
    assert strip_hidden_tests("a\n### BEGIN HIDDEN TESTS\nsecret") == ("a", True)


def test_hidden_test_lines_splits_the_cell_without_markers():
    source = "a\n### BEGIN HIDDEN TESTS\nb\n### END HIDDEN TESTS\nc"
    assert hidden_test_lines(source) == (["a", "c"], ["b"])


def test_stripping_agrees_with_nbgrader_on_every_source_notebook():
    """What the kit removes is what nbgrader's ClearHiddenTests removes when it releases the notebook."""
    from nbformat import from_dict
    from nbgrader.preprocessors import ClearHiddenTests

    clear = ClearHiddenTests()
    checked = 0
    for path in sorted((ROOT / "source").glob("*/*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            node = from_dict({**cell, "source": cell_source(cell)})
            if clear._remove_hidden_test_region(node):
                checked += 1
            assert strip_hidden_tests(cell_source(cell))[0] == node.source
    assert checked > 0


def test_importing_it_imports_nothing_from_course_or_beyond_the_standard_library():
    code = (
        "import sys; before = set(sys.modules); import course.notebooks; "
        "new = sorted(m for m in set(sys.modules) - before if m.startswith('course.') and m != 'course.notebooks'); "
        "print(new)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
