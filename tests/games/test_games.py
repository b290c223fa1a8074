"""Tests for course.games: worked examples, degenerate cases, the deterrence threshold, and
cross-checks of every normal-form equilibrium against nashpy."""

from __future__ import annotations

import doctest
import warnings
from fractions import Fraction as F

import nashpy
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from course.games import (
    DeterrenceGame,
    Game,
    chicken,
    matching_pennies,
    prisoners_dilemma,
    probability_series,
    stag_hunt,
    sweep,
)
from course.games import equilibria as eqmod
from tests.conftest import ROOT

DOC = ROOT / "docs" / "explanation" / "games.md"
HALF = (F(1, 2), F(1, 2))
FIRST, SECOND = (F(1), F(0)), (F(0), F(1))


def profiles(game: Game) -> list[tuple[tuple[F, ...], tuple[F, ...]]]:
    return [(eq.row, eq.column) for eq in game.equilibria()]


def nashpy_profiles(game: Game) -> list[tuple[np.ndarray, np.ndarray]]:
    """nashpy's equilibria: its support enumeration, completed by its vertex enumeration.

    nashpy works in floats and its support enumeration drops an equilibrium when a zero
    probability comes out as a tiny negative number (see the regression test below); its
    vertex enumeration does not, so the union of the two is the reference, deduplicated.
    """
    a = np.array(game.row_payoffs, dtype=float)
    b = np.array(game.column_payoffs, dtype=float)
    reference = nashpy.Game(a, b)
    found: list[tuple[np.ndarray, np.ndarray]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy warns on degenerate games; we only call it on others
        for x, y in [*reference.support_enumeration(), *reference.vertex_enumeration()]:
            if not any(close(x, y, u, v) for u, v in found):
                found.append((x, y))
    return found


def close(x: np.ndarray, y: np.ndarray, u: np.ndarray, v: np.ndarray) -> bool:
    return np.allclose(x, u, atol=1e-9) and np.allclose(y, v, atol=1e-9)


def assert_same_as_nashpy(game: Game) -> None:
    ours = [(np.array(x, dtype=float), np.array(y, dtype=float)) for x, y in profiles(game)]
    theirs = nashpy_profiles(game)
    assert len(ours) == len(theirs), (ours, theirs)
    assert all(any(close(x, y, u, v) for u, v in ours) for x, y in theirs), (theirs, ours)


# -- the classics ----------------------------------------------------------------------------


def test_chicken_has_two_pure_and_one_mixed_equilibrium():
    game = chicken(cost_of_war=10, value_of_standing_firm=1)
    assert profiles(game) == [(FIRST, SECOND), (SECOND, FIRST), ((F(1, 10), F(9, 10)), (F(1, 10), F(9, 10)))]
    assert [eq.is_pure for eq in game.equilibria()] == [True, True, False]
    assert game.equilibria()[2].payoffs == (F(-1, 10), F(-1, 10))
    assert game.row_labels == ("Stand firm", "Back down")


@pytest.mark.parametrize(("cost", "value"), [(10, 1), (3, 2), ("7/2", "1/2"), (100, 99)])
def test_chicken_mixed_probability_of_standing_firm_is_value_over_cost(cost, value):
    mixed = chicken(cost_of_war=cost, value_of_standing_firm=value).equilibria()[-1]
    assert mixed.row[0] == mixed.column[0] == F(value) / F(cost)


def test_chicken_becomes_deadlock_when_war_costs_less_than_the_stake():
    game = chicken(cost_of_war=1, value_of_standing_firm=2)
    assert profiles(game) == [(FIRST, FIRST)]
    assert game.dominant_strategies("row")[0].kind == "strict"


def test_prisoners_dilemma_unique_equilibrium_is_defect_defect_by_strict_dominance():
    game = prisoners_dilemma()
    assert profiles(game) == [(SECOND, SECOND)]
    assert game.equilibria()[0].payoffs == (F(1), F(1))
    for player in ("row", "column"):
        (dominant,) = game.dominant_strategies(player)
        assert (dominant.label, dominant.kind) == ("Defect", "strict")
    elimination = game.iterated_elimination()
    assert (elimination.rows, elimination.columns) == ((1,), (1,))
    assert elimination.steps == (
        "Round 1: for Row, 'Cooperate' is strictly dominated by 'Defect'.",
        "Round 1: for Column, 'Cooperate' is strictly dominated by 'Defect'.",
    )


def test_stag_hunt_has_two_pure_and_one_mixed_equilibrium():
    game = stag_hunt()
    assert profiles(game) == [(FIRST, FIRST), (SECOND, SECOND), (HALF, HALF)]
    assert game.equilibria()[-1].payoffs == (F(5, 2), F(5, 2))
    assert game.dominant_strategies("row") == ()
    assert game.iterated_elimination().steps == ()


def test_matching_pennies_has_only_a_mixed_equilibrium():
    game = matching_pennies()
    assert profiles(game) == [(HALF, HALF)]
    assert game.pure_equilibria() == ()
    assert "probability 1/2" in game.describe_equilibrium(game.equilibria()[0])


@pytest.mark.parametrize("game", [chicken(), prisoners_dilemma(), stag_hunt(), matching_pennies()], ids=repr)
def test_classics_agree_with_nashpy(game):
    assert not game.is_degenerate()
    assert_same_as_nashpy(game)


def test_equilibrium_that_nashpy_support_enumeration_misses_in_floats():
    # Found by hypothesis: solving for the row mix gives a zero probability as -1e-17 in
    # floats, so nashpy's support enumeration rejects (4/5, 0, 1/5) x (0, 1/2, 1/2).
    game = Game([[0, 1, 0], [0, 0, 0], [1, 0, 1]], [[0, 1, 0], [0, 0, 1], [0, 0, 4]])
    assert not game.is_degenerate()
    assert ((F(4, 5), F(0), F(1, 5)), (F(0), F(1, 2), F(1, 2))) in profiles(game)
    assert_same_as_nashpy(game)


@pytest.mark.parametrize(
    ("factory", "kwargs", "message"),
    [
        (chicken, {"cost_of_war": 0}, "must be positive"),
        (prisoners_dilemma, {"temptation": 2}, "temptation > reward"),
        (stag_hunt, {"temptation": 5}, "reward > temptation"),
        (matching_pennies, {"stake": -1}, "stake must be positive"),
    ],
)
def test_classics_reject_parameters_outside_their_game(factory, kwargs, message):
    with pytest.raises(ValueError, match=message):
        factory(**kwargs)


# -- Game: construction, payoffs, best responses ------------------------------------------------


def test_game_converts_numbers_exactly():
    game = Game([[0.1, "2/3"], [F(1, 7), 2]], [[0, 0], [0, 0]])
    assert game.row_payoffs == ((F(1, 10), F(2, 3)), (F(1, 7), F(2)))
    assert game.row_labels == ("R1", "R2") and game.column_labels == ("C1", "C2")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([[1, 2], [3]], [[1, 2], [3, 4]]), "rectangular"),
        (([[1, 2]], [[1], [2]]), r"row_payoffs is 1x2 but column_payoffs is 2x1"),
        (([], []), "non-empty"),
        (([[1, "x"]], [[1, 2]]), r"row_payoffs\[0\]\[1\] must be a number"),
        (([[1, float("nan")]], [[1, 2]]), "finite"),
        (([[True, 1]], [[1, 2]]), "not a bool"),
        (([[1, 2]], [[1, 2]], ["A", "B"], ["X", "Y"]), "row_labels needs 1 labels, got 2"),
        (([[1, 2]], [[1, 2]], ["A"], ["X", "X"]), "distinct"),
    ],
)
def test_game_rejects_bad_input_with_a_clear_message(args, message):
    with pytest.raises(ValueError, match=message):
        Game(*args)


