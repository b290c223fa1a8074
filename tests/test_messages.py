"""course.autograde.messages: what the grade command and its workers say to each other survives JSON."""

from __future__ import annotations

import pytest

from course.autograde.messages import Cell, IntegrityProblem, Job, Reply, WorkerOptions


def test_worker_options_round_trip():
    options = WorkerOptions("/course", "00-demo", None, 4096, 1000, "/tmp/x")
    assert WorkerOptions.from_json(options.to_json()) == options


def test_job_round_trip():
    assert Job.from_json(Job("alice", force=True).to_json()) == Job("alice", True, False)


def test_reply_round_trip_keeps_nested_cells():
    cell = Cell("demo", 2, "test_double", "assert double(2) == 4")
    reply = Reply(
        "bob", True, log="ok", last_cell=cell, seconds=1.5, attempts=2, retried=["database is locked"],
        integrity=[IntegrityProblem("demo", 3, None, "did not run to its end")], salvaged=[cell],
        score=1.0, max_score=3.0, needs_manual=True,
    )  # fmt: skip
    assert Reply.from_json(reply.to_json()) == reply
    assert Reply.from_json(Reply("carol", False).to_json()).last_cell is None


def test_an_unknown_key_fails_loudly():
    with pytest.raises(TypeError):
        Job.from_json('{"student": "alice", "hurry": true}')


def test_cell_label_counts_from_one():
    assert Cell("demo", 0, "test_x").label() == "cell 1 'test_x'"
    assert Cell("demo", 4).label() == "cell 5"
