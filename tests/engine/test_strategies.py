"""Reference strategies: legal, deterministic, registered by name, blind to the hidden doctrine."""

from __future__ import annotations

import pytest

from course.engine import strategies
from course.engine.crisis import Crisis
from course.scenario.loader import load


@pytest.fixture(scope="module")
def scenario():
    return load("korean-peninsula-2024")


@pytest.mark.parametrize("name", sorted(strategies.STRATEGIES))
def test_strategy_plays_legal_moves_to_the_end(scenario, name):
    for seed in range(5):
        game = Crisis(scenario, seed=seed).run(strategies.get(name))
        assert game.over


@pytest.mark.parametrize("name", sorted(strategies.STRATEGIES))
def test_strategy_is_deterministic(scenario, name):
    policy = strategies.get(name)
    assert Crisis(scenario, seed=4).run(policy).moves == Crisis(scenario, seed=4).run(policy).moves


def test_random_policy_varies_between_games(scenario):
    runs = {Crisis(scenario, seed=s).run(strategies.random_policy).moves for s in range(10)}
    assert len(runs) > 5


def test_posterior_learns_the_doctrine_from_reports_and_replies(scenario):
    hits = 0
    for seed in range(40):
        game = Crisis(scenario, seed=seed, doctrines={"north-korea": "resolved-hardliner"})
        game.play_all(["coordinate-with-allies"] * 3)
        belief = strategies.posterior(game.view)
        assert sum(belief.values()) == pytest.approx(1)
        hits += max(belief, key=belief.get) == "resolved-hardliner"
    assert hits >= 30


def test_get_plans_by_name():
    plan = strategies.get("plan:coordinate-with-allies*2:talks-with-guarantees")
    assert (plan.first, plan.k, plan.then) == ("coordinate-with-allies", 2, "talks-with-guarantees")
    with pytest.raises(KeyError, match="no strategy"):
        strategies.get("tit-for-two-tats")


def test_grit_answers_two_provocations_with_one_deterrent_move(scenario):
    game = Crisis(scenario, seed=0, doctrines={"north-korea": "resolved-hardliner"})
    moves = game.run(strategies.grit).moves
    assert "joint-exercises" in moves and "humanitarian-opening" in moves
