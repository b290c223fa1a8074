"""The constructs a scan notes in one cell of code, read by an AST visitor.

Each ``visit_<Node>`` method holds the rules for one kind of node (an import, an attribute, a call, ...),
so a new trick is one rule in one place; the patterns themselves (names, modules, attributes) are data in
:mod:`course.autograde.integrity.patterns`. Nodes are visited in :func:`ast.walk`'s order, each once.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from course.autograde.integrity.patterns import (
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


@dataclass(frozen=True)
class Suspicion:
    """One suspicious construct: its category, the cell it is in, and what it is, in a few words."""

    category: str
    cell: int
    detail: str

    def describe(self, notebook: str) -> str:
        """A line for the grader's summary."""
        return f"{notebook} cell {self.cell + 1}: {self.detail}"


def parse_cell(source: str) -> ast.Module | None:
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def aliases_of(tree: ast.AST) -> dict[str, str]:
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


def assignment_targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    if isinstance(node, ast.Delete):
        return list(node.targets)
    return []


class CellScanner:
    """Notes every suspicious construct of one cell (``found``) and the names the cell binds (``bound``)."""

    def __init__(self, cell: int, aliases: dict[str, str]) -> None:
        self.cell = cell
        self.aliases = aliases
        self.found: list[Suspicion] = []
        self.bound: set[str] = set()

    def note(self, category: str, detail: str) -> None:
        item = Suspicion(category, self.cell, f"{detail} [{category}]")
        if item not in self.found:
            self.found.append(item)

    def scan(self, tree: ast.AST) -> CellScanner:
        for node in ast.walk(tree):
            self.bindings(node)
            visit = getattr(self, f"visit_{type(node).__name__}", None)
            if visit is not None:
                visit(node)
        return self

    def bindings(self, node: ast.AST) -> None:
        """Names the node binds, and assignments to the kit, shared modules or failure-hiding attributes."""
        for target in assignment_targets(node):
            self.bound.update(leaf.id for leaf in ast.walk(target) if isinstance(leaf, ast.Name))
            dotted = _root(target, self.aliases) if isinstance(target, (ast.Attribute, ast.Subscript)) else None
            if dotted and (_is_kit(dotted) or dotted.split(".")[0] in REBIND_MODULES):
                kind = "hides-failures" if dotted.rsplit(".", 1)[-1] in HIDE_ATTRS else "rebinds-kit"
                self.note(kind, f"assigns to {dotted}")
            elif isinstance(target, ast.Attribute) and target.attr in HIDE_ATTRS:
                self.note("hides-failures", f"assigns to .{target.attr}")
            elif isinstance(target, ast.Name) and target.id in ("__builtins__", "get_ipython", "In", "_ih"):
                self.note("rebinds-kit", f"rebinds {target.id}")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.bound.add(node.name)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self.bound.update((a.asname or a.name).split(".")[0] for a in node.names)

    def _module(self, module: str, how: str) -> None:
        top = module.split(".")[0]
        if top in READ_MODULES:
            self.note("reads-answers", f"{how} {module}")
        if top in END_MODULES:
            self.note("ends-kernel", f"{how} {module}")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(alias.name, "imports")
            if alias.name == "builtins":
                self.note("rebinds-kit", "imports builtins")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module:
            self._module(node.module, "imports from")
            if node.module in ("unittest.mock", "builtins"):
                self.note("rebinds-kit", f"imports from {node.module}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        dotted = _root(node, self.aliases) or ""
        if node.attr in HIDE_ATTRS and not isinstance(node.ctx, ast.Store):
            self.note("hides-failures", f"uses .{node.attr}")
        elif node.attr == "register" and isinstance(node.value, ast.Attribute) and node.value.attr == "events":
            self.note("hides-failures", "registers an IPython event hook")
        elif node.attr in READ_ATTRS:
            self.note("reads-answers", f"uses .{node.attr}")
        elif node.attr == "modules" and dotted.startswith("sys.modules"):
            self.note("rebinds-kit", "uses sys.modules")
        elif node.attr in ("__code__", "__globals__"):
            self.note("rebinds-kit", f"uses .{node.attr}")

    def visit_Name(self, node: ast.Name) -> None:
        if HISTORY_NAMES.match(node.id) and node.id != "_":
            self.note("reads-answers", f"reads IPython's input history ({node.id})")
        elif node.id == "__builtins__":
            self.note("rebinds-kit", "uses __builtins__")

    def visit_Raise(self, node: ast.Raise) -> None:
        if node.exc is not None:
            name = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(name, ast.Name) and name.id in ("SystemExit", "KeyboardInterrupt", "GeneratorExit"):
                self.note("ends-kernel", f"raises {name.id}")

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and HIDDEN_PLACES.search(node.value):
            self.note("reads-answers-place", f"names {node.value[:40]!r}")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        dotted = _root(func, self.aliases) or name
        if name in HIDE_CALLS:
            self.note("hides-failures", f"calls {name}")
        ending_module = dotted.split(".")[0] in ("os", "sys", "signal", "get_ipython")
        if name in END_CALLS and (ending_module or name in ("exit", "quit", "_exit", "ask_exit")):
            self.note("ends-kernel", f"calls {dotted}")
        if name in DYNAMIC_CALLS and (isinstance(func, ast.Name) or dotted.startswith("importlib")):
            self.note("dynamic-code", f"calls {dotted}")
        if name in ("getattr", "setattr", "delattr") and len(node.args) >= 2:
            self._attribute_access(name, node.args[0], node.args[1])
        if name in ("patch", "patch.object", "monkeypatch"):
            self.note("rebinds-kit", f"calls {dotted}")
        if name in FILE_READERS:
            self.note("reads-answers-io", f"reads files ({dotted})")

    def _attribute_access(self, name: str, base: ast.AST, attr: ast.AST) -> None:
        """``getattr``/``setattr``/``delattr``: on a module or the shell, not on the student's own object."""
        shared = _shared(base, self.aliases)
        pieces = _folded(attr)
        if pieces is not None and not isinstance(attr, ast.Constant):  # "tb_" + "frame": a name in pieces
            self.note("dynamic-code", f"calls {name} with a name built from pieces ({pieces!r})")
            attr = ast.Constant(pieces)
            if pieces in READ_ATTRS:
                self.note("reads-answers", f"uses .{pieces}")
        if not (isinstance(attr, ast.Constant) and isinstance(attr.value, str)):
            if shared:
                self.note("dynamic-code", f"calls {name} with a computed name on {shared}")
        elif attr.value in HIDE_ATTRS:
            self.note("hides-failures", f"calls {name}(..., {attr.value!r})")
        elif name != "getattr" and shared:
            self.note("rebinds-kit", f"calls {name}(..., {attr.value!r}) on {shared}")


def _folded(node: ast.AST) -> str | None:
    """The string an expression of string constants makes (``"tb_" + "frame"``, ``f"{'f_'}back"``), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _folded(node.left), _folded(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.JoinedStr):
        parts = [_folded(v.value if isinstance(v, ast.FormattedValue) else v) for v in node.values]
        return None if None in parts else "".join(parts)
    return None
