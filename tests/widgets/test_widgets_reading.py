"""Reader, ClaimSorter and PayoffExplorer driven through their public API (no browser, no kernel)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import ipywidgets as widgets
import pytest

from course.reading import digest as reading
from course.widgets import ClaimSorter, PayoffExplorer, Reader
from course.widgets.claim_sorter import UNSET, Item, feedback
from course.widgets.html import paragraph_html, tag_badge
from course.widgets.svg import Series, line_chart


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_reader_shows_the_intro_with_paragraph_ids_and_tags():
    reader = Reader()
    shown = reader.view.value
    assert "p1" in shown and "p4" in shown
    assert 'class="pact-tag pact-tag-judgement"' in shown
    assert "Summary:" in shown


def test_reader_switches_sections_and_hides_tags_on_request():
    reader = Reader()
    reader.section.value = "diplomacy"
    assert "p17" in reader.view.value and "p1 " not in _text(reader.view.value)
    reader.show_tags.value = False
    assert "pact-tag" not in reader.view.value


def test_reader_search_finds_the_clause_and_clearing_it_restores_the_section():
    reader = Reader()
    reader.search.value = "armed aggression"
    assert "paragraph(s) mention" in reader.view.value and "p9" in reader.view.value
    reader.search.value = "zzz-not-there"
    assert "No paragraph mentions" in reader.view.value
    reader.search.value = ""
    assert "Summary:" in reader.view.value


def test_reader_lists_the_teaching_notes():
    reader = Reader()
    reader.section.value = "notes"
    for note in reader.digest.teaching_notes:
        assert note.title.split()[0] in reader.view.value


def test_reader_shows_the_full_text_when_configured():
    digest = reading.load()
    # A stand-in with the right shape: each line holds the paragraph's quotes and signal words.
    lines = [
        " ".join([q.text for q in p.quotes] + [s for c in p.claims for s in c.signals]) or p.summary
        for p in digest.paragraphs
    ]
    reader = Reader(reading.attach(digest, lines))
    assert "full text" in reader.view.value


def test_tag_badges_carry_the_word_not_only_a_colour():
    assert ">speculation<" in tag_badge("speculation")


def test_paragraph_html_escapes_text():
    p = reading.load().paragraph("p2")
    assert "<script" not in paragraph_html(p)


def test_claim_sorter_gives_counts_without_answers_then_reveals_on_request():
    digest = reading.load()
    ids = [c.id for c in digest.claims("judgement", contested=False)[:2]] + [
        c.id for c in digest.claims("speculation", contested=False)[:1]
    ]
    sorter = ClaimSorter(ids)
    first, second, third = ids
    sorter.choices[first].value = "judgement"
    sorter.choices[second].value = "reported"
    shown = sorter.check()
    assert "1 of 3" in shown and "item 2" in shown and "Not tagged yet: item 3" in shown
    assert "judgement" not in _text(shown)  # feedback does not give the answer
    revealed = sorter.reveal()
    assert "Item 2: judgement" in revealed


def test_claim_sorter_accepts_either_tag_of_a_contested_claim_and_shows_why():
    claim = reading.load().claims(contested=True)[0]
    for tag in claim.tags:
        sorter = ClaimSorter([claim.id])
        sorter.choices[claim.id].value = tag
        shown = sorter.check()
        assert "1 of 1" in shown and "two tags are defensible" in shown


def test_claim_sorter_exports_answers_as_code_to_paste():
    sorter = ClaimSorter([Item("mine", "A statement of my own.", "p3")])
    sorter.choices["mine"].value = "judgement"
    assert sorter.answers == {"mine": "judgement"}
    assert eval(sorter.as_code()) == {"mine": "judgement"}  # noqa: S307 - our own literal
    shown = sorter.check()  # an item with no reference tags is for discussion: nothing to count
    assert "no reference tags" in shown and " of " not in _text(shown)


def test_claim_sorter_asks_for_a_tag_before_counting_agreement():
    sorter = ClaimSorter()
    shown = sorter.check()
    assert "Tag a statement first" in shown and "0 of" not in shown
    sorter.choices[sorter.items[0].id].value = sorter.items[0].tags[0]
    assert f"1 of {len(sorter.items)}" in sorter.check()


def test_claim_sorter_uses_radio_rows_guarded_from_notebook_shortcuts():
    sorter = ClaimSorter()
    assert all(isinstance(c, widgets.RadioButtons) for c in sorter.choices.values())
    assert sorter.dropdowns is sorter.choices  # the former name still works
    assert "pact-keys" in sorter._dom_classes and "pact-keys-guard" in sorter.children[0].value
    assert [c.tooltip for c in sorter.choices.values()][:2] == ["Item 1: tag", "Item 2: tag"]


def test_claim_sorter_default_mixes_every_tag():
    sorter = ClaimSorter()
    tags = {t for item in sorter.items for t in item.tags}
    assert tags == set(reading.TAGS)
    assert all(c.value is UNSET for c in sorter.choices.values())


def test_feedback_is_pure_and_counts_only_checkable_items():
    items = [
        Item("a", "x", "p1", ("reported",)),
        Item("b", "y", "p1", ("judgement", "reported")),
        Item("c", "z", "p1"),
    ]
    assert feedback({"a": "reported", "b": "reported", "c": "judgement"}, items) == (2, 2, [], [])
    assert feedback({"a": "judgement"}, items) == (0, 2, ["a"], ["b"])


@pytest.mark.parametrize("name", ["chicken", "prisoners-dilemma", "stag-hunt", "deterrence"])
def test_payoff_explorer_renders_every_family(name):
    explorer = PayoffExplorer(name)
    assert "Nash equilibri" in explorer.explanation.value
    ET.fromstring(explorer.plot.value)  # the plot is well-formed SVG


def test_payoff_explorer_updates_equilibria_when_a_slider_moves():
    explorer = PayoffExplorer("chicken")
    assert "probability 1/10" in explorer.explanation.value
    explorer.sliders["cost_of_war"].value = 4
    assert "probability 1/4" in explorer.explanation.value


def test_payoff_explorer_deterrence_threshold_moves_with_the_cost_of_war():
    explorer = PayoffExplorer("deterrence")
    assert "p* = 1/4" in explorer.explanation.value
    explorer.sliders["credibility"].value = 0.2
    assert "challenging pays" in explorer.explanation.value
    explorer.sliders["cost_of_war_challenger"].value = 1
    assert "p* = 1/2" in explorer.explanation.value


def test_payoff_explorer_reports_a_setting_outside_the_family_and_keeps_the_last_game():
    explorer = PayoffExplorer("prisoners-dilemma")
    before = explorer.table.value
    explorer.sliders["temptation"].value = 2
    assert "needs temptation &gt; reward" in explorer.message.value
    assert explorer.table.value == before
    explorer.sliders["temptation"].value = 6
    assert explorer.message.value == ""


def test_line_chart_is_valid_svg_with_a_legend_and_title():
    svg = line_chart(
        [Series("tension", [(0, 10), (1, 30)]), Series("cohesion", [(0, 50)])],
        title="T",
        x_label="turn",
        y_label="v",
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    texts = [el.text for el in root.iter() if el.tag.endswith("text")]
    assert "tension" in texts and "cohesion" in texts
