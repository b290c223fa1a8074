"""course.wargame_checks: completed games among the decision logs, and strategies played with final states."""

from __future__ import annotations

import json

import pytest

from course.engine import logfile
from course.engine.crisis import Crisis
from course.grading.checks import KitUsed, WrongValue
from course.grading.wargame_checks import LogProblem, completed_game, log_files, play_strategy, summary
from course.scenario.loader import load
from tests.namespaces import notebook

SCENARIO = load("korean-peninsula-2024")
TALK = "talks-with-guarantees"


def finished(seed: int = 3) -> Crisis:
    game = Crisis(SCENARIO, seed=seed)
    while not game.over:
        game.play(TALK if TALK in game.actions else game.actions[0])
    return game


def save(game: Crisis, path) -> None:
    path.write_text(game.log.to_json() + "\n", encoding="utf-8")  # logfile.save refuses under nbgrader


def test_completed_game_says_there_is_no_log(tmp_path):
    with pytest.raises(LogProblem, match=r"no decision log found: play the crisis board .*decision-log-04"):
        completed_game(SCENARIO, tmp_path)


def test_completed_game_replays_the_fixed_name_log_and_ignores_the_recorded_outcome(tmp_path):
    game = finished()
    data = json.loads(game.log.to_json())
    data["seen_outcome"] = "negotiated-de-escalation" if game.outcome != "negotiated-de-escalation" else "war"
    logfile.log_path("04-crisis-wargame", tmp_path).write_text(json.dumps(data), encoding="utf-8")
    path, again = completed_game(SCENARIO, tmp_path)
    assert path.name == "decision-log-04-crisis-wargame.json"
    assert again.outcome == game.outcome and again.history == game.history


def test_completed_game_names_each_problem(tmp_path):
    fixed = logfile.log_path("04-crisis-wargame", tmp_path)
    fixed.write_text("{not json", encoding="utf-8")
    unfinished = Crisis(SCENARIO, seed=1)
    unfinished.play("coordinate-with-allies")
    save(unfinished, tmp_path / "decision-log-04-crisis-wargame.1.json")
    other = json.loads(finished().log.to_json())
    other["scenario_hash"] = "0" * 64
    (tmp_path / "decision-log-04-crisis-wargame.2.json").write_text(json.dumps(other), encoding="utf-8")
    with pytest.raises(LogProblem) as err:
        completed_game(SCENARIO, tmp_path)
    message = str(err.value)
    assert "damaged" in message
    assert "decision-log-04-crisis-wargame.1.json: the game is not finished (1 of 12" in message
    assert "decision-log-04-crisis-wargame.2.json: this log was made with different rules" in message


def test_completed_game_finds_a_kept_game_when_the_current_one_is_unfinished(tmp_path):
    current = Crisis(SCENARIO, seed=9)
    current.play("coordinate-with-allies")
    save(current, logfile.log_path("04-crisis-wargame", tmp_path))
    save(finished(5), tmp_path / "decision-log-04-crisis-wargame.2.json")
    save(finished(4), tmp_path / "decision-log-04-crisis-wargame.10.json")
    (tmp_path / "decision-log-04-crisis-wargame.unreadable.json").write_text("x", encoding="utf-8")
    assert [p.name for p in log_files(tmp_path)] == [
        "decision-log-04-crisis-wargame.json",
        "decision-log-04-crisis-wargame.2.json",
        "decision-log-04-crisis-wargame.10.json",
    ]
    path, game = completed_game(SCENARIO, tmp_path)
    assert path.name == "decision-log-04-crisis-wargame.2.json" and game.seed == 5 and game.over


def test_play_strategy_returns_final_states_outside_the_kernel():
    ns = notebook(
        f"TALK = {TALK!r}", "def careful(view):\n    return TALK if TALK in view.actions else view.actions[0]\n"
    )
    games = play_strategy(ns, "careful", SCENARIO.id, [0, 1], [{"north-korea": "status-quo-cautious"}])
    assert [g["seed"] for g in games] == [0, 1]
    for g in games:
        local = Crisis(SCENARIO, seed=g["seed"], doctrines={"north-korea": "status-quo-cautious"}).play_all(g["moves"])
        assert local.state == g["final"] and local.outcome == g["outcome"] and local.score() == g["score"]


def test_play_strategy_says_when_a_strategy_is_too_slow():
    ns = notebook("import time\ndef slow(view):\n    time.sleep(0.3)\n    return view.actions[0]\n")
    with pytest.raises(WrongValue, match=r"^slow is too slow: your function took longer than 0.1 s"):
        play_strategy(ns, "slow", SCENARIO.id, [0], timeout_per_call=0.1, allowed_imports={"time"})


def test_play_strategy_refuses_the_reference_strategies_and_names_illegal_moves():
    ns = notebook("from course import strategies\ndef mine(view):\n    return strategies.adaptive(view)\n")
    with pytest.raises(KitUsed):
        play_strategy(ns, "mine", SCENARIO.id, [0])
    ns = notebook("def stubborn(view):\n    return 'surrender'\n")
    with pytest.raises(WrongValue, match=r"^stubborn failed in 1 of 1 games. First: IllegalMove"):
        play_strategy(ns, "stubborn", SCENARIO.id, [0])


def test_summary_counts_outcome_kinds_and_cohesion():
    games = [
        {"outcome": "nuclear-breakout", "score": -70.0, "final": {"alliance_cohesion": 40.0}},
        {"outcome": "negotiated-de-escalation", "score": 50.0, "final": {"alliance_cohesion": 39.9}},
    ]
    assert summary(games) == {"games": 2, "war": 0.0, "breakout": 0.5, "cohesion_kept": 0.5, "mean_score": -10.0}
    with pytest.raises(ValueError):
        summary([])
