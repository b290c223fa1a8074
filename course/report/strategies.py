"""The class tournament: every student's strategy, read from their notebook, played in the sandbox.

Why this is careful: a student's strategy is code the instructor has never read, and the report runs on the
instructor's account. So nothing of a notebook is executed here. Its *text* is parsed (``ast``), the cell
that defines the strategy function is found, and only the definitions that function needs — functions and
classes, import lines, names bound to literal constants, from any code cell, the last definition winning as
it would in a top-to-bottom run — are copied out. That source goes to :func:`course.grading.strategy.play_games`,
the one strategy runner: the game stays in this process, and the strategy runs in a fresh ``python -I -S``
subprocess that gets each turn's view as data, with a per-call time budget, a per-student total, an
address-space cap and an import allowlist. Whatever goes wrong (no such function, a syntax error, an error,
an illegal move, too slow, a kit module it may not import) comes back as a :class:`Failure` naming the
student and the reason; the rest of the class is still ranked.

Every strategy, the kit's reference strategies included, meets the same seeds against each doctrine of the
first opponent (common random numbers), and is ranked by the prior-weighted mean score, as
:func:`course.engine.tournament.run` ranks the references: the baselines and the class are on one scale.
"""

from __future__ import annotations

import ast
import json
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.engine import tournament
from course.grading import kit_use, near_copy, strategy
from course.notebooks import cell_source
from course.sandbox import runner as sandbox
from course.sandbox.source import globals_used
from course.scenario.loader import Scenario

FUNCTION = "my_strategy"  # the name 04-crisis-wargame asks for
TIMEOUT_PER_CALL = 0.1  # seconds per move, as the assignment's own tests allow
STUDENT_BUDGET = 180.0  # seconds for all of one student's games
MEMORY_MB = 512


class StrategyUnavailable(ValueError):
    """The notebook has no usable definition of the strategy; the message says why, for the instructor."""


@dataclass(frozen=True)
class Entry:
    """One strategy's games, summarised the way :mod:`course.engine.tournament` summarises the references."""

    name: str  # student id or reference strategy name
    reference: bool
    mean: float  # prior-weighted mean score over the doctrines
    ci95: float
    by_doctrine: dict[str, float]  # doctrine id -> mean score
    outcomes: dict[str, float]  # outcome kind -> share of all games


@dataclass(frozen=True)
class Failure:
    """A student whose strategy could not be ranked, and why."""

    student: str
    reason: str


@dataclass
class Tournament:
    """The leaderboard (best first), the students left out with reasons, and how it was played."""

    leaderboard: list[Entry] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    doctrines: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    seeds: int = 0


# --- reading the notebook (text only: nothing is executed here) --------------------------------------
def _cells(path: Path) -> list[str]:
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise StrategyUnavailable(f"{Path(path).name} cannot be read as a notebook ({err})") from None
    out = []
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            out.append(cell_source(cell))
    return out


