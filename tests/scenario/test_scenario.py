"""The scenario loader: the default scenario loads; every kind of bad input names file, line and field."""

from __future__ import annotations

import re

import pytest

from course.scenario import loader as scenario
from course.scenario.loader import ScenarioError, holds, load
from tests.conftest import ROOT

INVALID = sorted((ROOT / "tests" / "data" / "invalid").glob("*.yaml"))
DEFAULT = scenario.scenario_path("korean-peninsula-2024")


def test_load_default_scenario_by_id():
    s = load("korean-peninsula-2024")
    assert s.id == "korean-peninsula-2024"
    assert {m.id for m in s.members} == {"united-states", "south-korea", "japan"}
    assert [o.id for o in s.opponents] == ["north-korea", "russia"]
    assert len(s.actions) >= 8
    assert {a.stance for a in s.actions} == {"deterrence", "diplomacy", "pressure", "reassurance"}
    assert {o.kind for o in s.outcomes} == {"war", "breakout", "de-escalation", "standoff"}
    needed = {"tension", "nuclear_progress", "alliance_cohesion", "russian_commitment", "open_dialogue"}
    assert needed | {"two_front_strain"} <= {v.id for v in s.variables}


def test_load_default_scenario_cites_paragraphs_and_says_numbers_are_illustrative():
    s = load(DEFAULT)
    assert all(a.paragraphs for a in s.actions)
    assert all(o.paragraphs and "illustrative" in o.debrief for o in s.outcomes)


def test_load_default_file_declares_schema_for_editors():
    assert DEFAULT.read_text().startswith("# yaml-language-server: $schema=../scenario.schema.json")


def test_load_returns_frozen_dataclasses():
    s = load()
    with pytest.raises(AttributeError):
        s.turn_limit = 3  # type: ignore[misc]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_load_rejects_invalid_file(path):
    expected = path.read_text().splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(ScenarioError, match=re.escape(expected)):
        load(path)


def test_load_invalid_fixtures_cover_each_kind_of_problem():
    names = {p.stem for p in INVALID}
    assert {
        "effect-not-a-number",
        "unknown-variable-in-effect",
        "unknown-variable-in-condition",
        "duplicate-action-id",
        "doctrine-names-missing-response",
        "replies-do-not-sum-to-one",
        "start-outside-bounds",
        "outcome-never-fires",
        "condition-as-string",
    } <= names


def test_load_error_has_file_line_field():
    with pytest.raises(ScenarioError) as info:
        load(next(p for p in INVALID if p.stem == "effect-not-a-number"))
    err = info.value
    assert (err.path.name, err.line, err.field) == (
        "effect-not-a-number.yaml",
        77,
        "actions[0].effects.tension",
    )


def test_load_missing_file():
    with pytest.raises(ScenarioError, match="file not found"):
        load("no-such-scenario.yaml")


def test_hash_ignores_prose_but_not_numbers(tmp_path):
    text = DEFAULT.read_text()
    prose = tmp_path / "prose.yaml"
    prose.write_text(text.replace("Joint exercises", "Joint drills"))
    numbers = tmp_path / "numbers.yaml"
    numbers.write_text(text.replace("{tension: 1, alliance_cohesion: 5,", "{tension: 2, alliance_cohesion: 5,"))
    base = load(DEFAULT).content_hash
    assert load(prose).content_hash == base
    assert load(numbers).content_hash != base


def test_with_ambiguity_changes_hash():
    s = load()
    assert s.with_ambiguity(0.9).content_hash != s.content_hash
    assert s.with_ambiguity(s.clause.ambiguity).content_hash == s.content_hash


def test_holds_structured_conditions():
    values = {"tension": 60, "open_dialogue": 10}
    assert holds({"var": "tension", "ge": 60}, values, 0)
    assert not holds({"var": "tension", "gt": 60}, values, 0)
    assert holds({"any": [{"var": "tension", "lt": 10}, {"var": "turn", "ge": 3}]}, values, 3)
    assert not holds({"all": [{"var": "tension", "ge": 10}, {"var": "open_dialogue", "ge": 70}]}, values, 3)


def test_reference_page_matches_schema():
    from course.scenario.reference import reference_page

    page = ROOT / "docs" / "reference" / "scenario.md"
    assert page.read_text(encoding="utf-8") == reference_page(), "regenerate docs/reference/scenario.md"


def test_every_schema_key_has_a_description():
    from course.datafile import schema
    from course.scenario.reference import reference_rows

    rows = reference_rows(schema("scenario.schema.json"))
    assert rows and all(desc for _, _, _, desc in rows)


def test_validate_command_reports_each_bad_file_and_exits_1(capsys):
    from course.cli import main

    bad = [str(p) for p in INVALID[:3]]
    assert main(["validate", str(DEFAULT), *bad]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [p.read_text().splitlines()[0].removeprefix("# expect: ") for p in INVALID[:3]]


def test_validate_command_good_file_one_line_summary(capsys):
    from course.cli import main

    assert main(["validate", str(DEFAULT)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("ok: 1 scenario file(s) valid: korean-peninsula-2024")


def test_load_unknown_id_lists_packaged_scenarios():
    with pytest.raises(ScenarioError, match="no scenario 'atlantis-2030' .packaged: korean-peninsula-2024"):
        load("atlantis-2030")
