"""Tournaments: a table per strategy and doctrine, a leaderboard, and the same numbers with processes."""

from __future__ import annotations

import pytest

from course.engine import tournament
from course.scenario.loader import load


@pytest.fixture(scope="module")
def scenario():
    return load("korean-peninsula-2024")


def test_run_table_and_leaderboard(scenario):
    res = tournament.run(["always-talk", "always-deter"], scenario, seeds=30)
    assert len(res.table) == 2 * len(scenario.opponents[0].doctrines)
    cell = res.cell("always-deter", "spiral-prone-reciprocator")
    assert cell.games == 30 and cell.outcomes["war"] > 0.5 and cell.ci95 > 0
    assert sum(cell.outcomes.values()) == pytest.approx(1)
    assert [s.strategy for s in res.leaderboard] == ["always-talk", "always-deter"]
    assert "always-talk" in res.format_leaderboard() and "de-escalation" in res.format_table()


def test_run_with_processes_gives_the_same_numbers(scenario):
    names = ["adaptive", "grit", "plan:sanctions-enforcement"]
    one = tournament.run(names, scenario, seeds=range(15), jobs=1)
    two = tournament.run(names, scenario, seeds=range(15), jobs=2)
    assert one == two


def test_run_explicit_doctrines_and_prior_draws(scenario):
    res = tournament.run(["adaptive"], scenario, seeds=10, doctrines=["resolved-hardliner", {}])
    assert [c.doctrine for c in res.table] == ["resolved-hardliner", "drawn-from-priors"]
    assert res.weights == {"resolved-hardliner": 0.5, "drawn-from-priors": 0.5}
