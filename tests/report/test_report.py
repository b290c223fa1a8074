"""`pact-course report` on a small graded class: scores, hard questions, backlog, wargame games and tournament.

One course (the mini assignment 00-demo and the real 04-crisis-wargame) is released, a handful of students
submit, and the report is made once (module-scoped);
every test reads the same page. nbgrader's own ``autograde`` grades (the report reads any gradebook
nbgrader wrote; ``pact-course grade`` has its own tests). To stay well under two minutes the course is only *released*
(``generate_assignment``): ``generate_solution`` would execute the whole wargame notebook again, and the
instructor's source notebook already is the answer key (autograde restores the test cells from the
gradebook either way). The key's own game is played with the engine from the notebook's moves.
"""

from __future__ import annotations

import base64
import copy
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.autograde.build import nbgrader
from course.engine import logfile
from course.engine.crisis import Crisis
from course.report.strategies import StrategyUnavailable, strategy_source
from course.scenario.loader import load
from tests.conftest import ROOT
from tests.course_copy import course_copy

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow, pytest.mark.xdist_group("report")]

DEMO, WAR = "00-demo", "04-crisis-wargame"
SEEDS = 12


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _cell(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def _submit(root: Path, student: str, assignment: str, name: str, nb: dict, log: str | None = None) -> None:
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(nb), encoding="utf-8")
    if log is not None:
        logfile.log_path(assignment, folder).write_text(log, encoding="utf-8")


def _with_strategy(nb: dict, body: str) -> dict:
    nb = copy.deepcopy(nb)
    _cell(nb, "answer_my_strategy")["source"] = "def my_strategy(view):\n" + body
    return nb


def _demo(nb: dict, body: str | None, memo: str | None) -> dict:
    nb = copy.deepcopy(nb)
    if body is not None:
        _cell(nb, "answer_double")["source"] = 'def double(x):\n    """Return twice x."""\n' + body
    if memo is not None:
        _cell(nb, "answer_memo")["source"] = memo
    return nb


def _key_log() -> str:
    """The answer key's game (its seed and moves, as the source notebook types them), saved as a log."""
    source = "".join(_cell(_nb(ROOT / "source" / WAR / "crisis-wargame.ipynb"), "answer_typed_moves")["source"])
    seed = int(re.search(r"KEY_SEED = (\d+)", source).group(1))
    moves = re.findall(r'^\s+"([a-z-]+)",$', source, flags=re.M)
    game = Crisis(load("korean-peninsula-2024"), seed=seed).play_all(moves)
    assert game.over
    return game.log.to_json() + "\n"


