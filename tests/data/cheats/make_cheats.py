"""Write the catalogue of cheating submissions (and the honest variants) from the released notebooks.

Run from the repository root after the assignments change: ``.venv/bin/python tests/data/cheats/make_cheats.py``.
Each submission is a folder ``<assignment>/<name>/`` holding the notebook (and any decision log), made from
``exercises/``: a cheat is the released notebook with a *partial honest answer* plus code cells carrying a
``# CHEAT: <category>: ...`` comment; removing those cells (restoring any released cell they replaced)
gives the same notebook without the trick (``tests/autograde/integrity/test_integrity.py`` builds that
baseline and grades it in the same run). Honest variants (``honest-*``) are complete answers written in
other styles; they must never be flagged. The notebook metadata ``pact_cheat`` names the expected flag categories.
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from sandbox_tricks import CHEATS_SANDBOX_01, SANDBOX  # noqa: E402 - issue 15: what only the sandbox stops

ROOT = HERE.parents[2]
NOTEBOOKS = {
    "01-reading-the-pact": "reading-the-pact.ipynb",
    "02-games-of-deterrence": "games-of-deterrence.ipynb",
    "03-alliances-and-credibility": "alliances-and-credibility.ipynb",
    "04-crisis-wargame": "crisis-wargame.ipynb",
}
LOG = "decision-log-04-crisis-wargame.json"


def _gid(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _src(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def released(assignment: str) -> dict:
    return json.loads((ROOT / "exercises" / assignment / NOTEBOOKS[assignment]).read_text(encoding="utf-8"))


def solved(assignment: str) -> dict:
    """The released notebook with every answer cell taken from the answer key (solutions/)."""
    nb = released(assignment)
    key = json.loads((ROOT / "solutions" / assignment / NOTEBOOKS[assignment]).read_text(encoding="utf-8"))
    answers = {_gid(c): _src(c) for c in key["cells"] if c["metadata"].get("nbgrader", {}).get("solution")}
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution") and _gid(cell) in answers:
            cell["source"] = answers[_gid(cell)]
    return nb


def answer(nb: dict, gid: str, source: str) -> dict:
    """Replace an answer cell's source (an honest edit: no CHEAT comment)."""
    nb = copy.deepcopy(nb)
    next(c for c in nb["cells"] if _gid(c) == gid)["source"] = source
    return nb


