"""The article reader: the digest section by section, with claims tagged, a search box, and notes."""

from __future__ import annotations

import ipywidgets as widgets

from course.reading import digest as reading

from .html import legend, notes_html, scrolling, search_html, section_html, styled

NOTES = "notes"


class Reader(widgets.VBox):
    """Browse the digest: pick a section, search, show or hide the claim tags, read the teaching notes.

    When an instructor has configured a copy of the full text (``pact-course reading PATH``), each
    paragraph shows it above the digest's summary.

    >>> reader = Reader()                                     # doctest: +SKIP
    >>> reader.search.value = "armed aggression"              # doctest: +SKIP
    """

    def __init__(self, digest: reading.Digest | None = None) -> None:
        super().__init__()
        self.digest = digest or reading.load(full_text=True)
        sections = self.digest.sections()
        options = [(f"{s.title} ({s.paragraphs[0].id}-{s.paragraphs[-1].id})", s.id) for s in sections]
        options.append(("Teaching notes: what the text itself shows", NOTES))
        self.section = widgets.Dropdown(
            options=options, value=sections[0].id, description="Section", layout=widgets.Layout(width="520px")
        )
        self.search = widgets.Text(
            placeholder="a word or phrase, e.g. armed aggression",
            description="Search",
            continuous_update=False,
            layout=widgets.Layout(width="520px"),
        )
        self.show_tags = widgets.Checkbox(value=True, description="Show claim tags", indent=False)
        self.view = widgets.HTML()  # scrolls inside its own markup (html.scrolling), which Tab reaches
        source = self.digest.source
        origin = (
            f"Full text shown from {self.digest.full_text_path}."
            if self.digest.full_text_path
            else "The full text is not bundled: the digest gives summaries and short quotations "
            "(an instructor can add a copy with <code>pact-course reading PATH</code>)."
        )
        self.header = widgets.HTML(
            styled(f"<p><b>The article</b>: unsigned, no outlet named, {source.date}. {origin}</p>{legend()}")
        )
        for control in (self.section, self.show_tags):
            control.observe(self._refresh, names="value")
        self.search.observe(self._refresh, names="value")
        self.children = [self.header, widgets.HBox([self.section, self.show_tags]), self.search, self.view]
        self._refresh()

    def _refresh(self, _change: object = None) -> None:
        text = self.search.value.strip()
        if text:
            self.view.value = _scroll(styled(search_html(text, self.digest.search(text))))
        elif self.section.value == NOTES:
            self.view.value = _scroll(styled(notes_html(self.digest)))
        else:
            section = self.digest.section(self.section.value)
            self.view.value = _scroll(styled(section_html(section, show_tags=self.show_tags.value)))


def _scroll(html: str) -> str:
    return scrolling(html, "The article digest", "640px")