def _talks_log(seed: int = 11) -> str:
    """A game of relentless talks: a log of the student's own, unlike the key's."""
    game = Crisis(load("korean-peninsula-2024"), seed=seed)
    while not game.over:
        game.play("talks-with-guarantees" if "talks-with-guarantees" in game.actions else game.actions[0])
    return game.log.to_json() + "\n"


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    """A released course, five students' submissions, graded with `nbgrader autograde`."""
    root = course_copy(tmp_path_factory.mktemp("report"), [WAR])
    shutil.copytree(ROOT / "tests" / "data" / "mini-course" / "source" / DEMO, root / "source" / DEMO)
    for aid in (DEMO, WAR):
        nbgrader(root, "generate_assignment", aid, "--force")
    demo = _nb(root / "exercises" / DEMO / "demo.ipynb")
    _submit(root, "alice", DEMO, "demo.ipynb", _demo(demo, "    return 2 * x", "An unseen case checks the method."))
    _submit(root, "bob", DEMO, "demo.ipynb", _demo(demo, "    return abs(2 * x)", None))  # fails the hidden test
    _submit(root, "carol", DEMO, "demo.ipynb", _demo(demo, None, None))  # blank
    key = _nb(root / "source" / WAR / "crisis-wargame.ipynb")
    log = _key_log()
    name = "crisis-wargame.ipynb"
    _submit(root, "alice", WAR, name, key, log)  # the answer key
    talks = "    return 'talks-with-guarantees' if 'talks-with-guarantees' in view.actions else view.actions[0]\n"
    _submit(root, "bob", WAR, name, _with_strategy(key, talks), _talks_log())
    _submit(root, "carol", WAR, name, _with_strategy(key, "    return 1 / 0\n"), log)
    _submit(root, "dave", WAR, name, key, log[: len(log) // 2])  # a log cut off in the upload
    _submit(root, "erin", WAR, name, _with_strategy(key, "    return 'invade-everyone'\n"), log)
    for aid in (DEMO, WAR):
        nbgrader(root, "autograde", aid)  # plain nbgrader: the report reads any gradebook nbgrader wrote
    return root


@pytest.fixture(scope="module")
def report(graded) -> tuple[subprocess.CompletedProcess, str]:
    out = graded / "out" / "class.html"
    done = subprocess.run(
        [sys.executable, "-m", "course.cli", "report", "--root", str(graded), "--output", str(out),
         "--seeds", str(SEEDS), "--jobs", "2"],
        capture_output=True, text=True,
    )  # fmt: skip
    return done, out.read_text(encoding="utf-8") if out.exists() else ""


def _section(page: str, anchor: str) -> str:
    """The page from the element with ``id=anchor`` to the next heading of the same or a higher level."""
    start = page.index(f'id="{anchor}"')
    level = page[page.rindex("<h", 0, start) + 2]
    nxt = re.compile(rf"<h[1-{level}][ >]").search(page, start)
    return page[start : nxt.start() if nxt else len(page)]


def _rows(table_html: str) -> list[list[str]]:
    """The text of each body row's cells (header rows have no <td>: they give empty lists and are dropped)."""
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table_html)]
    return [[html.unescape(cell) for cell in row] for row in rows if row]


def test_report_exits_1_and_lists_what_needs_attention(report):
    done, page = report
    assert done.returncode == 1, done.stdout + done.stderr
    assert "attention: carol: strategy not ranked" in done.stdout
    assert "attention: dave:" in done.stdout and page


def test_report_has_a_section_per_assignment_and_the_wargame(report):
    _, page = report
    for anchor in (DEMO, f"{DEMO}-backlog", WAR, f"{WAR}-backlog", "wargame", "outcomes", "leaderboard", "not-ranked"):
        assert f'id="{anchor}"' in page


def test_report_per_question_table_shows_the_hidden_test_as_hard(report):
    _, page = report
    rows = {r[1]: r for r in _rows(_section(page, DEMO).split("<h3>Per question</h3>")[1].split("<h3")[0])}
    assert rows["test_double"][4] == "33%" and rows["test_double"][5] == "1 of 3"  # only alice passes it all
    # alice's memo waits for a person; bob and carol left theirs blank, which nbgrader scores 0 itself
    assert rows["answer_memo"][2] == "written (manual)" and rows["answer_memo"][4:] == ["0%", "0 of 2", "1"]
    assert '<tr class="hard"><td>demo</td><td>test_double</td>' in page
    war = {r[1]: r for r in _rows(_section(page, WAR).split("<h3>Per question</h3>")[1].split("<h3")[0])}
    assert war["answer_perspective"][4:] == ["—", "0 of 0", "5"]  # nobody marked: no mean, not "hard"
    assert war["test_game_completed"][4:6] == ["80%", "4 of 5"]  # dave's log is damaged


def test_report_backlog_names_each_written_answer_waiting(report):
    _, page = report
    backlog = dict((r[0], r[1]) for r in _rows(_section(page, f"{DEMO}-backlog")))
    assert backlog == {"alice": "demo: answer_memo"}
    war = dict((r[0], r[1]) for r in _rows(_section(page, f"{WAR}-backlog")))
    assert "crisis-wargame: answer_perspective" in war["alice"] and "answer_after_action_review" in war["alice"]


