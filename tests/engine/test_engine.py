"""The crisis engine: play, legality, views, scoring, explanations, decision logs and replay."""

from __future__ import annotations

import json

import pytest

from course.engine.crisis import ENGINE_VERSION, Crisis, DecisionLog, IllegalMove, ReplayError, replay
from course.scenario.loader import load
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def scenario():
    return load("korean-peninsula-2024")


def test_crisis_starts_at_scenario_start(scenario):
    game = Crisis(scenario, seed=0)
    assert game.turn == 0 and not game.over and game.outcome is None
    assert game.state == {v.id: v.start for v in scenario.variables}
    assert set(game.actions) <= {a.id for a in scenario.actions}
    assert "freeze-for-freeze" not in game.actions  # needs open dialogue >= 20


def test_play_returns_turn_and_advances(scenario):
    game = Crisis(scenario, seed=1)
    turn = game.play("coordinate-with-allies")
    assert (turn.number, turn.action, game.turn) == (1, "coordinate-with-allies", 1)
    assert len(turn.responses) == 2 and len(turn.intel) == 2
    assert game.history == (turn,)


def test_play_unknown_move_raises_and_lists_legal(scenario):
    game = Crisis(scenario, seed=1)
    with pytest.raises(IllegalMove, match="legal now: joint-exercises") as info:
        game.play("invade")
    assert "talks-with-guarantees" in info.value.legal
    assert game.turn == 0 and game.history == ()


def test_play_precondition_failure_is_illegal(scenario):
    game = Crisis(scenario, seed=1)
    with pytest.raises(IllegalMove, match="it needs open_dialogue >= 20"):
        game.play("freeze-for-freeze")


def test_play_after_end_is_illegal(scenario):
    game = Crisis(scenario, seed=2, doctrines={"north-korea": "spiral-prone-reciprocator"})
    while not game.over:
        game.play("joint-exercises")
    assert game.actions == ()
    with pytest.raises(IllegalMove, match="over"):
        game.play("joint-exercises")


def test_doctrines_fixed_or_drawn(scenario):
    fixed = Crisis(scenario, seed=5, doctrines={"north-korea": "resolved-hardliner"})
    assert fixed.doctrines["north-korea"] == "resolved-hardliner"
    drawn = {Crisis(scenario, seed=s).doctrines["north-korea"] for s in range(60)}
    assert drawn == {d.id for d in scenario.opponents[0].doctrines}
    with pytest.raises(ValueError, match="no doctrine"):
        Crisis(scenario, doctrines={"north-korea": "madman"})


def test_view_never_shows_the_doctrine(scenario):
    game = Crisis(scenario, seed=4)
    game.play("coordinate-with-allies")
    view = game.view
    text = repr(tuple(view[1:]))
    assert game.doctrines["north-korea"] not in text and game.doctrines["russia"] not in text
    assert view.moves == ("coordinate-with-allies",) and view.turn == 1
    assert len(view.intel) == 2


def test_score_uses_outcome_value_and_weights(scenario):
    game = Crisis(scenario, seed=0)
    expected = sum(w * game.state[k] for k, w in scenario.scoring.state.items())
    assert game.score() == pytest.approx(expected)
    assert game.score({"tension": 1.0}) == pytest.approx(game.state["tension"])


def test_turn_why_names_action_doctrine_and_roll(scenario):
    game = Crisis(scenario, seed=9, doctrines={"north-korea": "spiral-prone-reciprocator"})
    turn = game.play("joint-exercises")
    assert "Joint exercises" in turn.why and "spiral-prone reciprocator" in turn.why and "roll" in turn.why


def test_decision_log_json_round_trip(scenario):
    game = Crisis(scenario, seed=11).play_all(["coordinate-with-allies", "talks-with-guarantees"])
    log = game.log
    assert log.engine_version == ENGINE_VERSION and log.scenario_hash == scenario.content_hash
    assert DecisionLog.from_json(log.to_json()) == log
    assert json.loads(log.to_json())["moves"] == ["coordinate-with-allies", "talks-with-guarantees"]


