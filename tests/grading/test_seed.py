"""course.grading.seed and course.grading.cases: hidden cases drawn from the instructor's seed, by kind."""

from __future__ import annotations

import stat
from fractions import Fraction
from pathlib import Path

import pytest

from course.grading import cases, seed


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "seeds"
    monkeypatch.setenv(seed.DIR_VARIABLE, str(folder))
    return folder


def test_seed_lives_outside_the_course_under_xdg_config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(seed.DIR_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert seed.seed_path("pact-course") == tmp_path / "cfg" / "pact-course" / "seeds" / "pact-course"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert seed.seed_path("my course/../x") == Path.home() / ".config" / "pact-course" / "seeds" / "my_course_.._x"


def test_ensure_creates_a_private_seed_once_and_keeps_it(seeds: Path):
    assert seed.read("c1") is None
    path, created = seed.ensure("c1")
    assert created and path == seeds / "c1" and stat.S_IMODE(path.stat().st_mode) == 0o600
    first = seed.read("c1")
    assert first and len(first) == 32
    assert seed.ensure("c1") == (path, False) and seed.read("c1") == first
    assert seed.ensure("c2")[1] and seed.read("c2") != first


def test_current_seed_is_the_named_course_s_then_the_one_above_here_then_public(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    seeds.mkdir()
    (seeds / "c1").write_text("secret-1\n")
    course = tmp_path / "course"
    (course / "source" / "02").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.course_id = "c1"\n')
    monkeypatch.chdir(tmp_path)
    assert seed.current_seed() == seed.PUBLIC
    with seed.grading_course("c1"):
        assert seed.current_seed() == "secret-1"
        with seed.grading_course(None):
            assert seed.current_seed() == seed.PUBLIC
    monkeypatch.chdir(course / "source" / "02")  # an instructor running a source notebook in their kernel
    assert seed.current_seed() == "secret-1"


def test_rng_is_keyed_by_seed_and_test():
    def draw(*keys: str, seed_text: str) -> list[float]:
        generator = seed.rng(*keys, seed=seed_text)
        return [generator.random() for _ in range(3)]

    assert draw("02", "spe_path", seed_text="a") == draw("02", "spe_path", seed_text="a")
    assert draw("02", "spe_path", seed_text="a") != draw("02", "spe_path", seed_text="b")
    assert draw("02", "spe_path", seed_text="a") != draw("02", "best_responses", seed_text="a")


GENERATORS = {
    "bimatrix": lambda r: cases.bimatrix(r, 3, 3),
    "fraction_game": lambda r: cases.fraction_game(r, 2, 2),
    "coordination_game": cases.coordination_game,
    "cyclic_game": cases.cyclic_game,
    "dilemma_game": cases.dilemma_game,
    "sequential_cases": cases.sequential_cases,
    "deterrence_cases": cases.deterrence_cases,
    "split_cases": cases.split_cases,
}


@pytest.mark.parametrize("name", GENERATORS)
def test_same_seed_same_cases_and_other_seeds_other_cases(name: str):
    make = GENERATORS[name]
    assert make(seed.rng("t", seed="s1")) == make(seed.rng("t", seed="s1"))
    drawn = [repr(make(seed.rng("t", seed=f"s{k}"))) for k in range(6)]
    assert len(set(drawn)) >= 4, drawn


@pytest.mark.parametrize("k", range(20))
def test_sequential_cases_cover_every_kind_without_ties(k: int):
    found = set()
    for status_quo, concession, war in cases.sequential_cases(seed.rng("t", seed=str(k))):
        assert war[1] != concession[1]
        resists = war[1] > concession[1]
        reached = war if resists else concession
        assert reached[0] != status_quo[0]
        found.add((resists, reached[0] > status_quo[0]))
    assert found == {(True, True), (True, False), (False, True), (False, False)}


@pytest.mark.parametrize("k", range(20))
def test_deterrence_cases_are_of_their_kind(k: int):
    kinds = cases.deterrence_cases(seed.rng("t", seed=str(k)))

    def needed(sq, prize, war_cost, other, q):  # noqa: ANN001, ANN202
        return (Fraction(prize) - Fraction(q) * other - sq) / (Fraction(prize) + war_cost), 1 - Fraction(q)

    for args in kinds["inside"]:
        p, top = needed(*args)
        assert 0 < p < top
    assert any(args[0] < 0 for args in kinds["inside"])
    assert all(needed(*a)[0] <= 0 for a in kinds["zero"]) and any(needed(*a)[0] == 0 for a in kinds["zero"])
    assert all(needed(*a)[0] == needed(*a)[1] for a in kinds["edge"])
    assert all(needed(*a)[0] > needed(*a)[1] for a in kinds["none"])
    assert {needed(*a)[0] <= 0 for a in kinds["q_one"]} == {True, False} and all(a[4] == 1 for a in kinds["q_one"])
    for _sq, prize, war_cost, other, q in kinds["invalid"]:
        assert war_cost <= 0 or prize < 0 or other < 0 or not 0 <= q <= 1


@pytest.mark.parametrize("k", range(20))
def test_split_cases_are_of_their_kind(k: int):
    kinds = cases.split_cases(seed.rng("t", seed=str(k)))

    def best(budget, te, ta):  # noqa: ANN001, ANN202
        risks = [Fraction(te) / (1 + e) + Fraction(ta) / (1 + budget - e) for e in range(budget + 1)]
        return [e for e, r in enumerate(risks) if r == min(risks)]

    assert any(isinstance(x, Fraction) for case in kinds["general"] for x in case)
    assert all(budget >= 2000 for budget, _, _ in kinds["large"])
    assert all(0 in (te, ta) for _, te, ta in kinds["no_threat"])
    assert all(len(best(*case)) == 2 for case in kinds["tie"])
    assert all(len(best(*case)) == 2 for case in kinds["float_tie"])
    budget, te, ta = kinds["float_tie"][0]
    floats = [te / (1 + e) + ta / (1 + budget - e) for e in range(budget + 1)]
    assert max(e for e, r in enumerate(floats) if r == min(floats)) != max(best(budget, te, ta))
    assert all(min(case) < 0 for case in kinds["invalid"])
