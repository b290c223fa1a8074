"""course.datafile: YAML parsed once, schema errors located by file, line and field."""

from __future__ import annotations

import pytest

from course import datafile
from course.datafile import DataError

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "actions"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z-]+$"},
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "stance": {"enum": ["deterrence", "diplomacy"]},
                    "effects": {"type": "object", "additionalProperties": {"type": "number"}},
                },
            },
        },
    },
}

GOOD = """\
id: demo
actions:
  - id: talk
    stance: diplomacy
    effects:
      tension: -5
"""


@pytest.fixture(autouse=True)
def _demo_schema(monkeypatch):
    monkeypatch.setattr(datafile, "schema", lambda name: SCHEMA)
    datafile.validator.cache_clear()
    yield
    datafile.validator.cache_clear()


def _check(tmp_path, text: str) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(text)
    data, node = datafile.read_yaml(path)
    datafile.validate(data, node, path, "demo.schema.json")


def test_validate_accepts_a_good_file(tmp_path):
    _check(tmp_path, GOOD)


def test_validate_names_line_and_field_of_a_wrong_type(tmp_path):
    with pytest.raises(DataError) as caught:
        _check(tmp_path, GOOD.replace("tension: -5", "tension: high"))
    assert str(caught.value) == "demo.yaml:6: actions[0].effects.tension: expected a number, got 'high'"


def test_validate_names_an_unknown_key_and_its_line(tmp_path):
    with pytest.raises(DataError) as caught:
        _check(tmp_path, GOOD.replace("    stance: diplomacy\n", "    stance: diplomacy\n    colour: red\n"))
    assert str(caught.value) == ("demo.yaml:5: actions[0]: unknown key 'colour' (allowed: effects, id, stance)")


def test_validate_lists_the_allowed_values_of_an_enum(tmp_path):
    with pytest.raises(DataError, match=r"demo.yaml:4: actions\[0\].stance: expected one of deterrence, diplomacy"):
        _check(tmp_path, GOOD.replace("diplomacy", "bluster"))


def test_validate_names_a_missing_required_key(tmp_path):
    with pytest.raises(DataError, match=r"^demo.yaml:1: \(top level\): missing required key 'actions'$"):
        _check(tmp_path, "id: demo\n")


def test_read_yaml_reports_the_line_of_a_syntax_error(tmp_path):
    with pytest.raises(
        DataError,
        match=r"^demo.yaml:4: \(top level\): invalid YAML: .* flow sequence started on line 3",
    ):
        _check(tmp_path, "id: demo\nactions:\n  - [unclosed\n")


def test_read_yaml_reports_a_missing_file(tmp_path):
    with pytest.raises(DataError, match="nothing.yaml: .*file not found"):
        datafile.read_yaml(tmp_path / "nothing.yaml")


def test_read_yaml_never_constructs_python_objects(tmp_path):
    with pytest.raises(DataError, match="invalid YAML"):
        _check(tmp_path, "id: !!python/object/apply:os.system ['echo hacked']\nactions: []\n")


def test_dotted_formats_paths_like_the_messages():
    assert datafile.dotted(["actions", 2, "effects", "tension"]) == "actions[2].effects.tension"
    assert datafile.dotted([]) == ""
