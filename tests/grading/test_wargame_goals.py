"""course.grading.wargame_goals: 04's goals for a strategy, played outside the kernel, with the assignment's
messages."""

from __future__ import annotations

import json

import pytest

from course.grading.errors import WrongValue
from course.grading.wargame_goals import check_beats_fixed_plans, check_safety
from tests.conftest import ROOT
from tests.namespaces import notebook


def _answer_key() -> dict:
    nb = json.loads((ROOT / "source" / "04-crisis-wargame" / "crisis-wargame.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "answer_my_strategy")
    return notebook("".join(cell["source"]))


ALWAYS_FIRST = "def my_strategy(view):\n    return view.actions[0]\n"


def test_the_answer_key_meets_both_goals_on_the_practice_games():
    key = _answer_key()
    check_safety(key, "my_strategy", range(1, 6), "practice games")
    check_beats_fixed_plans(key, "my_strategy", range(1, 6), "practice games")


def test_a_careless_plan_fails_with_the_assignment_s_messages():
    careless = notebook(ALWAYS_FIRST)
    with pytest.raises(WrongValue, match=r"^on the practice games, \d+% of the games end in war \(at most 10%\)"):
        check_safety(careless, "my_strategy", range(1, 6), "practice games")
    with pytest.raises(WrongValue, match="not 5 points above the better of always deter and always talk"):
        check_beats_fixed_plans(careless, "my_strategy", range(1, 6), "practice games")