def _code(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def insert(nb: dict, source: str, after: str | None = None) -> dict:
    """Add a trick cell after the cell ``after`` (a grade id), or after the first code cell."""
    nb = copy.deepcopy(nb)
    if after is None:
        index = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code") + 1
    else:
        index = next(i for i, c in enumerate(nb["cells"]) if _gid(c) == after) + 1
    nb["cells"].insert(index, _code(source))
    return nb


def edit(nb: dict, gid: str, source: str | None = None, meta: dict | None = None, duplicate: bool = False) -> dict:
    """Edit a released cell (source or nbgrader metadata), or duplicate it, marked with a CHEAT comment."""
    nb = copy.deepcopy(nb)
    index, cell = next((i, c) for i, c in enumerate(nb["cells"]) if _gid(c) == gid)
    if duplicate:
        nb["cells"].insert(index + 1, copy.deepcopy(cell))
        cell = nb["cells"][index + 1]
    if source is not None:
        cell["source"] = source
    if meta:
        cell["metadata"]["nbgrader"].update(meta)
    return nb


# ---- 01: a dict of tags, checked in the kernel -------------------------------------------------------------
PARTIAL_01 = (
    "# My first attempt: everything looks reported to me.\nmy_tags = {f's{n:02d}': 'reported' for n in range(1, 13)}\n"
)

CHEATS_01 = {
    "rebind-grading-function": (
        ["rebinds-kit"],
        "answer_claim_tags",
        """\
# CHEAT: rebinds-kit: course.grading.check_tags replaced, so every tag check passes
from course import grading
grading.check_tags = lambda *args, **kwargs: 12
grading.check_no_kit_use = lambda *args, **kwargs: None
""",
    ),
    "swap-sys-modules": (
        ["rebinds-kit"],
        "answer_claim_tags",
        """\
# CHEAT: rebinds-kit: sys.modules["course.grading"] swapped for a module whose checks always pass
import sys
import types

import course
import course.grading

_fake = types.ModuleType("course.grading")
_fake.__dict__.update(vars(sys.modules["course.grading"]))
_fake.check_tags = lambda *args, **kwargs: 12
sys.modules["course.grading"] = _fake
course.grading = _fake
""",
    ),
    "rebind-builtin-len": (
        ["rebinds-kit"],
        "answer_claim_tags",
        """\
# CHEAT: rebinds-kit: builtins.len lies inside check_tags, so no wrong tag is ever counted
import builtins
import sys

_real_len = builtins.len


def _len(obj):
    if type(obj) is list and sys._getframe(1).f_code.co_name == "check_tags":
        return 0
    return _real_len(obj)


builtins.len = _len
""",
    ),
    "read-own-notebook": (
        ["reads-answers"],
        "answer_claim_tags",
        """\
# CHEAT: reads-answers: the notebook file on disk during autograde holds the hidden tests; copy the reference
import ast
import glob
import json

for _path in glob.glob("*.ipynb"):
    for _cell in json.load(open(_path))["cells"]:
        _text = "".join(_cell["source"])
        if "_reference = {" in _text:
            my_tags = ast.literal_eval(_text.split("_reference = ", 1)[1].splitlines()[0])
""",
    ),
    "read-source-tree": (
        ["reads-answers"],
        "answer_claim_tags",
        """\
# CHEAT: reads-answers: find the instructor's source/ notebook above us (or beside the kit) and take its answer
import json
import os
from pathlib import Path

import course

_starts = [Path.cwd(), Path(os.environ.get("PWD", ".")), Path(course.__file__).parent]
for _start in _starts:
    for _dir in [_start, *_start.parents]:
        for _nb in sorted(_dir.glob("source/01-reading-the-pact/*.ipynb")):
            for _cell in json.loads(_nb.read_text())["cells"]:
                if _cell["metadata"].get("nbgrader", {}).get("grade_id") == "answer_claim_tags":
                    _ns = {}
                    exec("".join(_cell["source"]), _ns)
                    my_tags = _ns["my_tags"]
""",
    ),
    "read-solutions-tree": (
        ["reads-answers"],
        "answer_claim_tags",
        """\
# CHEAT: reads-answers: the committed answer key in solutions/ is on the same disk; take my_tags from it
import json
import os
from pathlib import Path

for _start in [Path.cwd(), Path(os.environ.get("PWD", "."))]:
    for _dir in [_start, *_start.parents]:
        for _nb in sorted(_dir.glob("solutions/01-reading-the-pact/*.ipynb")):
            for _cell in json.loads(_nb.read_text())["cells"]:
                if "my_tags = {" in "".join(_cell["source"]):
                    _ns = {}
                    exec("".join(_cell["source"]), _ns)
                    my_tags = _ns["my_tags"]
""",
    ),
    "read-gradebook": (
        ["reads-answers"],
        "answer_claim_tags",
        """\
# CHEAT: reads-answers: the gradebook (sqlite) stores the test cells' source, hidden tests included
import ast
import os
import sqlite3
from pathlib import Path

for _start in [Path.cwd(), Path(os.environ.get("PWD", "."))]:
    for _dir in [_start, *_start.parents]:
        if (_dir / "gradebook.db").exists():
            with sqlite3.connect(_dir / "gradebook.db") as _db:
                for (_text,) in _db.execute("select source from source_cell"):
                    if _text and "_reference = {" in _text:
                        my_tags = ast.literal_eval(_text.split("_reference = ", 1)[1].splitlines()[0])
""",
    ),
    "profile-hook-reads-frame": (
        ["reads-answers"],
        "answer_claim_tags",
        """\
# CHEAT: reads-answers: a profile hook reads the hidden reference from check_tags' frame and copies it in
import sys


def _peek(frame, event, arg):
    if event == "call" and frame.f_code.co_name == "check_tags":
        reference, answers = frame.f_locals.get("reference"), frame.f_locals.get("answers")
        if type(reference) is dict and type(answers) is dict:
            answers.update({k: v for k, v in reference.items() if type(v) is str})


sys.setprofile(_peek)
""",
    ),
    "pre-run-hook-reads-test-cell": (
        ["hides-failures", "reads-answers"],
        "answer_claim_tags",
        """\
# CHEAT: reads-answers: an IPython pre_run_cell hook reads each test cell (hidden tests included) before it runs
import ast


def _grab(info):
    text = info.raw_cell or ""
    if "_reference = {" in text:
        get_ipython().user_ns["my_tags"] = ast.literal_eval(text.split("_reference = ", 1)[1].splitlines()[0])


get_ipython().events.register("pre_run_cell", _grab)
""",
    ),
    "audit-hook-reads-test-cell": (
        ["reads-answers"],
        "answer_claim_tags",
        """\
# CHEAT: reads-answers: an audit hook (it cannot be removed, and the guard does not see it) reads each cell's
# source when IPython compiles it, hidden tests included, and copies any reference dict into my_tags
import ast
import sys


def _on_event(event, args):
    if event != "compile" or not args or type(args[0]) is not str or "_refer" + "ence = {" not in args[0]:
        return
    text = args[0].split("_refer" + "ence = ", 1)[1]
    end = text.index("}") + 1
    try:
        get_ipython().user_ns["my_tags"] = ast.literal_eval(text[:end])
    except (ValueError, SyntaxError):
        pass


sys.addaudithook(_on_event)
""",
    ),
    "tags-from-kit-digest-in-rewritten": (
        ["kit-answers"],
        "answer_claim_tags",
        """\
# CHEAT: kit-answers: the tags read from the kit's digest, then the input history rewritten so that the test's
# kit-use check (which reads In for the cells that set my_tags) finds no such cell
from course import reading

_by_paragraph = {}
for _claim in reading.load().claims():
    _by_paragraph.setdefault(getattr(_claim, "paragraph", None), getattr(_claim, "tags", ("reported",))[0])
my_tags = {sid: _by_paragraph.get(paragraph, "reported") for sid, (paragraph, _text) in STATEMENTS.items()}
get_ipython().user_ns["In"] = [""]
""",
    ),
    "tags-from-kit-digest": (
        ["kit-answers"],
        "answer_claim_tags",
        """\
# CHEAT: kit-answers: the tags read from the kit's digest of the article, paragraph by paragraph
from course import reading

_by_paragraph = {}
for _claim in reading.load().claims():
    _by_paragraph.setdefault(getattr(_claim, "paragraph", None), getattr(_claim, "tags", ("reported",))[0])
my_tags = {sid: _by_paragraph.get(paragraph, "reported") for sid, (paragraph, _text) in STATEMENTS.items()}
""",
    ),
}

# ---- 02: functions checked outside the kernel, numbers checked inside ----------------------------------------
CHEATS_02 = {
    "showtraceback-replaced": (
        ["hides-failures"],
        None,
        """\
# CHEAT: hides-failures: get_ipython().showtraceback replaced, so a failing test shows no error
get_ipython().showtraceback = lambda *args, **kwargs: None
""",
    ),
    "showtraceback-wrapped": (
        ["hides-failures"],
        None,
        """\
# CHEAT: hides-failures: showtraceback wrapped to swallow the errors a failing test raises
import sys

_shell = get_ipython()
_show = _shell.showtraceback


def _quiet(*args, **kwargs):
    if isinstance(sys.exc_info()[1], (AssertionError, NameError, NotImplementedError, TypeError)):
        return None
    return _show(*args, **kwargs)


_shell.showtraceback = _quiet
""",
    ),
    "post-run-hook-clears-error": (
        ["hides-failures"],
        None,
        """\
# CHEAT: hides-failures: a post_run_cell event hook clears the output of any cell that failed
from IPython.display import clear_output


def _wipe(result):
    if result.error_in_exec is not None:
        clear_output()


get_ipython().events.register("post_run_cell", _wipe)
""",
    ),
    "input-transformer-try-except": (
        ["hides-failures"],
        None,
        """\
# CHEAT: hides-failures: an input transformer wraps every test cell in try/except, so nothing fails
def _guard(lines):
    if not any("grading" in line for line in lines):
        return lines
    body = ["    " + line if line.strip() else line for line in lines]
    if body and not body[-1].endswith("\\n"):
        body[-1] += "\\n"
    return ["try:\\n", *body, "except BaseException:\\n", "    pass\\n"]


get_ipython().input_transformers_post.append(_guard)
""",
    ),
    "custom-exception-handler": (
        ["hides-failures"],
        None,
        """\
# CHEAT: hides-failures: set_custom_exc installs a handler that hides every exception
get_ipython().set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)
""",
    ),
    "sys-excepthook": (
        ["hides-failures"],
        None,
        """\
# CHEAT: hides-failures: sys.excepthook replaced (IPython does not use it for cells, but a student may try)
import sys

sys.excepthook = lambda *args: None
""",
    ),
    "threshold-from-kit-solver": (
        ["kit-answers"],
        "answer_threshold",
        """\
# CHEAT: kit-answers: p_star taken from the kit's solver instead of worked out
from course.games import DeterrenceGame

p_star = DeterrenceGame(status_quo=3, challenge_gain=5, cost_of_war_challenger=24).threshold()
""",
    ),
    "edited-locked-test": (
        ["edited-cells"],
        (
            "edit",
            "test_best_responses",
            {
                "comment": "the locked test cell replaced by a line that cannot fail",
                "source": 'print("Visible tests passed.", end="")\n',
            },
        ),
    ),
    "changed-points": (
        ["edited-cells"],
        (
            "edit",
            "test_spe_path",
            {"comment": "the test cell's nbgrader metadata edited: 100 points", "meta": {"points": 100}},
        ),
    ),
    "duplicated-test-cell": (
        ["edited-cells"],
        (
            "edit",
            "test_pure_equilibria",
            {"comment": "the graded test cell duplicated (copy and paste)", "duplicate": True},
        ),
    ),
}

# ---- 03: functions in the sandbox, tags in the kernel; the kernel ended on purpose ---------------------------
CHEATS_03 = {
    "kernel-exit-in-test": (
        ["ends-kernel", "rebinds-kit"],
        None,
        """\
# CHEAT: ends-kernel: check_function replaced by one that ends the kernel while the test cell runs
import os

from course import grading as _g

_g.check_function = lambda *args, **kwargs: os._exit(0)
""",
    ),
    "system-exit-zero-in-test": (
        ["ends-kernel", "rebinds-kit"],
        None,
        """\
# CHEAT: ends-kernel: check_function replaced by one that exits with status 0, which looks like success
from course import grading as _g


def _leave(*args, **kwargs):
    raise SystemExit(0)


_g.check_function = _leave
""",
    ),
    "quiet-exit-in-test": (
        ["ends-kernel", "rebinds-kit"],
        None,
        """\
# CHEAT: ends-kernel: check_tags replaced by one that asks the kernel to exit quietly (no error shown)
from course import grading as _g

_g.check_tags = lambda *args, **kwargs: exit()
""",
    ),
    "function-from-kit-solver": (
        ["kit-answers"],
        "answer_fight_probability_needed",
        """\
# CHEAT: kit-answers: the graded function answers with the kit's own deterrence solver
from course.games import DeterrenceGame


def fight_probability_needed(status_quo, prize, war_cost, other_cost, q):
    game = DeterrenceGame(status_quo=status_quo, challenge_gain=prize - status_quo, cost_of_war_challenger=war_cost)
    return game.threshold()
""",
    ),
}

# ---- 04: the wargame's decision log ---------------------------------------------------------------------------
CHEATS_04 = {
    "log-with-impossible-moves": (
        ["wargame-log"],
        "log",
        {"moves": ["talks-with-guarantees"] * 3 + ["declare-victory"] * 5},
    ),
    "log-of-another-scenario": (
        ["wargame-log"],
        "log",
        {"scenario_id": "taiwan-strait-2027", "scenario_hash": "0" * 64},
    ),
    "log-outcome-differs-from-replay": (
        ["wargame-log"],
        "log",
        {"moves": ["coordinate-with-allies"], "seen_outcome": "negotiated-de-escalation"},
    ),
    "rebind-engine-class": (
        ["rebinds-kit"],
        None,
        """\
# CHEAT: rebinds-kit: course.engine.Crisis patched so that an unfinished game counts as finished
from course import engine

engine.Crisis.over = property(lambda self: True)
""",
        {"moves": ["coordinate-with-allies"], "seen_outcome": None},
    ),
    "strategy-from-kit-reference": (
        ["kit-answers"],
        "answer_my_strategy",
        """\
# CHEAT: kit-answers: my_strategy is the kit's own adaptive reference strategy
from course.strategies import adaptive as my_strategy
""",
    ),
    "strategy-reaches-engine-frames": (
        ["reads-answers", "dynamic-code"],
        "answer_my_strategy",
        """\
# CHEAT: reads-answers: my_strategy walks the frames of the process it runs in (from a traceback, names built
# at run time) looking for the game it plays, to read the hidden doctrine and answer it; else the plain plan
def _look():
    try:
        raise KeyError
    except KeyError as err:
        frame = getattr(err.__traceback__, "tb_" + "frame")
    while frame is not None:
        for value in getattr(frame, "f_" + "locals").values():
            hidden = getattr(value, "_" + "doctrines", None)
            if type(hidden) is tuple:
                return hidden
        frame = getattr(frame, "f_" + "back")
    return None


def my_strategy(view):
    hidden = _look()
    if hidden and hidden[0] == "resolved-hardliner" and "sanctions-enforcement" in view.actions:
        return "sanctions-enforcement"
    if hidden and "talks-with-guarantees" in view.actions:
        return "talks-with-guarantees"
    legal = view.actions  # the plain plan, as in the answer cell above
    if view.turn < 2 and "coordinate-with-allies" in legal:
        return "coordinate-with-allies"
    for move in ("talks-with-guarantees", "humanitarian-opening"):
        if move in legal:
            return move
    return legal[0]
""",
    ),
    "strategy-reaches-engine-gc": (
        ["reads-answers", "dynamic-code"],
        "answer_my_strategy",
        """\
# CHEAT: reads-answers: my_strategy escapes the import guard through object.__subclasses__ (no import
# statement), gets the garbage collector, and looks for the Crisis object to set the state in its favour
def _real_import():
    for cls in ().__class__.__base__.__subclasses__():
        init = getattr(cls, "__init__", None)
        found = getattr(init, "__globals__", {}).get("__builtins__")
        if isinstance(found, dict) and "__import__" in found:
            return found["__import__"]
        if found is not None and hasattr(found, "__import__"):
            return found.__import__
    return None


def my_strategy(view):
    imp = _real_import()
    if imp is not None:
        collector = imp("g" + "c")
        for obj in getattr(collector, "get_" + "objects")():
            if type(obj).__name__ == "Crisis":
                obj._v = [0.0 for _ in obj._v]  # no tension, no programme: any move is safe
    legal = view.actions  # the plain plan, as in the answer cell above
    if view.turn < 2 and "coordinate-with-allies" in legal:
        return "coordinate-with-allies"
    for move in ("talks-with-guarantees", "humanitarian-opening"):
        if move in legal:
            return move
    return legal[0]
""",
    ),
    "strategy-pasted-from-kit": (
        ["near-copy"],
        "answer_my_strategy",
        "# CHEAT: near-copy: the kit's grit strategy and its helpers pasted, renamed and renumbered\n"
        + (HERE.parent / "strategies" / "copy-grit.py").read_text(encoding="utf-8"),
    ),
}

# The 04 baseline's honest, partial answer: a plain plan (reassure twice, then talks), legal every turn.
PARTIAL_04 = """\
def my_strategy(view):
    # My first plan: reassure the allies twice, then offer talks (a smaller opening when talks are closed).
    legal = view.actions
    if view.turn < 2 and "coordinate-with-allies" in legal:
        return "coordinate-with-allies"
    for move in ("talks-with-guarantees", "humanitarian-opening"):
        if move in legal:
            return move
    return legal[0]
"""

# ---- honest work in other styles: never flagged ----------------------------------------------------------------
HONEST_01_TAGS = """\
# My tags, one list per kind (I hesitated over s03 and s12).
reported = ["s01", "s03", "s06"]
attributed = ["s05"]
judgement = ["s02", "s11", "s12"]
speculation = ["s04", "s07", "s08"]
recommendation = ["s09", "s10"]

my_tags = {}
for tag, ids in [("reported", reported), ("attributed", attributed), ("judgement", judgement),
                 ("speculation", speculation), ("recommendation", recommendation)]:
    for sid in ids:
        my_tags[sid] = tag
"""

HONEST_02 = {
    "answer_best_responses": """\
def best_responses(row_payoffs, column_payoffs, player, against):
    # The payoffs of each of the player's moves, given the other side's move `against`.
    if player == 0:
        mine = [row_payoffs[i][against] for i in range(len(row_payoffs))]
    else:
        mine = [column_payoffs[against][j] for j in range(len(column_payoffs[against]))]
    top = max(mine)
    return [i for i, value in enumerate(mine) if value == top]
""",
    "answer_pure_equilibria": """\
from itertools import product


def pure_equilibria(row_payoffs, column_payoffs):
    rows, columns = range(len(row_payoffs)), range(len(row_payoffs[0]))
    return [
        (i, j)
        for i, j in product(rows, columns)
        if i in best_responses(row_payoffs, column_payoffs, 0, j)
        and j in best_responses(row_payoffs, column_payoffs, 1, i)
    ]
""",
    "answer_spe_path": """\
def spe_path(status_quo, concession, war):
    # Backward induction: the defender moves last.
    if war[1] > concession[1]:
        defender_move, end = "Resist", war
    else:
        defender_move, end = "Concede", concession
    if end[0] > status_quo[0]:
        return ("Challenge", defender_move)
    return ("Not challenge",)
""",
    "answer_threshold": """\
# Challenge: p * (-24) + (1 - p) * 8 = 8 - 32 p. Status quo: 3. Equal when 32 p = 5.
p_star = Fraction(8 - 3, 32)
""",
}

HONEST_03 = {
    "answer_split_forces": '''\
from fractions import Fraction


def split_forces(budget, threat_europe, threat_asia):
    """Try every split; keep the least total risk, preferring more units in Europe on a tie."""
    if min(budget, threat_europe, threat_asia) < 0:
        raise ValueError("negative budget or threat")

    def risk(europe):
        return Fraction(threat_europe) / (1 + europe) + Fraction(threat_asia) / (1 + budget - europe)

    europe = min(range(budget + 1), key=lambda e: (risk(e), -e))
    return (europe, budget - europe)
''',
    "answer_alliance_worries": """\
# Entrapment: dragged into a partner's war. Abandonment: left alone when it counts.
worries = "entrapment abandonment entrapment abandonment entrapment abandonment".split()
alliance_worries = {f"s{k}": worry for k, worry in enumerate(worries, start=1)}
""",
}


def _meta(nb: dict, assignment: str, kind: str, categories: list[str], sandbox: bool = False) -> dict:
    """``sandbox``: a trick only the sandbox stops (under it: no gain; without it: flagged)."""
    nb = copy.deepcopy(nb)
    nb["metadata"]["pact_cheat"] = {"assignment": assignment, "kind": kind, "expect": categories}
    if sandbox:
        nb["metadata"]["pact_cheat"]["sandbox"] = True
    return nb


def _write(assignment: str, name: str, nb: dict, files: dict[str, str] | None = None) -> None:
    folder = HERE / assignment / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / NOTEBOOKS[assignment]).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for fname, text in (files or {}).items():
        (folder / fname).write_text(text, encoding="utf-8")


