"""Decision-log files: fixed name, atomic save, clear errors, nothing written under nbgrader, verify."""

from __future__ import annotations

import pytest

from course.engine import logfile
from course.engine.crisis import Crisis, ReplayError
from course.scenario.loader import load


@pytest.fixture(scope="module")
def scenario():
    return load("korean-peninsula-2024")


def test_log_path_is_fixed_per_assignment(tmp_path):
    assert logfile.log_path("04-crisis-wargame", tmp_path) == tmp_path / "decision-log-04-crisis-wargame.json"
    with pytest.raises(ValueError):
        logfile.log_path("../escape", tmp_path)


def test_save_load_verify_round_trip(scenario, tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    game = Crisis(scenario, seed=8).play_all(["coordinate-with-allies", "talks-with-guarantees"])
    path = logfile.log_path("04-crisis-wargame", tmp_path)
    assert logfile.save(game.log, path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind
    loaded = logfile.load(path)
    assert loaded == game.log
    assert logfile.verify(scenario, loaded).history == game.history
    assert logfile.resume(scenario, path).moves == game.moves


def test_save_writes_nothing_under_nbgrader(scenario, tmp_path, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    path = tmp_path / "decision-log-x.json"
    assert not logfile.writes_allowed()
    assert logfile.save(Crisis(scenario).log, path) is False
    assert not path.exists()


def test_load_missing_and_corrupt_files(tmp_path):
    with pytest.raises(logfile.LogFileError, match="no decision log"):
        logfile.load(tmp_path / "decision-log-x.json")
    bad = tmp_path / "decision-log-y.json"
    bad.write_text("{not json")
    with pytest.raises(logfile.LogFileError, match="damaged"):
        logfile.load(bad)
    bad.write_text('{"moves": []}')
    with pytest.raises(logfile.LogFileError, match="missing"):
        logfile.load(bad)


def test_resume_without_file_starts_new_game(scenario, tmp_path):
    game = logfile.resume(scenario, tmp_path / "none.json", seed=5)
    assert game.turn == 0 and game.seed == 5


def test_verify_refuses_log_for_other_rules(scenario, tmp_path):
    game = Crisis(scenario, seed=1).play_all(["joint-exercises"])
    with pytest.raises(ReplayError):
        logfile.verify(scenario.with_ambiguity(0.1), game.log)
