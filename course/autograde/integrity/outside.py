"""What only the sandbox stops: code that reaches outside its own folder and process. Flagged in the fallback.

Why a scan of its own: under bubblewrap (``course.sandbox.jail``) a grading kernel sees no course directory, no
other kernel, no home directory and no process but its own, so reading ``source/`` by an absolute path found at
run time (``/proc/<parent>/cwd``), another kernel's connection file or the instructor's files in their home
gets nothing, and needs no flag. Where the sandbox cannot run, the same code reaches them, and names nothing the
main scan (``course.autograde.integrity.scan``) looks for: the path is computed, the place found by walking. So
``pact-course grade`` without the sandbox flags, as ``outside-folder``, each cell that reaches for what a kernel
needs none of: absolute or home paths, environment variables, ``/proc``, the kit's install location
(``__file__``), new processes or sessions, sockets, other kernels. A person then reads the cell; the grade stands
or falls with what they find. Under the sandbox this check is not run.

>>> [s.detail for s in scan_outside("import os\\nos.setsid()\\nopen('/proc/1/environ')")]
['calls os.setsid [outside-folder]', "names '/proc/1/environ' [outside-folder]"]
>>> scan_outside("total = sum(x * 2 for x in range(10))\\nprint(f'{total} / 2')")
[]
"""

from __future__ import annotations

import ast

from course.autograde.integrity.constructs import CellScanner, Suspicion, aliases_of, parse_cell

CATEGORY = "outside-folder"
DESCRIPTION = (
    "reaches outside its own folder and process (absolute or home paths, environment variables, /proc, the "
    "kit's install location, new processes or sessions, sockets, other kernels): nothing to reach under the "
    "sandbox, so flagged only when grading runs without it"
)
MODULES = {"subprocess", "socket", "multiprocessing", "pty", "jupyter_client", "zmq", "ctypes", "pwd", "psutil"}
CALLS = {
    "fork", "forkpty", "setsid", "setpgrp", "setpgid", "daemon", "system", "popen", "Popen", "posix_spawn",
    "posix_spawnp", "spawnl", "spawnv", "spawnlp", "spawnvp", "execv", "execve", "execvp", "execl", "execlp",
    "readlink", "expanduser", "expandvars", "home", "getenv", "chdir", "getppid", "jupyter_runtime_dir",
    "find_connection_file", "get_connection_file",
}  # fmt: skip
ATTRIBUTES = {"environ", "__file__", "__path__", "connection_file"}


def _absolute(text: str) -> bool:
    return text.startswith(("/", "~")) and len(text) > 1 and not text.startswith("//") and "\n" not in text


def scan_outside(source: str, cell: int = 0) -> list[Suspicion]:
    """The constructs of one cell that reach outside the kernel's folder and process."""
    tree = parse_cell(source)
    if tree is None:
        return []
    found = CellScanner(cell, aliases_of(tree))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in MODULES:
                    found.note(CATEGORY, f"imports {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in MODULES:
            found.note(CATEGORY, f"imports from {node.module}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in CALLS:
                base = (
                    func.value.id + "." if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
                )
                found.note(CATEGORY, f"calls {base}{name}")
        elif isinstance(node, ast.Attribute) and node.attr in ATTRIBUTES:
            found.note(CATEGORY, f"uses .{node.attr}")
        elif isinstance(node, ast.Name) and node.id == "__file__":
            found.note(CATEGORY, "uses __file__")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _absolute(node.value):
            found.note(CATEGORY, f"names {node.value[:40]!r}")
    return found.found
