"""course.grading.strategy: the one strategy runner (the game on the trusted side, the strategy in the sandbox)."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from course.engine import strategies as reference
from course.engine.crisis import Crisis, View
from course.grading.strategy import play_games, view_data
from course.sandbox.gameview import Record, plain_record, view_from
from course.sandbox.wire import decode, encode
from course.scenario.loader import load

DATA = Path(__file__).resolve().parents[1] / "data" / "runner-golden"
sys.path.insert(0, str(DATA))
import make_golden  # noqa: E402 - the golden file's own generator: its seeds and strategies

SCENARIO = load(make_golden.SCENARIO)
GOLDEN = json.loads(gzip.decompress(make_golden.GOLDEN.read_bytes()))
# adaptive's Bayesian update calls the engine's doctrine models (course.engine.tables.compiled), and the engine
# is not in the child by design: a student's strategy reads the same rules as data. The tournament plays the
# kit's strategies in its own process, which the in-process comparison below covers.
NEEDS_ENGINE = {"adaptive"}


def reference_source() -> str:
    """course/engine/strategies.py as a student would paste it: no kit import (``View`` only annotates)."""
    text = Path(reference.__file__).read_text(encoding="utf-8")
    text = text.replace("from __future__ import annotations\n", "")
    text = text.replace("from course.engine.crisis import View, compiled\n", "View = object\n")
    names = {name: f"plan_{i}" for i, name in enumerate(make_golden.STRATEGIES) if name.startswith("plan:")}
    for name, var in names.items():
        text += f"\n{var} = get({name!r})\n"
    return text


def function_name(name: str) -> str:
    if name.startswith("plan:"):
        return f"plan_{make_golden.STRATEGIES.index(name)}"
    return reference.STRATEGIES[name].__name__


def test_golden_file_is_for_this_scenario():
    assert GOLDEN["scenario_hash"] == SCENARIO.content_hash, (
        "the scenario's play-relevant numbers changed since the golden games were written: the in-process "
        "comparison below still holds the runner to the engine; regenerate the file with "
        ".venv/bin/python tests/data/runner-golden/make_golden.py"
    )


@pytest.mark.parametrize("name", [n for n in make_golden.STRATEGIES if n not in NEEDS_ENGINE])
def test_runner_plays_the_reference_strategies_as_the_old_runner_did(name):
    """Outcomes, scores, final states and moves equal the old runner's (the engine in the child), game by game."""
    played = []
    for set_name, (seeds, doctrines) in make_golden.SETS.items():
        result = play_games(reference_source(), function_name(name), SCENARIO, seeds, doctrines, total_timeout=120)
        assert result.ok, result.setup_error or result.first_failure()
        played += [{"set": set_name, **game} for game in result.values]
    if GOLDEN["scenario_hash"] == SCENARIO.content_hash:
        assert played == GOLDEN["games"][name]
    assert played == make_golden.games_of(name, SCENARIO)


def test_in_process_play_of_every_reference_strategy_matches_the_golden_file():
    if GOLDEN["scenario_hash"] != SCENARIO.content_hash:
        pytest.fail("golden file for another scenario hash: regenerate it (see the first test)")
    for name in make_golden.STRATEGIES:
        assert make_golden.games_of(name, SCENARIO) == GOLDEN["games"][name], name


def test_view_as_data_has_every_public_attribute_of_the_engines_view():
    game = Crisis(SCENARIO, seed=5)
    for move in ["coordinate-with-allies", "talks-with-guarantees"]:
        game.play(move)
    engine_view = game.view
    sent = view_from(across(view_data(engine_view)), {"scenario": _scenario_record()})
    public = {a for a in dir(View) if not a.startswith("_") and a not in ("count", "index")}
    for attr in public:
        mine, theirs = getattr(sent, attr), getattr(engine_view, attr)
        if attr == "scenario":
            continue
        if callable(theirs):
            assert [mine(k) for k in range(4)] == [theirs(k) for k in range(4)], attr
        else:
            assert mine == theirs or dict(mine) == theirs, attr
    assert repr(sent.history) == repr(engine_view.history)  # a strategy may seed a generator from it


def _scenario_record() -> Record:
    from course.sandbox.gameview import materialise

    return materialise(across(plain_record(SCENARIO)))


def across(data):
    """What the child receives: plain data through the wire format and JSON."""
    return decode(json.loads(json.dumps(encode(data))))


def test_scenario_as_data_answers_the_lookups_strategies_use():
    sent = _scenario_record()
    for action in SCENARIO.actions:
        assert sent.action(action.id).stance == action.stance
        assert dict(sent.action(action.id).effects) == dict(action.effects)
    opponent = SCENARIO.opponents[0]
    response = opponent.responses[0]
    assert dict(sent.opponents[0].response(response.id).effects) == dict(response.effects)
    assert [d.prior for d in sent.opponent(opponent.id).doctrines] == [d.prior for d in opponent.doctrines]
    assert [(v.id, v.min, v.max, v.start) for v in sent.variables] == [
        (v.id, v.min, v.max, v.start) for v in SCENARIO.variables
    ]
    assert not hasattr(sent, "path") and not hasattr(sent, "_cache")
    with pytest.raises(AttributeError, match="read-only"):
        sent.turn_limit = 99


