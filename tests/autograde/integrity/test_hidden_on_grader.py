"""course.autograde.integrity.hidden and course.grading.submit: hidden tests run by the grader on handed-out values."""

from __future__ import annotations

import json
from fractions import Fraction

from course.autograde.integrity import hidden
from course.grading.submit import MIME, collect
from tests.conftest import ROOT
from tests.namespaces import notebook


def _cell(assignment: str, grade_id: str) -> str:
    path = next((ROOT / "source" / assignment).glob("*.ipynb"))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "".join(next(c for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)["source"])


def test_the_kernel_gets_no_hidden_test_and_no_expected_value():
    source = _cell("01-reading-the-pact", "test_claim_tags_majority")
    sent = hidden.kernel_source(source)
    assert "_reference" not in sent and "HIDDEN" not in sent and "'judgement'" not in sent
    assert sent.splitlines()[-1].startswith("__import__('course.grading.submit'")
    assert "'my_tags'" in sent.splitlines()[-1]


def test_a_hidden_test_passes_or_fails_on_the_grader_with_its_own_message():
    source = _cell("02-games-of-deterrence", "test_threshold")
    good = collect({"p_star": Fraction(5, 32)}, hidden.names_read(source))
    assert hidden.run_trusted(source, good, []) is None
    bad = collect({"p_star": Fraction(1, 3)}, hidden.names_read(source))
    ename, message = hidden.run_trusted(source, bad, [])
    assert ename == "WrongValue" and "p_star" in message and "5/32" not in message


def test_functions_reach_the_grader_as_source_and_run_in_the_sandbox():
    source = _cell("02-games-of-deterrence", "test_spe_path")
    wrong = notebook("def spe_path(status_quo, concession, war):\n    return ('Not challenge',)\n")
    handed = collect(wrong, hidden.names_read(source))
    assert set(handed["spe_path"]) == {"source", "name"}
    ename, _ = hidden.run_trusted(source, handed, [])
    assert ename == "WrongValue"


def test_handed_out_values_are_taken_out_of_the_cell():
    handed = {"output_type": "display_data", "data": {MIME: {"x": {"value": 1}}, "text/plain": "..."}}
    cell = {"outputs": [{"output_type": "stream", "name": "stdout", "text": "ok"}, handed]}
    assert hidden.take_submitted(cell) == {"x": {"value": 1}}
    assert cell["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "ok"}]


def test_a_plain_nbgrader_test_that_calls_the_function_runs_it_in_the_sandbox():
    """``assert double(-3) == -6`` on the grader's side: the call goes to a sandbox child, the answer comes back
    as plain data; nothing of the student's runs in the grading process."""
    hide = "### BEGIN HIDDEN TESTS\nassert double(-3) == -6, 'negative numbers'\n### END HIDDEN TESTS\n"
    source = "assert double(2) == 4\n" + hide
    right = collect(notebook("def double(x):\n    return 2 * x\n"), hidden.names_read(source))
    assert hidden.run_trusted(source, right, []) is None
    wrong = collect(notebook("def double(x):\n    return abs(2 * x)\n"), hidden.names_read(source))
    assert hidden.run_trusted(source, wrong, []) == ("AssertionError", "negative numbers")
    spy = collect(notebook("import os\ndef double(x):\n    return os.getpid()\n"), ["double"])
    assert hidden.run_trusted("assert double(1) != __import__('os').getpid(), 'ran here'", spy, []) is None