def _without_magics(text: str) -> str:
    """IPython magics and shell escapes are not Python: blank them, keeping line numbers."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in text.splitlines())


def _segment(text: str, node: ast.stmt) -> str:
    first = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
    return "\n".join(text.splitlines()[first - 1 : node.end_lineno])


def _bound_names(node: ast.stmt) -> list[str]:
    """Names a top-level statement defines, if it is one the copy keeps (definitions, imports, constants)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Import | ast.ImportFrom):
        if isinstance(node, ast.ImportFrom) and (node.level or node.module == "__future__"):
            return []
        return [(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"]
    value = getattr(node, "value", None)
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    if isinstance(node, ast.Assign | ast.AnnAssign) and value is not None and len(targets) == 1:
        if isinstance(targets[0], ast.Name):
            try:
                ast.literal_eval(value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                return []
            return [targets[0].id]
    return []


def strategy_source(path: Path, function: str = FUNCTION) -> str:
    """The source that re-creates ``function`` from a notebook's code cells, with what it uses.

    Raises :class:`StrategyUnavailable` when no cell defines it (or the one that does is not valid Python).
    """
    defined: dict[str, tuple[int, int, str, ast.stmt]] = {}  # name -> (cell, line, text, node); last wins
    broken = None
    for index, raw in enumerate(_cells(path)):
        text = _without_magics(raw)
        try:
            tree = ast.parse(text)
        except SyntaxError as err:
            if f"def {function}" in text:
                broken = f"cell {index + 1} defines {function} but is not valid Python ({err.msg}, line {err.lineno})"
            continue
        except (ValueError, RecursionError, MemoryError) as err:  # NUL bytes, absurd nesting: not a strategy
            if f"def {function}" in text:
                broken = f"cell {index + 1} defines {function} but cannot be read ({type(err).__name__})"
            continue
        for node in tree.body:
            for name in _bound_names(node):
                defined[name] = (index, node.lineno, _segment(text, node), node)
    if function not in defined or not isinstance(defined[function][3], ast.FunctionDef | ast.AsyncFunctionDef):
        raise StrategyUnavailable(broken or f"no cell of {Path(path).name} defines a function {function}(view)")
    wanted: set[str] = set()
    todo = [function]
    while todo:
        name = todo.pop()
        if name in wanted or name not in defined:
            continue  # builtins and names the student never defined: the sandbox reports a NameError
        wanted.add(name)
        todo.extend(globals_used(defined[name][3]))
    chosen = sorted({defined[n][:3] for n in wanted})  # one statement may bind several wanted names
    return "\n\n".join(text for _, _, text in chosen) + "\n"


# --- playing ------------------------------------------------------------------------------------------
def _reason(result: sandbox.SandboxResult) -> str:
    """One line for the instructor: what failed, in how many games, and the first message."""
    if result.setup_error:
        return f"could not be defined: {result.setup_error.strip().splitlines()[-1]}"
    failed = [c for c in result.calls if not c.ok]
    kinds = Counter(c.status for c in failed)
    label = {"timeout": "too slow", "skipped": "out of time", "error": "error", "crashed": "crashed",
             "memory": "out of memory", "bad-return": "bad return value", "output": "printed too much"}  # fmt: skip
    illegal = sum(1 for c in failed if "IllegalMove" in c.message)
    what = ", ".join(f"{label.get(k, k)} in {n}" for k, n in sorted(kinds.items()))
    if illegal:
        what = f"illegal move in {illegal}" + ("" if illegal == len(failed) else f" ({what})")
    return f"{what} of {len(result.calls)} games; first: {_first_line(failed[0].message) or failed[0].status}"


def _first_line(message: str, limit: int = 240) -> str:
    """The sandbox's message in one line: the exception and where it was raised, or its first line."""
    lines = [line.strip() for line in message.strip().splitlines() if not line.startswith("(in job")]
    if any(line.startswith("Traceback") for line in lines):
        frames = [line for line in lines if line.startswith("line ")]
        text = lines[-1] + (f" ({frames[-1]})" if frames else "")
    else:
        text = lines[0] if lines else ""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _summarise(name: str, reference: bool, games: Sequence[dict], first: str, weights: dict[str, float],
               kinds: dict[str, str]) -> Entry:  # fmt: skip
    by: dict[str, list[float]] = {}
    for game in games:
        by.setdefault(game["doctrines"][first], []).append(float(game["score"]))
    means = {d: statistics.fmean(s) for d, s in by.items()}
    mean, ci95 = tournament.weighted_mean(by, weights)
    counts = Counter(kinds.get(g["outcome"], g["outcome"]) for g in games)
    return Entry(name, reference, mean, ci95, means, {k: n / len(games) for k, n in counts.items()})


def play_class(
    strategies: dict[str, str],
    scenario: Scenario,
    seeds: int,
    jobs: int = 1,
    *,
    function: str = FUNCTION,
    play: Callable[..., sandbox.SandboxResult] = strategy.play_games,
    **limits: Any,
) -> Tournament:
    """Rank ``strategies`` (student id -> source from :func:`strategy_source`) and the kit's references.

    Students' games run in sandbox subprocesses, ``jobs`` at a time; the references (trusted kit code) run
    in this process. ``limits`` override the per-move time, per-student budget and memory cap.
    """
    first = scenario.opponents[0]
    doctrines = [d.id for d in first.doctrines]
    weights = {d.id: d.prior for d in first.doctrines}
    kinds = {o.id: o.kind for o in scenario.outcomes}
    seed_list = list(range(seeds))
    limits = {"timeout_per_call": TIMEOUT_PER_CALL, "total_timeout": STUDENT_BUDGET, "memory_mb": MEMORY_MB, **limits}
    out = Tournament(doctrines=doctrines, weights=weights, seeds=seeds)

    def one(item: tuple[str, str]) -> Entry | Failure:
        try:
            return _one(item)
        except Exception as err:  # noqa: BLE001 - one student's oddity must not stop the class's report
            return Failure(item[0], f"could not be played ({type(err).__name__}: {err})")

    def refused(student: str, source: str) -> Failure | None:
        used = kit_use.flag_kit_use(source)
        if used:
            return Failure(student, f"uses the kit's own strategies ({', '.join(used)}): not run")
        copies = near_copy.near_copies(source)
        if copies:
            what = ", ".join(f"{c.function} ~ {c.reference} ({c.ratio:.0%})" for c in copies)
            return Failure(student, f"a near copy of the kit's reference strategies ({what}): not run")
        return None

    def _one(item: tuple[str, str]) -> Entry | Failure:
        student, source = item
        against = [{first.id: d} for d in doctrines]
        # One seed against each doctrine first: a strategy that raises, hangs or cheats on every move fails
        # here in a few games, not in hundreds (a slow one would cost its whole budget).
        probe = play(source, function, scenario, seed_list[:1], against, **limits)
        if not probe.ok:
            return Failure(student, _reason(probe) + " (the first seed only: not played further)")
        result = play(source, function, scenario, seed_list, against, **limits)
        if not result.ok:
            return Failure(student, _reason(result))
        return _summarise(student, False, result.values, first.id, weights, kinds)

    # The code checks parse with ``ast``, here and not in the threads: CPython 3.11's AST constructor is not
    # thread-safe ("AST constructor recursion depth mismatch").
    to_play = []
    for student, source in sorted(strategies.items()):
        try:
            failure = refused(student, source)
        except Exception as err:  # noqa: BLE001 - one student's oddity must not stop the class's report
            failure = Failure(student, f"could not be read ({type(err).__name__}: {err})")
        if failure:
            out.failures.append(failure)
        else:
            to_play.append((student, source))
    with ThreadPoolExecutor(max(1, jobs)) as pool:  # threads only wait: each student's games are a subprocess
        for done in pool.map(one, to_play):
            (out.failures if isinstance(done, Failure) else out.leaderboard).append(done)
    references = tournament.run(tournament.REFERENCE, scenario, seed_list, jobs=1)
    for standing in references.leaderboard:
        cells = [c for c in references.table if c.strategy == standing.strategy]
        shares: Counter[str] = Counter()
        for c in cells:
            for kind, share in c.outcomes.items():
                shares[kind] += share / len(cells)
        by = {c.doctrine: c.mean for c in cells}
        out.leaderboard.append(Entry(standing.strategy, True, standing.mean, standing.ci95, by, dict(shares)))
    out.leaderboard.sort(key=lambda e: (-e.mean, e.reference, e.name))
    return out
