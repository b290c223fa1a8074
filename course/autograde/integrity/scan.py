"""A static scan of a submission for code that games the grader, for a person to look at.

Why a scan at all: student code runs in the same Python process as nbgrader's tests, so no check made
*inside* that process can be trusted on its own (``course.autograde.integrity.run`` adds the checks made outside
it). The scan reads the student's code with :mod:`ast` - not its text - and sorts what it finds into
categories of trick (``CATEGORIES``): each finding names the category, the cell and the construct, so
an instructor can judge in a minute whether it is a trick or an accident.

What it reads: the code cells a student could change. Locked cells are skipped (nbgrader restores them
from the gradebook; an edit is reported by ``course.autograde.submissions``), and so is any finding that the
released notebook itself would produce (the given code is not the student's). What it does not do: run
anything, or look for these test files' strings. Obfuscated code (``exec`` of a built string,
``getattr`` with a computed name) cannot be read by any scan; such code is itself a category.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from course import notebooks
from course.autograde.integrity.patterns import (
    BUILTIN_NAMES,
    DYNAMIC_CALLS,
    END_CALLS,
    END_MODULES,
    FILE_READERS,
    HIDDEN_PLACES,
    HIDE_ATTRS,
    HIDE_CALLS,
    HISTORY_NAMES,
    KIT_ROOT,
    READ_ATTRS,
    READ_MODULES,
    REBIND_MODULES,
)
from course.grading.checks import ANSWER_BEARING, flag_kit_use


@dataclass(frozen=True)
class Suspicion:
    """One suspicious construct: its category, the cell it is in, and what it is, in a few words."""

    category: str
    cell: int
    detail: str

    def describe(self, notebook: str) -> str:
        """A line for the grader's summary."""
        return f"{notebook} cell {self.cell + 1}: {self.detail}"


_source = notebooks.cell_source


def _code(source: str) -> ast.Module | None:
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> module it stands for (``from course import grading as g`` gives g -> course.grading.checks)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _root(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """The dotted name of an attribute chain or subscript's base, through import aliases."""
    parts: list[str] = []
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Call):
        return None
    if not isinstance(node, ast.Name):
        return None
    return ".".join([aliases.get(node.id, node.id), *reversed(parts)])