def test_the_child_holds_no_engine_and_no_game():
    """What a strategy can reach in its own process: no kit module but the sandbox's, no Crisis anywhere."""
    source = (
        "def probe(view):\n"
        "    import sys\n"
        "    kit = sorted(m for m in sys.modules if m.startswith('course'))\n"
        "    return ';'.join(kit) or 'none'\n"
    )
    result = play_games(source, "probe", SCENARIO, [1], allowed_imports=None)
    assert not result.ok  # the answer is no legal move: it comes back as the message
    message = result.calls[0].message
    loaded = message.split("'")[1].split(";")
    assert loaded and all(m.startswith("course.sandbox") or m == "course" for m in loaded), loaded


def test_a_strategy_cannot_change_the_game_it_plays():
    source = (
        "def tamper(view):\n"
        "    try:\n"
        "        view.state['tension'] = 0\n"
        "    except TypeError:\n"
        "        pass\n"
        "    try:\n"
        "        view.turn = 99\n"
        "    except AttributeError:\n"
        "        pass\n"
        "    return view.actions[0]\n"
    )
    honest = "def first(view):\n    return view.actions[0]\n"
    tampered = play_games(source, "tamper", SCENARIO, [1, 2, 3])
    plain = play_games(honest, "first", SCENARIO, [1, 2, 3])
    assert tampered.values == plain.values


def test_a_crash_or_a_hang_costs_one_game_and_a_fresh_child_plays_the_next():
    hang = "def hang(view):\n    while view.turn == 1:\n        pass\n    return view.actions[0]\n"
    result = play_games(hang, "hang", SCENARIO, [1, 2], timeout_per_call=0.2)
    assert [c.status for c in result.calls] == ["timeout", "timeout"]
    assert "hang(<view before turn 2>)" in result.calls[0].message
    crash = "import os\ndef crash(view):\n    if view.turn == 1:\n        os._exit(3)\n    return view.actions[0]\n"
    result = play_games(crash, "crash", SCENARIO, [1, 2, 3], allowed_imports=None)
    assert [c.status for c in result.calls] == ["crashed"] * 3
    assert "exit status 3" in result.calls[2].message


# Moved from tests/test_sandbox.py with play_games (it was course.sandbox.runner.play_games).
def test_play_games_plays_one_game_per_seed_and_doctrine():
    source = "def first(view):\n    return view.actions[0]\n"
    fixed = {"north-korea": "resolved-hardliner"}
    result = play_games(source, "first", SCENARIO, [1, 2], doctrines=[None, fixed])
    assert result.ok, result.first_failure()
    assert [v["seed"] for v in result.values] == [1, 2, 1, 2]
    assert all(v["doctrines"]["north-korea"] == "resolved-hardliner" for v in result.values[2:])
    assert all(type(v["score"]) is float and v["turns"] >= 1 for v in result.values)


def test_play_games_names_an_illegal_move_and_a_slow_turn():
    result = play_games("def s(view):\n    return 'invade'\n", "s", SCENARIO, [0])
    assert result.calls[0].status == "error"
    assert result.calls[0].message.startswith("IllegalMove: 'invade': no such action; legal now:")
    slow = "def s(view):\n    while view.turn == 2:\n        pass\n    return view.actions[0]\n"
    result = play_games(slow, "s", SCENARIO, [0], timeout_per_call=0.3)
    assert result.calls[0].message.startswith(
        "your function took longer than 0.3 s on one case: s(<view before turn 3>)"
    )


def test_play_games_does_not_let_a_strategy_import_the_reference_strategies():
    source = "from course.strategies import adaptive\ndef s(view):\n    return adaptive(view)\n"
    result = play_games(source, "s", SCENARIO, [0])
    assert "import of 'course.strategies' is not available here" in result.setup_error
    # nor the engine (the old runner allowed course.engine, and with it course.engine.strategies)
    for module in ("course.engine.strategies", "course.engine.tables", "course.scenario"):
        result = play_games(f"import {module}\ndef s(view):\n    return view.actions[0]\n", "s", SCENARIO, [0])
        assert f"import of {module!r} is not available here" in result.setup_error


def test_the_engines_view_imported_for_a_type_hint_is_the_childs_view_and_nothing_else_is_there():
    hinted = "from course.engine import View\ndef s(view: View) -> str:\n    return view.actions[0]\n"
    assert play_games(hinted, "s", SCENARIO, [0]).ok
    engine = "from course.engine.crisis import Crisis\ndef s(view):\n    return view.actions[0]\n"
    result = play_games(engine, "s", SCENARIO, [0])
    assert "course.engine.crisis.Crisis is not available to a strategy" in result.setup_error


def test_the_view_a_game_sends_is_the_view_as_data():
    """The per-game encoding (each turn of the history encoded once) gives what encoding the view afresh gives."""
    from course.grading.strategy import _encoded_view

    game, memo = Crisis(SCENARIO, seed=11), {}
    while not game.over:
        assert _encoded_view(game.view, memo) == encode(view_data(game.view))
        game.play(game.actions[-1])


def test_games_side_by_side_each_keep_their_own_globals():
    """Games are played in waves through one child; a strategy that keeps state in a global (reset at turn 0)
    plays each game as if it were the only one."""
    stateful = (
        "SEEN = []\n"
        "def s(view):\n"
        "    global SEEN\n"
        "    if view.turn == 0:\n"
        "        SEEN = []\n"
        "    SEEN.append(view.state['tension'])\n"
        "    wanted = 'talks-with-guarantees' if len(SEEN) % 3 else 'coordinate-with-allies'\n"
        "    return wanted if wanted in view.actions else view.actions[0]\n"
    )
    together = play_games(stateful, "s", SCENARIO, range(6))
    alone = [play_games(stateful, "s", SCENARIO, [seed]).values[0] for seed in range(6)]
    assert together.ok and together.values == alone
