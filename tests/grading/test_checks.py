"""course.grading: type-checked comparisons and messages a student can act on without the answer."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from course.grading.checks import (
    GradingError,
    KitUsed,
    WrongType,
    WrongValue,
    check_close,
    check_equal,
    check_function,
    check_no_kit_use,
    check_same_items,
    check_type,
    flag_kit_use,
)
from course.grading.strategy import run_strategy
from course.grading.tags import check_tags
from tests.namespaces import notebook


class Liar:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class Seven(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


def test_check_type_is_exact():
    check_type(3, int, "count")
    with pytest.raises(WrongType, match=r"^count should be an int, but it is a bool: True$"):
        check_type(True, int, "count")
    with pytest.raises(WrongType, match=r"it is a Seven: <a Seven object>"):
        check_type(Seven(7), int, "count")
    with pytest.raises(WrongType, match=r"should be a list or tuple, but it is a str: 'ab'"):
        check_type("ab", (list, tuple), "moves")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "the threshold should be a number (int, float or Fraction), but it is a bool: True"),
        ("0.5", "the threshold should be a number (int, float or Fraction), but it is a str: '0.5'"),
        (Liar(), "but it is a Liar: <a Liar object>"),
        (float("nan"), "the threshold is nan: check for a division by zero or an overflow"),
        (math.inf, "the threshold is inf"),
    ],
)
def test_check_close_refuses_what_is_not_a_finite_number(value, message):
    with pytest.raises(GradingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_close(value, 0.5, "the threshold")


def test_check_close_accepts_within_tolerance_and_never_shows_the_expected_value():
    check_close(0.3333333, Fraction(1, 3), "p")
    check_close(Fraction(1, 3), 1 / 3, "p")
    check_close(101, 100, "cost", rel=0.02)
    with pytest.raises(WrongValue) as err:
        check_close(0.4, 0.2857142857, "p", tol=0.01, hint="compare the cost of war with the stake")
    assert str(err.value) == (
        "p is 0.4, which is not within 0.01 of the expected value: compare the cost of war with the stake"
    )
    assert "0.28" not in str(err.value)


@pytest.mark.parametrize(
    ("actual", "expected", "message"),
    [
        ([1, 2], (1, 2), "moves: the value should be a tuple, but it is a list"),
        ((1, 2.0), (1, 2), "moves: the value at [1] should be int, not float"),
        ((1, True), (1, 1), "moves: the value at [1] should be an int, but it is a bool"),
        ([1, 2, 3], [1, 2], "moves: the list has 3 items; 2 were expected"),
        ({"a": 1}, {"b": 1}, "moves: the dict does not have the expected keys"),
        ({"a": [1, 5]}, {"a": [1, 2]}, "moves: the value at ['a'][1] is not the expected one"),
        (0.5, Fraction(1, 2), "moves: the value should be Fraction or int, not float"),
        (
            [Liar()],
            [1],
            "moves should be plain data (numbers, strings, lists, tuples, dicts), but it contains",
        ),
    ],
)
def test_check_equal_names_the_first_difference(actual, expected, message):
    with pytest.raises(GradingError) as err:
        check_equal(actual, expected, "moves")
    assert str(err.value).startswith(message)


def test_check_equal_accepts_equal_plain_data():
    check_equal({"x": (1, 2.0000000001), "y": {3, 4}}, {"x": (1, 2.0), "y": {4, 3}}, "answer")
    check_equal(Fraction(2, 4), Fraction(1, 2), "p")
    check_equal(3, 3.0, "mean")  # an int where a float is expected is fine


def test_check_same_items_counts_without_naming_the_answer():
    check_same_items(["may", "could"], ["could", "may"], "hedges")
    with pytest.raises(WrongValue) as err:
        check_same_items(["may", "will", "must"], ["may", "could"], "hedges")
    assert str(err.value) == "hedges has 3 items: 2 should not be there and 1 is missing"
    with pytest.raises(WrongValue, match=r"\(not expected: 'will', 'must'\)$"):
        check_same_items(["may", "will", "must"], ["may", "could"], "hedges", show_extra=True)
    with pytest.raises(WrongValue, match="1 should not be there"):
        check_same_items([1, True], [1, 1], "ids")  # True is not 1 here
    with pytest.raises(WrongType):
        check_same_items([Liar()], ["may"], "hedges")
    with pytest.raises(WrongType, match="hedges should be a list, tuple, set or frozenset"):
        check_same_items("may", ["may"], "hedges")


def test_check_function_passes_a_correct_function_defined_in_cells():
    ns = notebook("FACTOR = 2", "def double(x):\n    return FACTOR * x\n")
    result = check_function(ns, "double", [((2,), 4), ((-3,), -6), ((0.5,), 1.0)])
    assert result.values == [4, -6, 1.0]
    check_function(ns["double"], None, [((2,), 4)])  # the function itself works as well as a namespace


def test_check_function_says_how_many_cases_fail_and_the_first():
    ns = notebook("def double(x):\n    return x + 2\n")
    with pytest.raises(WrongValue) as err:
        check_function(ns, "double", [((2,), 4), ((3,), 6), ((5,), 10)])
    assert str(err.value) == "2 of 3 cases fail. First: double(3) returned 5: the value is not the expected one"
    with pytest.raises(WrongValue, match=r"First: double on test case 2 returned 5"):
        check_function(ns, "double", [((2,), 4), ((3,), 6)], show_args=False)


def test_check_function_refuses_a_lying_result():
    ns = notebook(
        "class Anything:\n    def __eq__(self, other):\n        return True\n",
        "def double(x):\n    return Anything()\n",
    )
    with pytest.raises(WrongValue, match=r"returned an Anything object on one case: double\(2\)"):
        check_function(ns, "double", [((2,), 4)])


def test_check_function_reports_errors_timeouts_and_missing_functions():
    ns = notebook("def f(x):\n    while x:\n        pass\n    return 1 / x\n")
    with pytest.raises(WrongValue) as err:
        check_function(ns, "f", [((0,), 1), ((1,), 1)], timeout_per_call=0.3)
    assert "2 of 2 cases fail. First: your function raised an error on one case: f(0)" in str(err.value)
    assert "ZeroDivisionError: division by zero" in str(err.value)
    with pytest.raises(GradingError, match="define a function called g and run its cell before this test"):
        check_function(ns, "g", [((0,), 1)])


def test_check_function_flags_the_kits_answers_before_running():
    ns = notebook("from course.games import chicken\ndef solve(x):\n    return chicken(x, 1)\n")
    with pytest.raises(KitUsed, match=r"solve uses the kit's own answers \(from course.games import chicken\)"):
        check_function(ns, "solve", [((1,), 1)])


@pytest.mark.parametrize(
    ("source", "found"),
    [
        (
            "import course.games\nx = course.games.chicken(1, 2)",
            ["import course.games", "course.games.chicken"],
        ),
        (
            "from course import strategies as s\ns.adaptive",
            ["from course import strategies", "course.strategies.adaptive"],
        ),
        ("import course\ncourse.tournament.run()", ["course.tournament.run"]),
        ("from course.games.classics import chicken", ["from course.games.classics import chicken"]),
        (
            "import importlib\nimportlib.import_module('course.strategies')",
            ["the module name 'course.strategies'"],
        ),
        ("from course import reading\nreading.load().claims", [".claims (of course.reading)"]),
        (
            "from course.reading import load\n[c.tags for c in load().paragraphs]",
            [".tags (of course.reading)"],
        ),
        ("from course import reading\nquotes = reading.load().quotes()", []),
        ("%timeit 1\nfrom course.engine import Crisis\ndef f(v):\n    return v.actions[0]", []),
        ("def f(:", []),
    ],
)
def test_flag_kit_use_reads_the_code(source, found):
    assert flag_kit_use(source) == found


def test_check_no_kit_use_names_what_was_used():
    check_no_kit_use("def f(x):\n    return 2 * x\n")
    with pytest.raises(KitUsed, match=r"^your solution uses the kit's own answers \(import course.strategies\)"):
        check_no_kit_use("import course.strategies\n")


REFERENCE = {"s1": "reported", "s2": "judgement", "s3": ("speculation", "judgement"), "s4": "attributed"}


def test_check_tags_counts_right_answers_without_saying_which():
    answers = {"s1": "reported", "s2": "speculation", "s3": "judgement", "s4": "reported"}
    with pytest.raises(WrongValue) as err:
        check_tags(answers, REFERENCE)
    assert str(err.value) == "2 of 4 claims are tagged as the reference does; 4 needed"
    assert check_tags(answers, REFERENCE, at_least=2) == 2
    with pytest.raises(WrongValue, match=r"\(look again at s2, s4\)$"):
        check_tags(answers, REFERENCE, reveal=True)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["reported"], "your claims tags should be a dict, but it is a list"),
        ({"s1": "fact"}, "s1: 'fact' is not a tag; use one of reported, attributed"),
        ({"s1": 1}, "the tag of s1 should be a str, but it is an int"),
        ({"s1": "reported"}, "tag every claim: missing s2, s3, s4"),
    ],
)
def test_check_tags_checks_the_form_first(answers, message):
    with pytest.raises(GradingError) as err:
        check_tags(answers, REFERENCE)
    assert str(err.value).startswith(message)


def test_check_function_copies_a_decorated_function_with_its_decorator():
    ns = notebook(
        "import functools",
        "@functools.lru_cache(maxsize=None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
    )
    assert check_function(ns, "fib", [((30,), 832040)]).values == [832040]
    check_function(ns["fib"], None, [((10,), 55)])


def test_check_equal_says_none_plainly():
    with pytest.raises(WrongValue, match=r"^p: the value should be None, but it is a Fraction$"):
        check_equal(Fraction(1, 2), None, "p")


def test_check_function_can_keep_hidden_arguments_out_of_its_messages():
    ns = notebook("def inverse(x):\n    return 1 / x\n")
    with pytest.raises(WrongValue) as err:
        check_function(ns, "inverse", [((2,), 0.5), ((0,), 0.0)], show_args=False)
    message = str(err.value)
    assert message.startswith("1 of 2 cases fail. First: your function raised an error on one case: test case 2")
    assert "ZeroDivisionError: division by zero" in message and "inverse(0)" not in message


def test_run_strategy_plays_every_game_outside_the_kernel():
    ns = notebook(
        "from course.engine import View\nTALK = 'talks-with-guarantees'",
        "def careful(view: View) -> str:\n    return TALK if TALK in view.actions else view.actions[0]\n",
    )
    games = run_strategy(ns, "careful", "korean-peninsula-2024", range(3))
    assert [g["seed"] for g in games] == [0, 1, 2]
    assert all(type(g["outcome"]) is str and type(g["score"]) is float for g in games)


def test_run_strategy_names_the_first_failing_game_and_refuses_reference_strategies():
    ns = notebook("def stubborn(view):\n    return 'surrender'\n")
    with pytest.raises(WrongValue, match=r"^stubborn failed in 2 of 2 games. First: IllegalMove: 'surrender'"):
        run_strategy(ns, "stubborn", "korean-peninsula-2024", [0, 1])
    ns = notebook("from course import strategies\ndef mine(view):\n    return strategies.adaptive(view)\n")
    with pytest.raises(KitUsed, match=r"mine uses the kit's own answers \(import course(\.engine)?\.strategies"):
        run_strategy(ns, "mine", "korean-peninsula-2024", [0])
