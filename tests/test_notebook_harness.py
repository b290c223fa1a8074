"""The notebook harness itself, and the rules every committed notebook follows."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tests.conftest import ROOT
from tests.notebooks import NotebookFailure, execute, outputs_text

pytestmark = pytest.mark.notebook

SOURCE_NOTEBOOKS = sorted((ROOT / "source").glob("*/*.ipynb")) + [ROOT / "START_HERE.ipynb"]


def _write(tmp_path: Path, *cells) -> Path:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def test_execute_runs_every_cell_in_a_real_kernel(tmp_path):
    path = _write(tmp_path, new_markdown_cell("# hi"), new_code_cell("x = 20"), new_code_cell("print(x + 22)"))
    nb = execute(path)
    assert "42" in outputs_text(nb)


def test_execute_names_the_failing_cell(tmp_path):
    path = _write(tmp_path, new_code_cell("a = 1"), new_code_cell("b = 2"), new_code_cell("1 / 0  # boom"))
    with pytest.raises(NotebookFailure) as caught:
        execute(path)
    assert caught.value.index == 2
    assert "cell 2" in str(caught.value) and "ZeroDivisionError" in str(caught.value)
    assert "1 / 0  # boom" in str(caught.value)


def test_execute_uses_the_given_working_directory(tmp_path):
    (tmp_path / "work").mkdir()
    path = _write(tmp_path, new_code_cell("import os; print(os.getcwd())"))
    nb = execute(path, cwd=tmp_path / "work")
    assert str(tmp_path / "work") in outputs_text(nb)


@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_source_notebook_has_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    stored = [i for i, c in enumerate(nb["cells"]) if c.get("outputs") or c.get("execution_count")]
    assert not stored, f"{path.name}: cells {stored} have stored outputs; clear them before committing"


def test_start_page_runs_top_to_bottom(tmp_path):
    nb = execute(ROOT / "START_HERE.ipynb", cwd=ROOT)
    assert "pact-course" in outputs_text(nb)
