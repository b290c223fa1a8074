"""The article digest (course/data/article.yaml), its checks, the full text and `pact-course reading`."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from course import cli
from course.reading import digest as reading
from tests.conftest import ARTICLE, ROOT

INVALID = sorted((ROOT / "tests" / "data" / "invalid_digest").glob("*.yaml"))
DOC = ROOT / "docs" / "reference" / "article-digest.md"
DIGEST = reading.load()
needs_article = pytest.mark.skipif(not ARTICLE.exists(), reason=f"the article's reference copy is not here ({ARTICLE})")


@pytest.fixture(autouse=True)
def _no_configured_full_text(tmp_path, monkeypatch):
    """No test sees the developer's own configuration or environment."""
    monkeypatch.delenv(reading.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def synthetic_full_text(digest: reading.Digest = DIGEST) -> list[str]:
    """A stand-in for the article built from the digest itself: every quote and signal, verbatim."""
    lines = []
    for p in digest.paragraphs:
        parts = [q.text for q in p.quotes] + [s for c in p.claims for s in c.signals]
        lines.append(" ".join(parts) + f" [synthetic line {p.number}]")
    return lines


@pytest.fixture
def text_file(tmp_path) -> Path:
    path = tmp_path / "my-copy.txt"
    path.write_text("\n".join(synthetic_full_text()) + "\n", encoding="utf-8")
    return path


def words(text: str) -> list[str]:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"').lower()
    return re.findall(r"[a-z0-9']+(?:-[a-z0-9']+)*", text)


def runs(text: str, n: int = 8) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i : i + n]) for i in range(len(found) - n + 1)}


# --- the packaged digest --------------------------------------------------------------------------------


def test_load_packaged_digest_has_p1_to_p24_in_order():
    assert [p.id for p in DIGEST.paragraphs] == [f"p{n}" for n in range(1, 25)]
    assert [p.number for p in DIGEST.paragraphs] == list(range(1, 25))
    assert all(p.text is None for p in DIGEST.paragraphs)
    assert reading.load() is DIGEST  # cached


def test_load_marks_kinds():
    kinds = {p.id: p.kind for p in DIGEST.paragraphs}
    assert [pid for pid, kind in kinds.items() if kind == "heading"] == ["p5", "p11", "p16"]
    assert [pid for pid, kind in kinds.items() if kind == "embed"] == ["p19", "p20"]
    assert [pid for pid, kind in kinds.items() if kind == "artefact"] == ["p24"]
    assert kinds["p8"] == "list-intro"
    assert kinds["p9"] == kinds["p10"] == "list-item"


def test_source_records_what_is_known():
    source = DIGEST.source
    assert source.title is None and source.author is None and source.outlet is None
    assert "June 2024" in source.date
    assert "June 21, 2024" in source.date_basis
    assert "primary text" in source.treatment


def test_quotes_are_single_short_sentences():
    for quote in DIGEST.quotes():
        assert len(quote.text) <= 300, quote
        assert reading.sentences(quote.text) == 1, quote


def test_claims_are_tagged_and_contested_exactly_when_double():
    claims = DIGEST.claims()
    assert 45 <= len(claims) <= 70
    assert len({c.id for c in claims}) == len(claims)
    for claim in claims:
        assert claim.tags and set(claim.tags) <= set(reading.TAGS), claim
        assert claim.contested == (len(claim.tags) == 2) == bool(claim.rationale), claim
        assert claim.id.startswith(claim.paragraph + "-")


def test_claims_only_where_the_text_argues():
    for p in DIGEST.paragraphs:
        if p.kind in ("heading", "artefact"):
            assert not p.claims, p.id
    assert [c.tags[0] for c in DIGEST.paragraph("p19").claims] == ["attributed"]
    assert not DIGEST.paragraph("p20").claims


@pytest.mark.parametrize(
    ("claim_id", "tags"),
    [
        ("p1-world-shocked", ("judgement", "reported")),
        ("p2-signed-during-visit", ("reported",)),
        ("p3-details-vague", ("judgement",)),
        ("p6-economic-cooperation", ("reported",)),
        ("p10-assistance-undefined", ("judgement", "reported")),
        ("p12-analysts-differ", ("attributed",)),
        ("p14-less-receptive", ("speculation",)),
        ("p22-only-diplomacy", ("recommendation",)),
    ],
)
def test_claims_anchor_tags(claim_id, tags):
    assert DIGEST.claim(claim_id).tags == tags


