"""Doctrines read like transcripts: the coalition's move, and the reply each doctrine makes."""

from __future__ import annotations

import pytest

from course.engine import doctrines
from course.engine.crisis import Crisis
from course.scenario.loader import load


@pytest.fixture(scope="module")
def scenario():
    return load("korean-peninsula-2024")


def versus(scenario, doctrine, seed, expect, russia=None):
    """Play the listed moves against a North Korean doctrine and check each reply."""
    fixed = {"north-korea": doctrine} | ({"russia": russia} if russia else {})
    game = Crisis(scenario, seed=seed, doctrines=fixed)
    seen = [(move, game.play(move).responses[0]) for move, _ in expect]
    assert seen == expect


def test_reciprocator_answers_talks_with_talks_and_drills_with_tests(scenario):
    versus(
        scenario,
        doctrine="spiral-prone-reciprocator",
        seed=0,
        expect=[("joint-exercises", "missile-test"), ("talks-with-guarantees", "return-to-talks")],
    )


def test_opportunist_pockets_concessions_from_a_coalition_that_shows_no_resolve(scenario):
    versus(
        scenario,
        doctrine="deterrence-sensitive-opportunist",
        seed=0,
        expect=[("talks-with-guarantees", "return-to-talks"), ("talks-with-guarantees", "talks-while-building")],
    )


def test_opportunist_holds_back_when_resolved(scenario):
    versus(
        scenario,
        doctrine="deterrence-sensitive-opportunist",
        seed=2,
        expect=[("coordinate-with-allies", "restraint"), ("joint-exercises", "restraint")],
    )


def test_hardliner_builds_during_talks(scenario):
    versus(
        scenario,
        doctrine="resolved-hardliner",
        seed=6,
        expect=[("talks-with-guarantees", "nuclear-test"), ("talks-with-guarantees", "missile-test")],
    )


def test_situations_follow_the_rules(scenario):
    nk = scenario.opponents[0]
    rec = doctrines.build(nk.doctrine("spiral-prone-reciprocator"), nk, scenario)
    start = [v.start for v in scenario.variables]
    assert rec.situation("deterrence", None, start, 0, False) == "firmness"
    assert rec.situation("pressure", "deterrence", start, 1, False) == "spiral"
    assert rec.situation("diplomacy", "deterrence", start, 1, False) == "offer"
    opp = doctrines.build(nk.doctrine("deterrence-sensitive-opportunist"), nk, scenario)
    weak = list(start)
    weak[[v.id for v in scenario.variables].index("alliance_cohesion")] = 40
    assert opp.situation("deterrence", None, weak, 0, False) == "weakness"
    assert opp.situation("diplomacy", None, start, 0, False) == "offer"


def test_patron_ambiguity_moves_clash_reaction_to_the_extremes(scenario):
    ru = scenario.opponents[1]
    values = [v.start for v in scenario.variables]
    clear = doctrines.build(ru.doctrine("committed-patron"), ru, scenario.with_ambiguity(0.0))
    open_ = doctrines.build(ru.doctrine("committed-patron"), ru, scenario.with_ambiguity(1.0))
    assert clear.probabilities("clash", values) == pytest.approx(dict(ru.doctrine("committed-patron").replies["clash"]))
    assert open_.probabilities("clash", values) == pytest.approx({"military-assistance": 0.5, "stand-aside": 0.5})
    assert open_.situation("diplomacy", None, values, 0, True) == "clash"


def test_every_rule_documents_its_source_and_situations():
    for rule, cls in doctrines.RULES.items():
        assert cls.rule == rule and cls.source and cls.__doc__
        assert cls.situations and all(isinstance(s, str) for s in cls.situations.values())
