"""Assignment 01's graded statements: the kit that students can open never gives their tags away.

The digest (course/data/article.yaml) ships with the kit, and the reader, its search and the practice sorter
show its claims with their tags. So the twelve statements 01 autogrades must have no claim in the digest:
for each, the words of the article that decide its tag (its key signal) belong to no claim of its paragraph,
and searching the digest for them finds no claim. The statements are the project's own paraphrases.
"""

from __future__ import annotations

import ast
import json

import pytest

from course.reading import digest as reading
from tests.conftest import ARTICLE, ROOT
from tests.reading.test_reading import runs

NOTEBOOK = ROOT / "source" / "01-reading-the-pact" / "reading-the-pact.ipynb"
DIGEST = reading.load()

# Statement id -> the article's words that decide its tag (verbatim, in the statement's paragraph).
KEY_SIGNALS = {
    "s01": "was signed by both the countries",
    "s02": "a pariah state notorious for its nuclear ambitions",
    "s03": "revealed by North Korean media",
    "s04": "possibly including joint ventures",
    "s05": "Some see it as",
    "s06": "under UN sanctions",
    "s07": "It could strengthen North Korea’s nuclear ambitions.",
    "s08": "This could encourage Russia to act more assertively",
    "s09": "must prioritize diplomacy and de-escalation",
    "s10": "it is necessary to maintain a strong deterrent",
    "s11": "a stark reminder",
    "s12": "a complex challenge",
}


def _cell(grade_id: str) -> str:
    for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return "".join(cell["source"])
    raise AssertionError(f"{NOTEBOOK.name} has no cell {grade_id!r}")


def _dict_assigned(source: str, name: str) -> dict:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"no {name} = {{...}} in the cell")


STATEMENTS = _dict_assigned(_cell("prompt_claim_statements"), "STATEMENTS")
KEY = _dict_assigned(_cell("answer_claim_tags"), "my_tags")  # the answer key (markers are comments)


def test_twelve_statements_with_a_key_signal_and_a_tag_each():
    assert sorted(STATEMENTS) == sorted(KEY_SIGNALS) == sorted(KEY) == [f"s{n:02d}" for n in range(1, 13)]
    assert set(KEY.values()) == set(reading.TAGS), "every kind of statement is graded at least once"


@pytest.mark.parametrize("sid", sorted(KEY_SIGNALS))
def test_no_claim_of_the_digest_gives_the_statement_away(sid):
    paragraph, text = STATEMENTS[sid]
    signal = KEY_SIGNALS[sid].lower()
    assert DIGEST.paragraph(paragraph).kind == "body"
    for claim in DIGEST.paragraph(paragraph).claims:
        for own in claim.signals:
            assert own.lower() not in signal and signal not in own.lower(), (
                f"{sid}: claim {claim.id} ({'/'.join(claim.tags)}) carries the statement's signal {own!r}"
            )
        assert claim.text != text
    hits = [m for m in DIGEST.search(KEY_SIGNALS[sid]) if m.paragraph.id == paragraph]
    found = [f for m in hits for f in m.fields if f.startswith("claim:")]
    assert not found, f"{sid}: the reader's search finds {found}"


@pytest.mark.parametrize("sid", sorted(KEY_SIGNALS))
def test_statement_is_the_projects_own_words(sid):
    paragraph, text = STATEMENTS[sid]
    if not ARTICLE.exists():
        pytest.skip(f"the article's reference copy is not here ({ARTICLE})")
    line = ARTICLE.read_text(encoding="utf-8").splitlines()[int(paragraph[1:]) - 1]
    assert KEY_SIGNALS[sid] in line, f"{sid}: the key signal is not verbatim in {paragraph}"
    assert not runs(text, 6) & runs(line, 6), f"{sid}: six words in a row copied from the article"
