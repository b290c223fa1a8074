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

from course import notebooks
from course.autograde.integrity.constructs import CellScanner, Suspicion, aliases_of, assignment_targets, parse_cell
from course.autograde.integrity.patterns import BUILTIN_NAMES
from course.grading.kit_use import ANSWER_BEARING, flag_kit_use

_source = notebooks.cell_source


def scan_code(
    source: str, cell: int = 0, defines: Iterable[str] = (), imported: dict[str, str] | None = None
) -> list[Suspicion]:
    """Every suspicious construct in one cell's code. ``defines``: the names graded answers bind, whose
    cells are also checked for the kit's answer-bearing functions; ``imported``: names other cells
    imported (local name -> dotted origin), so a solver imported elsewhere is still seen."""
    tree = parse_cell(source)
    if tree is None:
        return []
    aliases = {**(imported or {}), **aliases_of(tree)}
    scanner = CellScanner(cell, aliases).scan(tree)
    scanner.found = _combine_reading(scanner.found)
    wanted = set(defines)
    if wanted and scanner.bound & wanted:
        for use in flag_kit_use(source) + _kit_names(tree, aliases):
            scanner.note("kit-answers", f"a cell that sets {', '.join(sorted(scanner.bound & wanted))} uses {use}")
    return scanner.found


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
            tree = parse_cell(_source(cell))
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
            tree = parse_cell(_source(cell))
            for node in ast.walk(tree) if tree else []:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    names.add(node.name)
                for target in assignment_targets(node):
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
        tree = parse_cell(_source(cell)) if cell.get("cell_type") == "code" else None
        imported.update(aliases_of(tree) if tree else {})
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