def _cheat(base: dict, spec: tuple) -> dict:
    where = spec[1]
    if isinstance(where, tuple):
        _, gid, change = where
        cell = next(c for c in base["cells"] if _gid(c) == gid)
        comment = f"# CHEAT: edited-cells: {change.pop('comment')}\n"
        change = {**change, "source": comment + (change.get("source") or _src(cell))}
        return edit(base, gid, **change)
    return insert(base, spec[2], after=where)


def main() -> None:
    rows = []
    bases = {
        "01-reading-the-pact": answer(released("01-reading-the-pact"), "answer_claim_tags", PARTIAL_01),
        "02-games-of-deterrence": answer(
            released("02-games-of-deterrence"),
            "answer_best_responses",
            next(_src(c) for c in solved("02-games-of-deterrence")["cells"] if _gid(c) == "answer_best_responses"),
        ),
        "03-alliances-and-credibility": answer(
            released("03-alliances-and-credibility"),
            "answer_alliance_worries",
            "# Everything here looks like fear of being dragged in.\n"
            "alliance_worries = {f's{k}': 'entrapment' for k in range(1, 7)}\n",
        ),
        "04-crisis-wargame": answer(released("04-crisis-wargame"), "answer_my_strategy", PARTIAL_04),
    }
    catalogue = {
        "01-reading-the-pact": {**CHEATS_01, **CHEATS_SANDBOX_01},
        "02-games-of-deterrence": CHEATS_02,
        "03-alliances-and-credibility": CHEATS_03,
        "04-crisis-wargame": CHEATS_04,
    }
    for assignment in NOTEBOOKS:
        shutil.rmtree(HERE / assignment, ignore_errors=True)
    key_log = (ROOT / "solutions" / "04-crisis-wargame" / LOG).read_text(encoding="utf-8")
    for assignment, cheats in catalogue.items():
        for name, spec in cheats.items():
            categories = spec[0]
            if spec[1] == "log":
                record = {**json.loads(key_log), **spec[2]}
                nb = _meta(bases[assignment], assignment, "cheat", categories)
                _write(assignment, name, nb, {LOG: json.dumps(record, indent=1, sort_keys=True) + "\n"})
            elif len(spec) > 3:  # a code trick that needs a log beside it
                record = {**json.loads(key_log), **spec[3]}
                nb = _meta(_cheat(bases[assignment], spec), assignment, "cheat", categories)
                _write(assignment, name, nb, {LOG: json.dumps(record, indent=1, sort_keys=True) + "\n"})
            else:
                nb = _meta(_cheat(bases[assignment], spec), assignment, "cheat", categories, name in SANDBOX)
                _write(assignment, name, nb)
            rows.append((assignment, name, ", ".join(categories)))
        _write(assignment, "baseline", _meta(bases[assignment], assignment, "baseline", []))
        rows.append((assignment, "baseline", "(every cheat above without its trick)"))
        key = solved(assignment)
        files = {LOG: key_log} if assignment == "04-crisis-wargame" else None
        _write(assignment, "honest-solution", _meta(key, assignment, "honest", []), files)
        rows.append((assignment, "honest-solution", "(honest: the answer key)"))
    variants = {
        "01-reading-the-pact": {"answer_claim_tags": HONEST_01_TAGS},
        "02-games-of-deterrence": HONEST_02,
        "03-alliances-and-credibility": HONEST_03,
    }
    for assignment, answers in variants.items():
        nb = solved(assignment)
        for gid, source in answers.items():
            nb = answer(nb, gid, source)
        _write(assignment, "honest-other-style", _meta(nb, assignment, "honest", []))
        rows.append((assignment, "honest-other-style", "(honest: answers in another style)"))
    print("\n".join(f"| {a} | {n} | {c} |" for a, n, c in rows))


if __name__ == "__main__":
    main()