def test_best_responses_accept_index_label_or_mix_and_include_ties():
    game = chicken()
    assert game.best_responses("row", 0) == (1,)
    assert game.best_responses("Column", "Back down") == (0,)
    assert game.best_responses(0, [F(1, 10), F(9, 10)]) == (0, 1)
    with pytest.raises(ValueError, match="must sum to 1"):
        game.best_responses("row", [F(1, 2), F(1, 3)])
    with pytest.raises(ValueError, match="player must be"):
        game.best_responses("defender", 0)


def test_numpy_numbers_from_widgets_or_tests_are_read_exactly():
    game = Game(np.array([[0.1, 2], [3, 4]]), np.array([[1, 2], [3, 4]]))
    assert game.row_payoffs[0][0] == F(1, 10)
    assert chicken().best_responses("row", np.array([0.1, 0.9])) == (0, 1)
    assert chicken().best_responses("row", np.int64(0)) == (1,)


def test_one_row_game_has_the_column_players_best_replies_as_equilibria():
    game = Game([[1, 2, 3]], [[3, 1, 3]])
    assert game.is_degenerate()  # Column has two best replies to Row's only strategy
    assert profiles(game) == [((F(1),), (F(1), F(0), F(0))), ((F(1),), (F(0), F(0), F(1)))]


