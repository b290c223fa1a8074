"""course.grading.near_copy: a pasted reference strategy is caught, names and constants aside; honest ones are not.

The strategies are files in tests/data/strategies/: ``honest-*`` written independently (several share an idea
with a reference), ``copy-*`` a reference strategy or the answer key, pasted and disguised.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from course.autograde.integrity.checks import near_copies as near_copy_check
from course.autograde.submissions import Context
from course.grading.errors import KitUsed
from course.grading.near_copy import functions, kit_strategies, near_copies
from course.grading.strategy import strategy_source
from tests.conftest import ROOT
from tests.namespaces import notebook

DATA = Path(__file__).resolve().parents[1] / "data" / "strategies"
HONEST = sorted(DATA.glob("honest-*.py"))
COPIES = {
    "copy-grit.py": "grit",
    "copy-firm-but-fair.py": "firm_but_fair",
    "copy-adaptive.py": "adaptive",
}
ASSIGNMENT = "04-crisis-wargame"
KEY = json.loads((ROOT / "source" / ASSIGNMENT / "crisis-wargame.ipynb").read_text(encoding="utf-8"))


def _key_source() -> str:
    cell = next(c for c in KEY["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "answer_my_strategy")
    return "".join(cell["source"])


def _key_references() -> dict:
    return {f"key: {name}": tokens for name, tokens in functions(_key_source()).items()}


@pytest.mark.parametrize("path", HONEST, ids=lambda p: p.stem)
def test_honest_strategy_is_not_a_near_copy(path: Path):
    source = path.read_text(encoding="utf-8")
    assert near_copies(source) == []
    assert near_copies(source, _key_references()) == []
    strategy_source(notebook(source), "my_strategy")  # no KitUsed


@pytest.mark.parametrize("name,reference", COPIES.items())
def test_disguised_copy_of_a_kit_strategy_is_a_near_copy_naming_it(name: str, reference: str):
    source = (DATA / name).read_text(encoding="utf-8")
    found = {c.function: c for c in near_copies(source)}
    assert found["my_strategy"].reference == f"course/engine/strategies.py: {reference}"
    assert found["my_strategy"].ratio >= 0.9


def test_disguised_copy_of_the_answer_key_is_a_near_copy_of_the_key_only():
    source = (DATA / "copy-answer-key.py").read_text(encoding="utf-8")
    assert near_copies(source) == []
    assert [c.function for c in near_copies(source, _key_references())] == ["my_strategy"]


def test_the_strategy_runner_refuses_a_pasted_reference_strategy_in_the_kernel():
    namespace = notebook((DATA / "copy-grit.py").read_text(encoding="utf-8"))
    with pytest.raises(KitUsed, match=r"^my_strategy is a near copy of the kit's .*my_strategy ~ grit"):
        strategy_source(namespace, "my_strategy")


def test_every_kit_strategy_copied_verbatim_is_caught_and_tiny_ones_are_left_alone():
    text = (ROOT / "course" / "engine" / "strategies.py").read_text(encoding="utf-8")
    caught = {c.function for c in near_copies(text)}
    assert {"grit", "firm_but_fair", "adaptive", "posterior", "always_deter", "always_talk"} <= caught
    assert "random_policy" not in caught  # 25 tokens: a one-liner anyone writes
    assert len(kit_strategies()) >= 10


def _submission(tmp_path: Path, strategy: str) -> Context:
    released = json.loads((ROOT / "exercises" / ASSIGNMENT / "crisis-wargame.ipynb").read_text(encoding="utf-8"))
    nb = copy.deepcopy(released)
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "answer_my_strategy")
    cell["source"] = strategy
    folder = tmp_path / "submitted" / "ann" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "crisis-wargame.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return Context(ROOT, ASSIGNMENT, "ann", folder)


def test_grading_flags_a_kit_copy_and_notes_a_key_copy(tmp_path: Path):
    flagged = near_copy_check(_submission(tmp_path / "a", (DATA / "copy-firm-but-fair.py").read_text()))
    assert [f.kind for f in flagged] == ["flag:near-copy"]
    assert "firm_but_fair" in flagged[0].message and flagged[0].message.endswith("[near-copy]")
    noted = near_copy_check(_submission(tmp_path / "b", (DATA / "copy-answer-key.py").read_text()))
    assert [f.kind for f in noted] == ["near-copy-of-key"]  # a note: the key itself must grade full marks
    assert near_copy_check(_submission(tmp_path / "c", (DATA / "honest-counting.py").read_text())) == []