def test_teaching_notes_cover_the_design_points():
    ids = {note.id for note in DIGEST.teaching_notes}
    assert ids >= {
        "clause-wording",
        "questions-list-placement",
        "defensive-alliance-heading",
        "scraped-page",
        "hedged-implications",
        "diplomacy-and-deterrence",
        "treaty-article-4",
    }
    article_4 = DIGEST.note("treaty-article-4")
    assert any("TASS" in s and "RT" in s for s in article_4.sources)
    assert "19 June 2024" in article_4.body and "Article 51" in article_4.body


# --- against the reference copy of the article (when it is here) ----------------------------------------


@needs_article
def test_every_quote_and_signal_is_verbatim_in_the_article():
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 24
    for p, line in zip(DIGEST.paragraphs, lines, strict=True):
        for quote in p.quotes:
            assert quote.text in line, (p.id, quote.text)
        for claim in p.claims:
            for signal in claim.signals:
                assert signal in line, (claim.id, signal)


@needs_article
def test_own_words_share_no_run_of_eight_words_with_the_article():
    article = set().union(*(runs(line) for line in ARTICLE.read_text(encoding="utf-8").splitlines()))
    own = [(p.id, p.summary) for p in DIGEST.paragraphs] + [(p.id, p.note or "") for p in DIGEST.paragraphs]
    own += [(c.id, c.text) for c in DIGEST.claims()] + [(n.id, n.body) for n in DIGEST.teaching_notes]
    own += [("source", DIGEST.source.date_basis), ("source", DIGEST.source.treatment)]
    for where, text in own:
        copied = runs(text) & article
        assert not copied, (where, sorted(copied))


@needs_article
def test_hedge_counts_in_teaching_note_match_the_article():
    text = ARTICLE.read_text(encoding="utf-8")
    body = DIGEST.note("hedged-implications").body
    for word, stated in re.findall(r'"(\w+)" (?:appears )?(\d+|once)', body):
        count = len(re.findall(rf"\b{word}\b", text, flags=re.IGNORECASE))
        assert count == (1 if stated == "once" else int(stated)), word


@needs_article
def test_load_attaches_the_reference_copy():
    digest = reading.load(full_text=ARTICLE)
    assert digest.paragraph("p24").text == "Comments 2"
    assert digest.full_text_path == ARTICLE


# --- the API ---------------------------------------------------------------------------------------------


def test_paragraph_unknown_id_lists_valid_ids():
    assert DIGEST.paragraph(14) is DIGEST.paragraph("P14")
    with pytest.raises(KeyError) as info:
        DIGEST.paragraph("p25")
    assert str(info.value) == "no paragraph 'p25'; valid ids are p1..p24"


def test_claims_filters_by_kind():
    for tag in reading.TAGS:
        chosen = DIGEST.claims(tag)
        assert chosen and all(tag in c.tags for c in chosen)
    assert {c.id for c in DIGEST.claims("speculation")} >= {"p14-less-receptive", "p15-two-front"}
    assert all(c.contested for c in DIGEST.claims(contested=True))
    with pytest.raises(ValueError, match="unknown claim kind 'opinion'; expected one of reported"):
        DIGEST.claims("opinion")


def test_search_finds_armed_aggression():
    matches = DIGEST.search("ARMED AGGRESSION")
    assert [m.paragraph.id for m in matches] == ["p2", "p9"]
    assert "quote" in matches[0].fields
    assert "claim:p2-mutual-assistance" in matches[0].fields
    assert DIGEST.search("no such phrase anywhere") == ()
    with pytest.raises(ValueError):
        DIGEST.search("  ")


