"""What the static scan (``course.autograde.integrity.scan``) looks for: the categories of trick and the
constructs of each.

Kept apart from the scan's logic so that the lists can be read, and extended, on their own. Names only:
the scan matches them against the parsed code (attribute names, called names, imported modules), never
against the text of a cell.
"""

from __future__ import annotations

import builtins
import re

CATEGORIES: dict[str, str] = {
    "hides-failures": "changes how the kernel shows or handles errors (showtraceback, set_custom_exc, "
    "event hooks, input or AST transformers, sys.excepthook, clear_output)",
    "rebinds-kit": "rebinds names the tests use: the kit's modules, functions or classes, sys.modules entries "
    "or Python's builtins",
    "reads-answers": "reads what may hold the expected answers: notebook files, source/ or solutions/, "
    "the gradebook, the running cell's source, frames or tracing hooks",
    "kit-answers": "takes a graded answer from the kit's own solvers, reference strategies or digest data",
    "near-copy": "pastes one of the kit's reference strategies, names and constants changed (syntax trees compared)",
    "ends-kernel": "ends the kernel or the cell early on purpose (os._exit, sys.exit, signals, ctypes)",
    "outside-folder": "reaches outside its own folder and process (absolute or home paths, environment variables, "
    "/proc, the kit's install location, new processes, sockets): flagged only when grading runs without the sandbox",
    "dynamic-code": "builds code or names at run time (exec, eval, compile, __import__, getattr/setattr with "
    "a computed name), which hides what it does from this scan",
}

# Attributes of IPython's shell (or of ``sys``) whose use changes what a failing cell looks like.
HIDE_ATTRS = {
    "showtraceback",
    "showsyntaxerror",
    "_showtraceback",
    "set_custom_exc",
    "CustomTB",
    "InteractiveTB",
    "SyntaxTB",
    "custom_exceptions",
    "input_transformers_post",
    "input_transformers_cleanup",
    "input_transformer_manager",
    "ast_transformers",
    "excepthook",
    "displayhook",
    "register_magic_function",
    "run_cell",
    "run_code",
    "run_ast_nodes",
}
HIDE_CALLS = {"clear_output"}
# Reading the running cell: IPython's input history, frames, tracing.
READ_ATTRS = {
    "history_manager",
    "f_locals",
    "f_globals",
    "f_back",
    "f_code",
    "tb_frame",
    "gi_frame",
    "cr_frame",
    "_getframe",
    "currentframe",
    "stack",
    "getouterframes",
    "settrace",
    "setprofile",
    "get_referrers",
    "get_objects",
    "addaudithook",
    "__subclasses__",
    "__globals__",
    "__closure__",
    "raw_cell",
    "user_ns",
    "user_global_ns",
}
HISTORY_NAMES = re.compile(r"^(In|Out|_ih|_oh|_i+|_i\d+|_ii+|_dh)$")
READ_MODULES = {"sqlite3", "nbformat", "nbgrader", "nbclient", "sqlalchemy", "gc", "inspect", "traceback"}
# Path parts that name where hidden material lives in a course directory (nbgrader's layout).
HIDDEN_PLACES = re.compile(
    r"(?:^|[/\\])(?:source|solutions?|release|autograded|submitted|feedback|gradebook(?:\.db)?)(?:[/\\]|$)"
    r"|\.ipynb$|gradebook|nbgrader_config|\.pact-salvaged",
    re.IGNORECASE,
)
FILE_READERS = {"open", "read_text", "read_bytes", "listdir", "scandir", "walk", "glob", "rglob", "iterdir", "connect"}
END_CALLS = {"_exit", "abort", "kill", "killpg", "exit", "quit", "ask_exit", "raise_signal", "do_shutdown", "alarm"}
END_MODULES = {"ctypes", "signal", "faulthandler", "_thread", "multiprocessing"}
DYNAMIC_CALLS = {"exec", "eval", "compile", "__import__", "import_module", "reload"}
KIT_ROOT = "course"
BUILTIN_NAMES = frozenset(dir(builtins)) | {"get_ipython", "In", "Out", "display"}
REBIND_MODULES = {"sys", "builtins", "__builtins__", "IPython", "ipykernel", "unittest", "importlib"}