def test_report_replays_logs_and_lists_the_damaged_one(report):
    _, page = report
    outcomes = _section(page, "outcomes")
    assert "(4 of 5 students)" in outcomes
    shares = {r[0]: r[1] for r in _rows(re.findall(r"<table>.*?</table>", outcomes)[0])}
    assert shares == {"War on the peninsula": "0", "Nuclear breakout": "0", "Negotiated de-escalation": "4",
                      "Frozen standoff": "0"}  # fmt: skip
    assert "the same game (seed and moves) as carol, erin" in outcomes  # they handed in the key's log
    bad = dict((r[0], r[1]) for r in _rows(_section(page, "bad-logs")))
    assert list(bad) == ["dave"] and "damaged" in bad["dave"] and "not JSON" in bad["dave"]


def test_report_leaderboard_ranks_students_with_the_references(report):
    _, page = report
    rows = _rows(_section(page, "leaderboard"))
    names = [r[1] for r in rows]
    assert {"alice", "bob", "dave", "adaptive", "always-deter", "random"} <= set(names)
    means = [float(r[3]) for r in rows]
    assert means == sorted(means, reverse=True)
    assert names.index("alice") < names.index("bob")  # the key reads the opponent; always-talk does not
    assert names[-1] == "always-deter"
    assert "carol" not in names and "erin" not in names


def test_report_names_failing_strategies_with_the_reason(report):
    _, page = report
    reasons = dict((r[0], r[1]) for r in _rows(_section(page, "not-ranked")))
    assert set(reasons) == {"carol", "erin"}
    assert reasons["carol"] == (
        "error in 4 of 4 games; first: ZeroDivisionError: division by zero (line 2, in my_strategy) "
        "(the first seed only: not played further)"
    )
    assert reasons["erin"].startswith("illegal move in 4 of 4 games; first: IllegalMove: 'invade-everyone'")


def test_report_is_self_contained(report):
    _, page = report
    assert "http" not in page and "<script" not in page and "<link" not in page
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 6  # per assignment: scores and questions; then the outcomes and the leaderboard
    assert all(base64.b64decode(i).startswith(b"\x89PNG\r\n\x1a\n") for i in images)


def test_strategy_source_copies_only_what_the_function_needs(tmp_path):
    cells = [
        "import math\nfrom course.widgets import CrisisBoard\nLIMIT = 70\nboard = CrisisBoard()\n%matplotlib inline",
        "def helper(view):\n    return math.floor(view.state['tension']) > LIMIT\n",
        "def my_strategy(view):\n    return view.actions[-1] if helper(view) else view.actions[0]\n",
        "def my_strategy(view):\n    return view.actions[0] if helper(view) else view.actions[-1]\n",  # re-defined
    ]
    nb = {"cells": [{"cell_type": "code", "source": c, "metadata": {}} for c in cells]}
    (tmp_path / "a.ipynb").write_text(json.dumps(nb))
    source = strategy_source(tmp_path / "a.ipynb")
    assert "CrisisBoard" not in source and "board" not in source
    assert source.index("import math") < source.index("LIMIT = 70") < source.index("def helper")
    assert source.count("def my_strategy") == 1 and "actions[0] if helper" in source
    (tmp_path / "b.ipynb").write_text(json.dumps({"cells": nb["cells"][:2]}))
    with pytest.raises(StrategyUnavailable, match="no cell of b.ipynb defines a function my_strategy"):
        strategy_source(tmp_path / "b.ipynb")


def test_report_usage_errors_exit_2(tmp_path, graded):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    for root, extra, message in [
        (tmp_path / "nowhere", [], "not a course directory"),
        (tmp_path, [], "no gradebook at"),
        (graded, ["99-nothing"], "the gradebook has no assignment '99-nothing'"),
    ]:
        done = subprocess.run([sys.executable, "-m", "course.cli", "report", *extra, "--root", str(root)],
                              capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 2 and message in done.stderr, done.stderr


def test_reason_says_too_slow_with_the_count_and_the_first_message():
    from course.report.strategies import _reason
    from course.sandbox.runner import CallResult, SandboxResult

    slow = CallResult(({},), "timeout", message="your function took longer than 0.1 s on one case: my_strategy(<view>)")
    result = SandboxResult("my_strategy", (CallResult(({},), "ok", value={}), slow, slow))
    assert _reason(result) == (
        "too slow in 2 of 3 games; first: your function took longer than 0.1 s on one case: my_strategy(<view>)"
    )