@given(st.data())
def test_property_search_finds_any_piece_of_a_quote(data):
    quote = data.draw(st.sampled_from(DIGEST.quotes()))
    start = data.draw(st.integers(0, len(quote.text) - 1))
    piece = quote.text[start : data.draw(st.integers(start + 1, len(quote.text)))]
    assume(piece.strip())
    assert quote.paragraph in {m.paragraph.id for m in DIGEST.search(piece)}


def test_sections_group_paragraphs_under_headings():
    sections = DIGEST.sections()
    assert [s.id for s in sections] == ["intro", "defensive-alliance", "implications", "diplomacy"]
    assert [p.id for p in sections[0].paragraphs] == ["p1", "p2", "p3", "p4"]
    assert sections[0].heading is None
    assert [s.heading.id for s in sections[1:]] == ["p5", "p11", "p16"]
    assert [p.id for p in sections[2].paragraphs] == ["p12", "p13", "p14", "p15"]
    listed = [p.id for s in sections for p in ((s.heading,) if s.heading else ()) + s.paragraphs]
    assert listed == [p.id for p in DIGEST.paragraphs]


def test_render_text_paragraph_and_section():
    text = reading.render_text(DIGEST, "p14")
    assert text.startswith("p14 (body)\n  Summary: ")
    assert "Quote: It could strengthen North Korea’s nuclear ambitions." in text
    assert "(speculation; signals: may be less receptive)" in text
    section = reading.render_text(DIGEST, "intro")
    assert section.startswith("== Introduction")
    assert "p4 (body)" in section and "p5 " not in section
    contested = reading.render_text(DIGEST, "p1")
    assert "[contested]" in contested and "why two tags:" in contested
    with pytest.raises(KeyError, match="valid ids are intro, defensive-alliance"):
        reading.render_text(DIGEST, "conclusion")


def test_schema_descriptions_on_every_key():
    def walk(node, where):
        for key, child in node.get("properties", {}).items():
            assert child.get("description"), f"{where}.{key}"
            walk(child, f"{where}.{key}")
            walk(child.get("items", {}), f"{where}.{key}[]")
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, where

    walk(reading.datafile.schema(reading.SCHEMA), "")


def test_tags_and_kinds_match_the_schema():
    paragraph = reading.datafile.schema(reading.SCHEMA)["properties"]["paragraphs"]["items"]
    claim = paragraph["properties"]["claims"]["items"]
    assert tuple(paragraph["properties"]["kind"]["enum"]) == reading.KINDS
    assert tuple(claim["properties"]["tags"]["items"]["enum"]) == reading.TAGS


def test_import_stays_light():
    heavy = "{'nbformat', 'jsonschema', 'ipywidgets', 'nbgrader'}"
    code = f"import sys, course.reading; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- invalid digests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_load_rejects_invalid_digest(path):
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(reading.DigestError) as info:
        reading.load(path)
    assert str(info.value) == expected


def test_invalid_digest_cases_are_there():
    names = {p.stem for p in INVALID}
    assert names >= {
        "bad_tag",
        "missing_summary",
        "duplicate_claim_id",
        "two_tags_without_rationale",
        "quote_two_sentences",
        "unknown_key",
        "wrong_paragraph_order",
    }


# --- the full text ----------------------------------------------------------------------------------------


def test_full_text_not_configured():
    assert reading.full_text() is None
    assert reading.load(full_text=True) is DIGEST


def test_full_text_from_env_var(text_file, monkeypatch):
    monkeypatch.setenv(reading.ENV_VAR, str(text_file))
    assert reading.full_text()[13].endswith("[synthetic line 14]")
    digest = reading.load(full_text=True)
    assert digest.full_text_path == text_file
    assert digest.paragraph("p14").text.endswith("[synthetic line 14]")
    assert "Full text: " in reading.render_text(digest, "p14")
    assert [m.fields for m in digest.search("synthetic line 24")] == [("text",)]


