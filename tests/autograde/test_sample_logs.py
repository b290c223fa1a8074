"""The decision logs that 05-policy-memo ships are deterministic, and say what their names promise."""

from __future__ import annotations

import pytest

from course.autograde import sample_logs as memo_data
from course.engine import logfile
from course.engine.crisis import ReplayError, replay
from course.scenario.loader import load
from tests.conftest import ROOT

AID = "05-policy-memo"


@pytest.fixture(scope="module")
def scenario():
    return load(memo_data.SCENARIO)


def _files(folder):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.json"))}


def test_sample_logs_equal_a_fresh_generation():
    shipped = _files(ROOT / "source" / AID / "samples")
    assert shipped == memo_data.sample_logs(), (
        f"source/{AID}/samples is stale: run `python -m course.memo_data source/{AID}/samples`"
    )


def test_answer_key_logs_equal_a_fresh_generation():
    folder = ROOT / "solutions" / AID
    shipped = {name: text for name, text in _files(folder).items() if name.startswith(logfile.PREFIX)}
    assert shipped == memo_data.answer_key_logs(), (
        f"solutions/{AID} lacks the answer key's logs (`make build` removes them): "
        f"run `python -m course.memo_data --answer-key solutions/{AID}`"
    )


def test_no_decision_log_is_released_to_students():
    # A file named decision-log-... in source/ would be copied into every student's folder and counted as theirs.
    assert not list((ROOT / "source" / AID).glob(f"{logfile.PREFIX}*")), "source/ must not hold a decision log"


def test_sample_names_promise_what_the_files_hold(tmp_path, scenario):
    paths = {p.name: p for p in memo_data.write(memo_data.sample_logs(), tmp_path)}
    with pytest.raises(logfile.LogFileError):
        logfile.load(paths["sample-damaged.json"])
    assert not replay(scenario, logfile.load(paths["sample-unfinished-seed-2.json"])).over
    faked = logfile.load(paths["sample-faked-outcome-seed-6.json"])
    assert replay(scenario, faked).outcome != faked.seen_outcome
    finished = [n for n in paths if n not in {"sample-damaged.json", "sample-unfinished-seed-2.json"}]
    kinds = {replay(scenario, logfile.load(paths[n])).outcome_kind for n in finished}
    assert kinds == {"war", "breakout", "de-escalation", "standoff"}, "the samples should show every kind of ending"


def test_answer_key_logs_replay_with_the_last_one_unfinished(tmp_path, scenario):
    paths = memo_data.write(memo_data.answer_key_logs(), tmp_path)
    games = {p.name: replay(scenario, logfile.load(p)) for p in paths}
    assert not games["decision-log-05-policy-memo.json"].over
    ends = sorted(g.outcome_kind for g in games.values() if g.over)
    assert ends == ["breakout", "de-escalation", "standoff", "war"], "the memo's exemplar cites one game of each"


def test_replay_refuses_a_log_of_another_engine(tmp_path, scenario):
    text = memo_data.sample_logs()["sample-grit-seed-6.json"].replace('"engine_version": "1"', '"engine_version": "0"')
    (tmp_path / "x.json").write_text(text)
    with pytest.raises(ReplayError):
        replay(scenario, logfile.load(tmp_path / "x.json"))


def test_main_writes_the_files_and_rejects_bad_arguments(tmp_path, capsys):
    assert memo_data.main([str(tmp_path / "s")]) == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(memo_data.sample_logs())
    assert memo_data.main(["--answer-key", str(tmp_path / "a")]) == 0
    assert memo_data.main([]) == 2
    assert "usage" in capsys.readouterr().err