def test_describe_equilibrium_refuses_another_games_equilibrium():
    with pytest.raises(ValueError, match="for a 3x3 game"):
        chicken().describe_equilibrium(Game([[0] * 3] * 3, [[0] * 3] * 3).equilibria()[0])


def test_payoff_table_marks_best_responses():
    table = chicken().payoff_table()
    assert table.cells[0][0] == (F(-10), F(-10))
    assert table.row_best == ((False, True), (True, False))
    assert table.column_best == ((False, True), (True, False))
    assert str(table).splitlines()[1] == "Stand firm   | -10, -10   | 1*, -1*"


def test_dominant_strategies_tell_weak_from_strict():
    game = Game([[1, 1], [1, 0]], [[1, 0], [0, 0]], ["Up", "Down"], ["Left", "Right"])
    assert [(d.label, d.kind) for d in game.dominant_strategies("row")] == [("Up", "weak")]
    assert [(d.label, d.kind) for d in game.dominant_strategies("column")] == [("Left", "weak")]


def test_iterated_elimination_takes_several_rounds():
    # Column's Right goes first; only then are Row's Down and Column's Left dominated.
    game = Game([[1, 1, 0], [0, 0, 2]], [[0, 2, 1], [3, 1, 0]], ["Up", "Down"], ["Left", "Middle", "Right"])
    result = game.iterated_elimination()
    assert (result.rows, result.columns) == ((0,), (1,))
    assert [step.split(":")[0] for step in result.steps] == ["Round 1", "Round 2", "Round 2"]
    assert result.game.shape == (1, 1)


# -- degenerate games --------------------------------------------------------------------------


def test_all_ties_game_returns_its_four_corners():
    game = Game([[1, 1], [1, 1]], [[1, 1], [1, 1]])
    assert game.is_degenerate()
    assert sorted(profiles(game)) == sorted((x, y) for x in (FIRST, SECOND) for y in (FIRST, SECOND))


def test_chicken_at_the_boundary_returns_the_ends_of_two_segments():
    # cost_of_war == value: standing firm is weakly dominant; equilibria form two segments
    # ({Firm} x anything, anything x {Firm}) and we return their three extreme points.
    game = chicken(cost_of_war=1, value_of_standing_firm=1)
    assert game.is_degenerate()
    assert profiles(game) == [(FIRST, FIRST), (FIRST, SECOND), (SECOND, FIRST)]
    assert [d.kind for d in game.dominant_strategies("column")] == ["weak"]


