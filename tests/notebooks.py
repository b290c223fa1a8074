"""Run a notebook top to bottom in a real Jupyter kernel and say which cell failed.

nbclient's own error names the exception but not the cell's position in the notebook; a student or an
author fixing a notebook needs both, so cells are executed one at a time here.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL_START_ATTEMPTS = 3


class NotebookFailure(AssertionError):
    """A cell raised: carries the notebook, the cell's index and source, and the error."""

    def __init__(self, path: Path, index: int, source: str, error: str) -> None:
        self.path, self.index, self.source, self.error = path, index, source, error
        first = "\n".join(source.splitlines()[:6])
        super().__init__(f"{path.name}: cell {index} failed:\n{first}\n---\n{error}")


def execute(
    path: Path, cwd: Path | None = None, timeout: int = 120, env: dict[str, str] | None = None
) -> nbformat.NotebookNode:
    """Execute ``path`` in a fresh ``python3`` kernel (working directory ``cwd``); return the result."""
    path = Path(path)
    for attempt in range(KERNEL_START_ATTEMPTS):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(cwd or path.parent)}},
        )
        old = dict(os.environ)
        if env:
            os.environ.update(env)  # the kernel inherits the environment of the process that starts it
        started = False
        try:
            with client.setup_kernel():
                started = True
                for index, cell in enumerate(nb.cells):
                    try:
                        client.execute_cell(cell, index)
                    except CellExecutionError as err:
                        raise NotebookFailure(path, index, cell.source, str(err)) from None
            return nb
        except RuntimeError as err:
            # jupyter_client picks free TCP ports, then the kernel binds them: another process starting a
            # kernel at the same moment can take one first ("Address already in use"; nbgrader #174).
            # That is the machine, not the notebook: start a new kernel, a bounded number of times.
            if started or "Kernel died before replying" not in str(err) or attempt == KERNEL_START_ATTEMPTS - 1:
                raise
        finally:
            os.environ.clear()
            os.environ.update(old)
    raise AssertionError("unreachable")


def outputs_text(nb: nbformat.NotebookNode) -> str:
    """Every text output of an executed notebook joined (stream text and text/plain results)."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            else:
                parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)