def test_replay_recomputes_outcome_and_ignores_recorded_one(scenario):
    game = Crisis(scenario, seed=3).run(lambda v: "joint-exercises")
    forged = DecisionLog(**{**game.log.__dict__, "seen_outcome": "negotiated-de-escalation"})
    again = replay(scenario, forged)
    assert again.outcome == game.outcome != "negotiated-de-escalation"
    assert again.history == game.history


def test_replay_refuses_other_rules(scenario):
    game = Crisis(scenario, seed=3).play_all(["joint-exercises"])
    with pytest.raises(ReplayError, match="different rules"):
        replay(scenario.with_ambiguity(0.9), game.log)
    with pytest.raises(ReplayError, match="scenario"):
        replay(scenario, DecisionLog(**{**game.log.__dict__, "scenario_id": "other"}))


def test_replay_refuses_illegal_move(scenario):
    log = DecisionLog(scenario.id, scenario.content_hash, ENGINE_VERSION, 0, ("freeze-for-freeze",))
    with pytest.raises(ReplayError, match="move 1"):
        replay(scenario, log)


def test_from_json_rejects_bad_logs():
    with pytest.raises(ValueError, match="missing 'seed'"):
        DecisionLog.from_json('{"scenario_id": "x", "scenario_hash": "h", "engine_version": "1", "moves": []}')


def test_play_command_json(capsys):
    from course.cli import main

    moves = "coordinate-with-allies,talks-with-guarantees"
    assert main(["play", "--scenario", "korean-peninsula-2024", "--seed", "3", "--moves", moves, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"scenario", "seed", "turns", "outcome", "score"}
    assert [t["action"] for t in data["turns"]] == moves.split(",")
    assert set(data["turns"][0]) == {"turn", "action", "responses", "state"}
    game = Crisis(load("korean-peninsula-2024"), seed=3).play_all(moves.split(","))
    assert data["score"] == round(game.score(), 2) and data["outcome"] is None


def test_play_command_illegal_move_exits_1(capsys):
    from course.cli import main

    assert main(["play", "--seed", "1", "--moves", "freeze-for-freeze"]) == 1
    assert "legal now" in capsys.readouterr().err


def test_play_command_interactive_until_eof(capsys, monkeypatch):
    import io

    from course.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("8\ncoordinate-with-allies\nnonsense\n"))
    assert main(["play", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "1. Joint exercises [deterrence]" in out and "turn 2:" in out and "stopped after 2 turn(s)" in out


def test_play_command_interactive_to_the_end(capsys, monkeypatch):
    import io

    from course.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("1\n" * 20))
    assert main(["play", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "Hidden doctrines" in out and "illustrative" in out and "Turn 1:" in out


def test_tournament_command_prints_leaderboard(capsys):
    from course.cli import main

    assert main(["tournament", "--seeds", "5"]) == 0
    out = capsys.readouterr().out
    assert "adaptive" in out and "always-deter" in out and "mean score" in out


def test_authoring_page_examples_run():
    """The module doctests run under ``--doctest-modules`` (pyproject.toml); this page is docs, not a module."""
    import doctest

    result = doctest.testfile(str(ROOT / "docs" / "authoring.md"), module_relative=False)
    assert result.failed == 0 and result.attempted > 0


def test_debrief_reveals_doctrines_and_explains_every_turn(scenario):
    game = Crisis(scenario, seed=5)
    assert "not over" in game.debrief()
    game.run(lambda view: "coordinate-with-allies")
    text = game.debrief()
    nk = scenario.opponents[0].doctrine(game.doctrines["north-korea"]).name
    assert nk in text and "illustrative" in text and text.count("Turn ") == game.turn


def test_from_json_rejects_wrong_types():
    base = {"scenario_id": "x", "scenario_hash": "h", "engine_version": "1", "seed": 0, "moves": []}
    for bad, message in [
        ({"seed": True}, "'seed' should be int"),
        ({"moves": [1]}, "every move"),
        ({"seen_outcome": 3}, "seen_outcome"),
        ({"doctrines": ["x"]}, "doctrines"),
        ({"extra": 1}, "unknown key"),
    ]:
        with pytest.raises(ValueError, match=message):
            DecisionLog.from_json(json.dumps(base | bad))