def test_degenerate_3x3_game_finds_extreme_equilibria_beyond_equal_supports():
    # Row's Top has two best responses for Column (3 and 3): against Top, Column may play any
    # mix with Left at least 2/3 -- a segment whose far end pairs supports of sizes 1 and 2,
    # which support enumeration on equal-size supports would miss.
    game = Game([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    assert game.is_degenerate()
    top = (F(1), F(0), F(0))
    assert profiles(game) == [
        (top, FIRST),
        (top, (F(2, 3), F(1, 3))),
        ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    ]
    assert (top, (F(2, 3), F(1, 3))) not in eqmod.support_enumeration(game.row_payoffs, game.column_payoffs)


# -- the deterrence game -----------------------------------------------------------------------


def test_backward_induction_unresolved_defender_concedes_and_challenger_challenges():
    solution = DeterrenceGame().backward_induction()
    assert solution.path == ("Challenge", "Concede")
    assert solution.strategies == ("Challenge", "Concede")
    assert solution.equilibria[0].payoffs == (F(3), F(-2))
    assert "not be credible" in solution.steps[0]


def test_backward_induction_resolved_defender_deters():
    solution = DeterrenceGame(cost_of_war_defender=1, defender_concede_cost=2).backward_induction()
    assert solution.path == ("Not challenge",)
    assert solution.strategies == ("Not challenge", "Resist")
    assert solution.equilibria[0].outcome == "status quo"


def test_backward_induction_indifferent_defender_gives_two_equilibria():
    solution = DeterrenceGame(cost_of_war_defender=2, defender_concede_cost=2).backward_induction()
    assert [(e.challenger, e.defender) for e in solution.equilibria] == [
        ("Not challenge", "Resist"),
        ("Challenge", "Concede"),
    ]
    assert "indifferent" in solution.steps[0]
    with pytest.raises(ValueError, match="2 subgame perfect equilibria"):
        _ = solution.path


def test_backward_induction_indifferent_challenger_gives_both_moves():
    solution = DeterrenceGame(challenge_gain=0).backward_induction()
    assert [e.path for e in solution.equilibria] == [("Challenge", "Concede"), ("Not challenge",)]


def test_threshold_is_exact_and_deterrence_holds_only_strictly_above():
    game = DeterrenceGame(status_quo=1, challenge_gain=2, cost_of_war_challenger=5)
    star = game.threshold()
    assert star == F(2, 8)
    assert game.expected_challenge_payoff(star) == game.status_quo
    assert game.challenger_choice(star) == "Indifferent"
    assert not game.deters(star)
    assert game.deters(star + F(1, 10**9)) and not game.deters(star - F(1, 10**9))
    assert game.challenger_choice(0) == "Challenge" and game.challenger_choice(1) == "Not challenge"
    assert game.explain(star)[-1].endswith("deterrence is not assured.")


def test_threshold_falls_as_the_status_quo_becomes_more_valuable():
    values = [DeterrenceGame(status_quo=s).threshold() for s in (0, 1, 3, 10)]
    assert values == [F(2, 7), F(2, 8), F(2, 10), F(2, 17)]


def test_deterrence_game_rejects_bad_parameters():
    with pytest.raises(ValueError, match="cost_of_war_challenger must be positive"):
        DeterrenceGame(cost_of_war_challenger=0)
    with pytest.raises(ValueError, match="credibility is a probability"):
        DeterrenceGame(credibility="3/2")
    with pytest.raises(ValueError, match="credibility is a probability"):
        DeterrenceGame().deters(-0.1)


def test_normal_form_contains_the_non_credible_threat():
    game = DeterrenceGame()
    form = game.normal_form()
    assert form.is_degenerate()
    assert profiles(form) == [(FIRST, SECOND), (SECOND, FIRST), (SECOND, (F(1, 4), F(3, 4)))]
    assert [(e.row, e.column) for e in game.non_credible_equilibria()] == profiles(form)[1:]


def test_non_credible_equilibria_with_resolved_or_indifferent_defender():
    resolved = DeterrenceGame(cost_of_war_defender=1)
    assert [e.column for e in resolved.non_credible_equilibria()] == [(F(1, 4), F(3, 4))]
    assert DeterrenceGame(cost_of_war_defender=2).non_credible_equilibria() == ()


# -- sweeps ----------------------------------------------------------------------------------


def test_sweep_tracks_the_mixed_equilibrium_of_chicken():
    points = sweep(lambda c: chicken(cost_of_war=c), [2, 4, 8])
    assert [len(eqs) for _, eqs in points] == [3, 3, 3]
    assert [probs[-1] for _, probs in probability_series(points)] == [F(1, 2), F(1, 4), F(1, 8)]
    assert probability_series(points, player="column", strategy=1)[0][1] == (F(1), F(0), F(1, 2))
    with pytest.raises(ValueError, match="out of range"):
        probability_series(points, strategy=2)


def test_sweep_needs_a_game():
    with pytest.raises(TypeError, match=r"normal_form\(\)"):
        sweep(lambda c: DeterrenceGame(cost_of_war_challenger=c), [1])


def test_credibility_series_crosses_the_status_quo_at_the_threshold():
    game = DeterrenceGame()
    series = game.credibility_series([0, "1/4", "1/2", 1])
    assert [choice for _, _, choice in series] == [
        "Challenge",
        "Indifferent",
        "Not challenge",
        "Not challenge",
    ]
    assert series[1][1] == game.status_quo


def test_sweep_of_the_deterrence_normal_form_over_credibility_cost():
    points = sweep(lambda c: DeterrenceGame(cost_of_war_challenger=c).normal_form(), [1, 5])
    assert [probs for _, probs in probability_series(points, player="column")] == [
        (F(0), F(1), F(1, 2)),
        (F(0), F(1), F(1, 4)),
    ]


# -- doctests (the modules' own run under --doctest-modules, pyproject.toml) --------------------------


def test_explanation_page_doctests_pass():
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 5 and result.failed == 0


# -- properties ------------------------------------------------------------------------------

SMALL = st.integers(min_value=-9, max_value=9)


@st.composite
def games(draw, shapes=((2, 2), (3, 3), (2, 3), (3, 2))):
    m, n = draw(st.sampled_from(shapes))
    matrix = st.lists(st.lists(SMALL, min_size=n, max_size=n), min_size=m, max_size=m)
    return Game(draw(matrix), draw(matrix))


@given(games())
def test_property_equilibria_match_nashpy_on_nondegenerate_games(game):
    assume(not game.is_degenerate())
    assert_same_as_nashpy(game)


@given(games())
def test_property_every_equilibrium_is_a_mutual_best_response(game):
    for eq in game.equilibria():
        assert sum(eq.row) == 1 and sum(eq.column) == 1
        assert min(eq.row) >= 0 and min(eq.column) >= 0
        a = eqmod.expected(game.row_payoffs, eq.row, eq.column)
        b = eqmod.expected(game.column_payoffs, eq.row, eq.column)
        assert eq.payoffs == (a, b)
        m, n = game.shape
        for i in range(m):
            assert eqmod.expected(game.row_payoffs, eqmod._unit(i, m), eq.column) <= a
        for j in range(n):
            assert eqmod.expected(game.column_payoffs, eq.row, eqmod._unit(j, n)) <= b


@given(games())
def test_property_every_pure_equilibrium_is_listed(game):
    assert set(game.pure_equilibria()) <= set(game.equilibria())


@given(games())
def test_property_support_and_vertex_enumeration_agree_on_nondegenerate_games(game):
    assume(not game.is_degenerate())
    a, b = game.row_payoffs, game.column_payoffs
    assert sorted(eqmod.support_enumeration(a, b)) == sorted(eqmod.extreme_equilibria(a, b))
    assert len(game.equilibria()) % 2 == 1  # nondegenerate games have an odd number of equilibria


@given(games(shapes=((2, 2),)))
def test_property_2x2_degeneracy_is_a_tie_against_a_pure_strategy(game):
    a, b = game.row_payoffs, game.column_payoffs
    tie = any(a[0][j] == a[1][j] for j in range(2)) or any(b[i][0] == b[i][1] for i in range(2))
    assert game.is_degenerate() == tie


POSITIVE = st.fractions(min_value=F(1, 10), max_value=20, max_denominator=12)
NON_NEGATIVE = st.fractions(min_value=0, max_value=20, max_denominator=12)


@given(NON_NEGATIVE, NON_NEGATIVE, POSITIVE, POSITIVE, NON_NEGATIVE)
def test_property_threshold_separates_challenge_from_deterrence(s, g, cc, cd, k):
    game = DeterrenceGame(s, g, cc, cd, k)
    star = game.threshold()
    assert 0 <= star < 1
    assert game.challenger_choice(star) == "Indifferent"
    assert game.deters(min(F(1), star + F(1, 1000)))
    if star > 0:
        assert game.challenger_choice(star / 2) == "Challenge"
    # In the Nash view, "not challenge" is held up by resisting with probability p* or more.
    form = game.normal_form()
    assert form.is_equilibrium(1, [star, 1 - star])
    if star > 0:
        assert not form.is_equilibrium(1, [star / 2, 1 - star / 2])


@given(NON_NEGATIVE, NON_NEGATIVE, POSITIVE, POSITIVE, NON_NEGATIVE)
def test_property_subgame_perfect_equilibria_are_nash_and_credible(s, g, cc, cd, k):
    game = DeterrenceGame(s, g, cc, cd, k)
    form = game.normal_form()
    for spe in game.backward_induction().equilibria:
        assert form.is_equilibrium(spe.challenger, spe.defender)
        assert form.payoffs(spe.challenger, spe.defender) == spe.payoffs
    non_credible = set(game.non_credible_equilibria())
    assert non_credible <= set(form.equilibria())
    for eq in non_credible:
        assert not any(
            eq.column == tuple(F(int(label == spe.defender)) for label in form.column_labels)
            for spe in game.backward_induction().equilibria
        )
