"""course.grading.answers: the test-cell plumbing (is the answer there, which cells set it, kit use, cases)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from course.grading.answers import (
    MissingAnswer,
    cells_setting,
    check_cases,
    check_own_work,
    check_raises,
    require,
    run_function,
)
from course.grading.errors import GradingError, KitUsed, WrongValue
from course.grading.tags import check_tag_form
from tests.namespaces import notebook


def test_require_gives_one_clear_message_for_a_missing_answer():
    with pytest.raises(MissingAnswer, match=r"^my_tags is not set: answer above$"):
        require({}, "my_tags", "answer above")
    assert require({"x": 3}, "x") == 3
    assert issubclass(MissingAnswer, AssertionError)  # nbgrader scores the cell as failed
    assert MissingAnswer("x is not set")._render_traceback_() == ["MissingAnswer: x is not set"]  # one line


def test_cells_setting_finds_assignments_item_changes_and_method_calls():
    history = ["", "a = 1", "my_tags = {}", "my_tags['s01'] = 'reported'", "print(my_tags)", "my_tags.update(x=1)",
               "assert my_tags.get('s01') and my_tags['s02'] and p_star.numerator"]  # fmt: skip
    found = cells_setting({"In": history}, "my_tags")
    assert found == ["my_tags = {}", "my_tags['s01'] = 'reported'", "my_tags.update(x=1)"]
    assert cells_setting({"In": ["%time p = 1", "p: int = 2", "(p := 3)", "p += 1", "def p(): pass"]}, "p") == [
        "p: int = 2",
        "(p := 3)",
        "p += 1",
        "def p(): pass",
    ]  # fmt: skip (a magic line is not read)
    assert cells_setting({}, "p") == [] and cells_setting({"In": ["p = ("]}, "p") == []


def test_cells_setting_writes_out_the_imports_of_the_kit_names_the_answer_uses():
    history = ["", "from course.games import DeterrenceGame\nfrom fractions import Fraction", "x = 2",
               "p_star = DeterrenceGame(3, 5, 24).threshold()"]  # fmt: skip
    assert cells_setting({"In": history}, "p_star") == [
        "from course.games import DeterrenceGame\np_star = DeterrenceGame(3, 5, 24).threshold()"
    ]
    # In a kernel, a kit object built in another cell is written out from its module.
    ns = notebook("from course.games import DeterrenceGame\ngame = DeterrenceGame(3, 5, 24)")
    ns["In"] = ["", "p_star = game.threshold()"]
    assert cells_setting(ns, "p_star")[0].startswith("from course.games.")


def test_check_own_work_flags_the_kit_and_passes_own_work_whatever_other_cells_import():
    setup = "from fractions import Fraction\nfrom course.games import DeterrenceGame"
    check_own_work({"In": ["", setup, "p_star = Fraction(5, 32)"]}, "p_star")
    with pytest.raises(KitUsed, match="the cell that sets p_star uses the kit's own answers"):
        check_own_work({"In": ["", setup, "p_star = DeterrenceGame(3, 5, 24).threshold()"]}, "p_star")
    digest = "from course import reading\ndigest = reading.load()"
    check_own_work({"In": ["", digest, "my_tags = {'s01': 'reported'}"]}, "my_tags", assume=["course.reading"])
    with pytest.raises(KitUsed, match="claims"):  # the digest's claims, from an object made in another cell
        check_own_work({"In": ["", digest, "my_tags = {c.id: c.tags[0] for c in digest.claims()}"]}, "my_tags",
                       assume=["course.reading"])  # fmt: skip


def test_check_tag_form_names_unknown_ids_and_missing_ones():
    ids = ["s01", "s02"]
    check_tag_form({"s01": "reported", "s02": "judgement"}, ids, name="my_tags", what="statements")
    with pytest.raises(WrongValue, match=r"my_tags has ids that are not statements s01..s02: s03"):
        extra = {"s01": "reported", "s02": "judgement", "s03": "reported"}
        check_tag_form(extra, ids, name="my_tags", what="statements")
    with pytest.raises(GradingError, match="missing s02"):
        check_tag_form({"s01": "reported"}, ids, what="statements")


def test_check_cases_adds_the_hint_and_hides_hidden_arguments():
    ns = notebook("def half(x):\n    return x // 2\n")
    check_cases(ns, "half", [((4,), 2)], "a hint")
    with pytest.raises(WrongValue) as failed:
        check_cases(ns, "half", [((3,), Fraction(3, 2))], "halve exactly", hidden=True)
    assert str(failed.value).startswith("halve exactly\n1 of 1 cases fail") and "half(3)" not in str(failed.value)
    kit = notebook("from course.games import DeterrenceGame\ndef half(x):\n    return DeterrenceGame\n")
    with pytest.raises(KitUsed) as used:
        check_cases(kit, "half", [((3,), 1)], "a hint")
    assert "a hint" not in str(used.value)


def test_check_raises_requires_the_error_on_every_bad_call():
    strict = notebook("def f(x):\n    if x < 0:\n        raise ValueError('no')\n    return x\n")
    check_raises(strict, "f", [(-1,), (-5,)])
    lax = notebook("def f(x):\n    return x\n")
    with pytest.raises(WrongValue, match="2 of 2 invalid calls did not raise ValueError"):
        check_raises(lax, "f", [(-1,), (-5,)])


def test_run_function_names_the_call_as_shown_not_its_arguments():
    ns = notebook("def figures(paths):\n    return len(paths)\n")
    assert run_function(ns, "figures", (["/a/long/path"],), "figures(MY_LOGS)") == 1
    broken = notebook("def figures(paths):\n    raise KeyError('x')\n")
    with pytest.raises(GradingError) as failed:
        run_function(broken, "figures", (["/a/long/path"],), "figures(MY_LOGS)")
    assert "figures(MY_LOGS)" in str(failed.value) and "/a/long/path" not in str(failed.value)


def test_a_test_cell_that_reads_the_answer_is_not_an_answer_cell():
    """When graded, test cells are in ``In`` too, with the grader's stamp naming course.autograde: reading
    ``p_star.numerator`` there must not make the test cell one that sets p_star (the key lost 5 points so)."""
    stamped = "assert 0 <= p_star.numerator\n__import__('course.autograde.integrity.probe').reached('t')"
    assert cells_setting({"In": ["", "p_star = 1", stamped]}, "p_star") == ["p_star = 1"]
    check_own_work({"In": ["", "p_star = 1", stamped]}, "p_star")
