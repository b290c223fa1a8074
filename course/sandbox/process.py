"""One sandbox child seen from the parent: how it is started, how its answers are read, how its end is told.

Why a module of its own: the start line is the one place that decides what the child can import. The child
runs ``python -I -S`` (no user site, no ``PYTHONPATH``, no current directory, no ``.pth`` files), so its
``sys.path`` is computed here: the folder holding this ``course`` package (the same code as the parent's)
and the parent's ``site-packages`` (for an evaluation that lifts the import list). Every module the child runs —
:mod:`course.sandbox.child`, :mod:`course.sandbox.wire`, :mod:`course.sandbox.gameview` — must live in this
package (and import nothing else of the kit: the child holds no engine).

Where the machine allows, the child runs under bubblewrap (:mod:`course.sandbox.jail`): no network, the system and
the kit read-only, only its scratch folder writable, nothing else of the course root visible, and a PID namespace
that ends with it, so nothing it starts outlives it. Elsewhere (and inside a sandboxed kernel, which is confined
already) it runs as before.

``subprocess``, ``sysconfig`` and ``selectors`` are imported where used: ``import course.sandbox.runner`` (every
graded notebook) stays light.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # above course/
BOOT = "import sys; sys.path += {paths!r}; from course.sandbox.child import main; main()"


def start_child(scratch: str, inputs: list[str] = ()) -> tuple[Any, str]:
    """Start the child in ``scratch`` with a bare environment; return the process and where its stderr goes.
    Confined, the child reads only the kit and the ``inputs`` files (a call's arguments that name files)."""
    import subprocess
    import sysconfig

    from course.sandbox import jail

    paths = [PACKAGE_PARENT, sysconfig.get_paths()["purelib"]]
    err_path = os.path.join(scratch, "stderr.txt")
    command = [sys.executable, "-I", "-S", "-c", BOOT.format(paths=paths)]
    if jail.confined():
        here = os.path.realpath(scratch)
        command = jail.command([here], cwd=here, readable=list(inputs)) + command
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            cwd=scratch,
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
        )
    return proc, err_path


def why_it_stopped(proc: Any, err_path: str, when: str) -> str:
    """The message for a child that ended on its own: its exit status or signal, and the tail of its stderr."""
    code = proc.wait()
    with open(err_path, "rb") as err:
        tail = err.read()[-600:].decode("utf-8", "replace").strip()
    signals = {-9: "killed", -24: "CPU time limit reached", -25: "wrote too much output", -11: "crashed"}
    if code >= 0 and not tail:
        return f"your code ended the process {when} (exit status {code})"
    why = signals.get(code, f"exit status {code}")
    return f"the process running your code stopped {when} ({why})" + (f":\n{tail}" if tail else "")


class AnswerLines:
    """JSON lines from the child's stdout with deadlines (a hung child must not hang the grader)."""

    LIMIT = 16 * 2**20

    def __init__(self, proc: Any) -> None:
        import selectors

        self.fd = proc.stdout.fileno()
        self.sel = selectors.DefaultSelector()  # closed with the process's pipe
        self.sel.register(self.fd, selectors.EVENT_READ)
        self.buf = b""
        self.eof = False

    def next(self, deadline: float) -> dict | None:
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if self.eof or left <= 0 or not self.sel.select(left):
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk or len(self.buf) > self.LIMIT:
                self.eof = True
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            return {"status": "crashed", "message": "the sandbox sent an unreadable answer"}


def input_files(value: Any) -> list[str]:
    """The absolute paths of existing files among the strings in a call's arguments (lists, tuples and dicts
    searched): what a confined child may read, because the trusted caller handed them to the student's function
    (05's summarise_logs reads the logs it is given). Folders are never opened this way."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if os.path.isabs(item) and os.path.isfile(item) and item not in found:
                found.append(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
    return sorted(found)