def test_full_text_wrong_length(tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("one\ntwo\n\n", encoding="utf-8")
    with pytest.raises(reading.FullTextError) as info:
        reading.load(full_text=short)
    assert str(info.value) == "short.txt: full text: expected 24 lines (one paragraph each), got 2"


def test_full_text_mismatch_names_paragraph_and_quote(tmp_path):
    lines = synthetic_full_text()
    lines[13] = lines[13].replace("nuclear ambitions", "nuclear plans")
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(reading.FullTextError) as info:
        reading.load(full_text=bad)
    assert str(info.value) == (
        "bad.txt:14: p14: quote not found verbatim: 'It could strengthen North Korea’s nuclear ambitions.'"
    )


def test_full_text_missing_file_says_where_it_was_set(tmp_path, monkeypatch):
    monkeypatch.setenv(reading.ENV_VAR, str(tmp_path / "gone.txt"))
    with pytest.raises(reading.FullTextError, match=r"gone.txt: full text: not found \(set by \$PACT_COURSE"):
        reading.full_text()


def test_full_text_missing_file_named_in_the_config(tmp_path):
    config = reading.config_file()
    config.parent.mkdir(parents=True)
    config.write_text(str(tmp_path / "moved.txt") + "\n", encoding="utf-8")
    with pytest.raises(reading.FullTextError) as info:
        reading.load(full_text=True)
    assert str(info.value) == f"moved.txt: full text: not found (set by {config})"
    with pytest.raises(reading.FullTextError, match=r"not found \(set by the argument\)"):
        reading.load(full_text=tmp_path / "elsewhere.txt")


def test_config_file_falls_back_to_home(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert reading.config_file() == tmp_path / "home" / ".config" / "pact-course" / "article-path"


# --- the command ------------------------------------------------------------------------------------------


def test_command_remembers_and_forgets_a_full_text(text_file, tmp_path, capsys):
    assert cli.main(["reading", str(text_file)]) == 0
    out = capsys.readouterr().out
    assert f"all {len(DIGEST.quotes())} quotes and" in out
    config = tmp_path / "config" / "pact-course" / "article-path"
    assert config.read_text(encoding="utf-8").strip() == str(text_file.resolve())
    assert reading.load(full_text=True).paragraph("p1").text is not None

    assert cli.main(["reading"]) == 0
    assert f"Full text: {text_file.resolve()} (checked against the digest)." in capsys.readouterr().out
    assert cli.main(["reading", "--show", "p2"]) == 0
    assert "Full text: " in capsys.readouterr().out

    assert cli.main(["reading", "--forget"]) == 0
    assert "Forgot the full text" in capsys.readouterr().out
    assert not config.exists()


def test_command_refuses_a_wrong_full_text(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("x\n" * 24, encoding="utf-8")
    assert cli.main(["reading", str(bad)]) == 1
    assert "bad.txt:1: p1: quote not found verbatim" in capsys.readouterr().err
    assert not reading.config_file().exists()


def test_command_overview_show_and_search(capsys):
    assert cli.main(["reading"]) == 0
    out = capsys.readouterr().out
    assert "[intro] Introduction" in out and "[diplomacy] p16 The Need for Diplomacy" in out
    assert "Full text: not configured" in out
    assert cli.main(["reading", "--show", "p14"]) == 0
    assert capsys.readouterr().out.startswith("p14 (body)")
    assert cli.main(["reading", "--search", "armed aggression"]) == 0
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines()] == ["p2", "p9"]
    assert cli.main(["reading", "--show", "p99"]) == 1
    assert "no paragraph 'p99'; valid ids are p1..p24" in capsys.readouterr().err


def test_command_survives_a_broken_configuration(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(reading.ENV_VAR, str(tmp_path / "gone.txt"))
    assert cli.main(["reading"]) == 0
    captured = capsys.readouterr()
    assert "Full text: configured but not usable" in captured.out
    assert "warning" in captured.err


@needs_article
def test_command_checks_the_reference_copy(capsys):
    assert cli.main(["reading", str(ARTICLE)]) == 0
    assert "signals of the digest found verbatim in its 24 paragraphs" in capsys.readouterr().out


# --- docs --------------------------------------------------------------------------------------------------


def test_doc_embeds_the_generated_schema_table():
    doc = DOC.read_text(encoding="utf-8")
    assert reading.schema_table() in doc, "regenerate the table: python -c 'from course import reading; ...'"
    for tag in reading.TAGS:
        assert f"`{tag}`" in doc


def test_doc_examples_run():
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
