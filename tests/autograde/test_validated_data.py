"""course/data/validated.json: packaged files already validated are loaded without compiling a schema."""

from __future__ import annotations

import subprocess
import sys

import pytest

from course import datafile
from course.autograde import validated as validated_data


def test_the_memo_of_validated_packaged_files_is_current():
    # Fails after an edit of a packaged schema or data file: run `python -m course.validated_data` (make build).
    assert validated_data.main(["--check"]) == 0
    assert set(validated_data.current()) >= {"article.yaml", "scenarios/korean-peninsula-2024.yaml"}


def test_packaged_files_load_without_compiling_a_schema():
    # What every student kernel and sandbox process does: no fastjsonschema import, no schema compiled.
    code = (
        "import sys; from course import datafile, reading; from course.scenario import load; "
        "load('korean-peninsula-2024'); reading.load(); "
        "print(datafile.validator.cache_info().currsize, 'fastjsonschema' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False"]


def test_an_edited_copy_of_a_packaged_file_is_validated(tmp_path):
    from course.scenario.loader import ScenarioError, load, scenario_path

    text = scenario_path("korean-peninsula-2024").read_text(encoding="utf-8")
    edited = tmp_path / "edited.yaml"
    edited.write_text(text + "# an instructor's comment\n", encoding="utf-8")
    before = datafile.validator.cache_info()
    assert load(edited).id == "korean-peninsula-2024"
    after = datafile.validator.cache_info()
    assert after.hits + after.misses == before.hits + before.misses + 1  # the schema ran
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("turn_limit: 12", "turn_limit: twelve"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken.yaml:\d+: turn_limit: expected a whole number"):
        load(broken)


def test_the_memo_skips_only_an_exact_schema_and_text():
    text = "id: demo\n"
    assert not datafile.already_validated("scenario.schema.json", text)
    key = datafile.memo_key("scenario.schema.json", text)
    assert key != datafile.memo_key("article.schema.json", text)
    assert key != datafile.memo_key("scenario.schema.json", text + " ")
