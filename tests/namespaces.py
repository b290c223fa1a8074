"""A kernel-like namespace for tests of code that reads a student's definitions from a live kernel."""

from __future__ import annotations

import itertools
import linecache

_cells = itertools.count()


def notebook(*cells: str) -> dict:
    """A namespace made the way a kernel makes one: each cell's source kept in linecache, run in __main__."""
    namespace = {"__name__": "__main__"}
    for source in cells:
        filename = f"/tmp/ipykernel_test/cell{next(_cells)}.py"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), namespace)
    return namespace