def _shared(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """The name of what ``node`` stands for when it is shared with the tests: an imported module or name,
    ``sys``/``builtins``, the IPython shell, or a module imported on the spot; else None."""
    if isinstance(node, ast.Call):
        func = node.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return f"{called}()" if called in ("get_ipython", "__import__", "import_module") else None
    dotted = _root(node, aliases)
    if dotted and (dotted.split(".")[0] in aliases.values() or dotted.split(".")[0] in REBIND_MODULES):
        return dotted
    if isinstance(node, ast.Name) and (node.id in aliases or node.id in REBIND_MODULES):
        return aliases.get(node.id, node.id)
    return None


def _is_kit(dotted: str | None) -> bool:
    return bool(dotted) and (dotted == KIT_ROOT or dotted.startswith(KIT_ROOT + "."))


def _targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    if isinstance(node, ast.Delete):
        return list(node.targets)
    return []


def scan_code(
    source: str, cell: int = 0, defines: Iterable[str] = (), imported: dict[str, str] | None = None
) -> list[Suspicion]:
    """Every suspicious construct in one cell's code. ``defines``: the names graded answers bind, whose
    cells are also checked for the kit's answer-bearing functions; ``imported``: names other cells
    imported (local name -> dotted origin), so a solver imported elsewhere is still seen."""
    tree = _code(source)
    if tree is None:
        return []
    aliases = {**(imported or {}), **_aliases(tree)}
    found: list[Suspicion] = []

    def note(category: str, detail: str) -> None:
        item = Suspicion(category, cell, f"{detail} [{category}]")
        if item not in found:
            found.append(item)

    bound = set()
    for node in ast.walk(tree):
        for target in _targets(node):
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Name):
                    bound.add(leaf.id)
            dotted = _root(target, aliases) if isinstance(target, (ast.Attribute, ast.Subscript)) else None
            if dotted and (_is_kit(dotted) or dotted.split(".")[0] in REBIND_MODULES):
                kind = "hides-failures" if dotted.rsplit(".", 1)[-1] in HIDE_ATTRS else "rebinds-kit"
                note(kind, f"assigns to {dotted}")
            elif isinstance(target, ast.Attribute) and target.attr in HIDE_ATTRS:
                note("hides-failures", f"assigns to .{target.attr}")
            elif isinstance(target, ast.Name) and target.id in ("__builtins__", "get_ipython", "In", "_ih"):
                note("rebinds-kit", f"rebinds {target.id}")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in READ_MODULES:
                    note("reads-answers", f"imports {alias.name}")
                if top in END_MODULES:
                    note("ends-kernel", f"imports {alias.name}")
                if alias.name == "builtins":
                    note("rebinds-kit", "imports builtins")
        elif isinstance(node, ast.ImportFrom) and node.module:
            top = node.module.split(".")[0]
            if top in READ_MODULES:
                note("reads-answers", f"imports from {node.module}")
            if top in END_MODULES:
                note("ends-kernel", f"imports from {node.module}")
            if node.module in ("unittest.mock", "builtins"):
                note("rebinds-kit", f"imports from {node.module}")
        elif isinstance(node, ast.Attribute):
            dotted = _root(node, aliases) or ""
            if node.attr in HIDE_ATTRS and not isinstance(node.ctx, ast.Store):
                note("hides-failures", f"uses .{node.attr}")
            elif node.attr == "register" and isinstance(node.value, ast.Attribute) and node.value.attr == "events":
                note("hides-failures", "registers an IPython event hook")
            elif node.attr in READ_ATTRS:
                note("reads-answers", f"uses .{node.attr}")
            elif node.attr == "modules" and dotted.startswith("sys.modules"):
                note("rebinds-kit", "uses sys.modules")
            elif node.attr == "__code__" or node.attr == "__globals__":
                note("rebinds-kit", f"uses .{node.attr}")
        elif isinstance(node, ast.Name) and HISTORY_NAMES.match(node.id) and node.id != "_":
            note("reads-answers", f"reads IPython's input history ({node.id})")
        elif isinstance(node, ast.Name) and node.id == "__builtins__":
            note("rebinds-kit", "uses __builtins__")
        elif isinstance(node, ast.Raise) and node.exc is not None:
            name = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(name, ast.Name) and name.id in ("SystemExit", "KeyboardInterrupt", "GeneratorExit"):
                note("ends-kernel", f"raises {name.id}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            dotted = _root(func, aliases) or name
            if name in HIDE_CALLS:
                note("hides-failures", f"calls {name}")
            if name in END_CALLS and (
                dotted.split(".")[0] in ("os", "sys", "signal", "get_ipython")
                or name
                in (
                    "exit",
                    "quit",
                    "_exit",
                    "ask_exit",
                )
            ):
                note("ends-kernel", f"calls {dotted}")
            if name in DYNAMIC_CALLS and (isinstance(func, ast.Name) or dotted.startswith("importlib")):
                note("dynamic-code", f"calls {dotted}")
            if name in ("getattr", "setattr", "delattr") and len(node.args) >= 2:
                attr, base = node.args[1], node.args[0]
                shared = _shared(base, aliases)  # a module or the shell, not the student's own object
                if not (isinstance(attr, ast.Constant) and isinstance(attr.value, str)):
                    if shared:
                        note("dynamic-code", f"calls {name} with a computed name on {shared}")
                elif attr.value in HIDE_ATTRS:
                    note("hides-failures", f"calls {name}(..., {attr.value!r})")
                elif name != "getattr" and shared:
                    note("rebinds-kit", f"calls {name}(..., {attr.value!r}) on {shared}")
            if name in ("patch", "patch.object", "monkeypatch"):
                note("rebinds-kit", f"calls {dotted}")
            if name in FILE_READERS:
                note("reads-answers-io", f"reads files ({dotted})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and HIDDEN_PLACES.search(node.value):
            note("reads-answers-place", f"names {node.value[:40]!r}")
    found = _combine_reading(found)
    wanted = set(defines)
    if wanted and bound & wanted:
        for use in flag_kit_use(source) + _kit_names(tree, aliases):
            note("kit-answers", f"a cell that sets {', '.join(sorted(bound & wanted))} uses {use}")
    return found


def _kit_names(tree: ast.AST, aliases: dict[str, str]) -> list[str]:
    """Names the cell uses that stand for the kit's answer-bearing modules or names (imported anywhere)."""
    used = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in aliases:
            origin = aliases[node.id]
            for module, names in ANSWER_BEARING.items():
                inside = origin == module or origin.startswith(module + ".")
                if inside and (names is None or origin.rsplit(".", 1)[-1] in names) and origin not in used:
                    used.append(origin)
    return used


def _combine_reading(found: list[Suspicion]) -> list[Suspicion]:
    """File reading is normal, and so is naming a notebook; both together in one cell is not."""
    io = [s for s in found if s.category == "reads-answers-io"]
    places = [s for s in found if s.category == "reads-answers-place"]
    rest = [s for s in found if s.category not in ("reads-answers-io", "reads-answers-place")]
    if io and places:
        where = ", ".join(p.detail.split(" [")[0].removeprefix("names ") for p in places[:3])
        rest.append(Suspicion("reads-answers", io[0].cell, f"reads files and names {where} [reads-answers]"))
    return rest


_meta = notebooks.nbgrader_meta


def _answer_names(released: dict) -> set[str]:
    """What graded answers are called: names the released answer cells bind, and names the test cells read
    without binding them (``my_tags``, ``p_star``: the answer cells are blank when released)."""
    names: set[str] = set()
    for cell in released.get("cells", []):
        meta = _meta(cell)
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            tree = _code(_source(cell))
            nodes = list(ast.walk(tree)) if tree else []
            loads = {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
            stores = {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            stores |= {n.name for n in nodes if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            stores |= {n.arg for n in nodes if isinstance(n, ast.arg)}
            stores |= {n.name for n in nodes if isinstance(n, ast.ExceptHandler) and n.name}
            stores |= {(a.asname or a.name).split(".")[0] for n in nodes if isinstance(n, (ast.Import, ast.ImportFrom))
                       for a in n.names}  # fmt: skip
            names |= {n for n in loads - stores if not n.startswith("_") and n not in BUILTIN_NAMES}
            # check_function(globals(), "best_responses", ...): the name is a string argument
            named = [c for n in nodes if isinstance(n, ast.Call) for c in n.args[1:2] if isinstance(c, ast.Constant)]
            names |= {c.value for c in named if isinstance(c.value, str) and c.value.isidentifier()}
        if cell.get("cell_type") == "code" and meta.get("solution"):
            tree = _code(_source(cell))
            for node in ast.walk(tree) if tree else []:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    names.add(node.name)
                for target in _targets(node):
                    names.update(leaf.id for leaf in ast.walk(target) if isinstance(leaf, ast.Name))
    return names


def scan_notebook(submitted: dict, released: dict) -> list[Suspicion]:
    """The suspicious constructs of the code a student could change, minus what the released code has."""
    locked = {_meta(c).get("grade_id") for c in released.get("cells", []) if _meta(c).get("locked")}
    given_sources = {_source(c).strip() for c in released.get("cells", []) if c.get("cell_type") == "code"}
    given = {(s.category, s.detail) for c in released.get("cells", []) if c.get("cell_type") == "code"
             for s in scan_code(_source(c))}  # fmt: skip
    answers = _answer_names(released)
    imported: dict[str, str] = {}
    for cell in submitted.get("cells", []):
        tree = _code(_source(cell)) if cell.get("cell_type") == "code" else None
        imported.update(_aliases(tree) if tree else {})
    found: list[Suspicion] = []
    for index, cell in enumerate(submitted.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        gid = _meta(cell).get("grade_id")
        if (gid and gid in locked) or _source(cell).strip() in given_sources:
            continue
        found.extend(
            s for s in scan_code(_source(cell), index, answers, imported) if (s.category, s.detail) not in given
        )
    return found
