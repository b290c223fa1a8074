"""The digest's model: frozen dataclasses for paragraphs, quotes, claims and notes, and the digest's errors.

Why a module of its own: the loader (:mod:`course.reading.digest`), its checks (:mod:`course.reading.checks`) and
the full-text configuration (:mod:`course.reading.fulltext`) all build or raise these; keeping them here
lets each of those import the model without importing the others. Import them from :mod:`course.reading.digest`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course import datafile

PARAGRAPHS = 24
TAGS = ("reported", "attributed", "judgement", "speculation", "recommendation")
KINDS = ("body", "heading", "list-intro", "list-item", "embed", "artefact")
INTRO = "intro"


class DigestError(datafile.DataError):
    """A problem in the digest (or in a full text checked against it): file, line, field, problem."""


class FullTextError(DigestError):
    """A configured full text that cannot be read or does not match the digest."""


class UnknownId(KeyError):
    """An unknown paragraph or section id; the message lists the valid ones."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Quote:
    """A verbatim quotation (at most one sentence) from paragraph ``paragraph``."""

    paragraph: str
    text: str


@dataclass(frozen=True)
class Claim:
    """A claim in the project's words, its tag(s), the article's signal words, and why two tags if two."""

    id: str
    paragraph: str
    text: str
    tags: tuple[str, ...]
    signals: tuple[str, ...]
    rationale: str | None = None
    contested: bool = False


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (one line of the article); ``text`` is None unless a full text is attached."""

    id: str
    number: int
    kind: str
    summary: str
    quotes: tuple[Quote, ...]
    claims: tuple[Claim, ...]
    text: str | None = None
    note: str | None = None
    section: str | None = None


@dataclass(frozen=True)
class TeachingNote:
    """An observation about the text worth teaching, with the paragraphs it concerns and any sources."""

    id: str
    title: str
    body: str
    paragraphs: tuple[str, ...]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """What is known about the article (no title, author or outlet; its date and how it was inferred)."""

    title: str | None
    author: str | None
    outlet: str | None
    date: str
    date_basis: str
    treatment: str


@dataclass(frozen=True)
class Section:
    """A heading (None for ``intro``) and the paragraphs under it."""

    id: str
    title: str
    heading: Paragraph | None
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Match:
    """A search hit: the paragraph and which of its fields matched."""

    paragraph: Paragraph
    fields: tuple[str, ...]  # "summary", "quote", "claim:<id>", "note", "text"


@dataclass(frozen=True)
class Digest:
    """The whole digest: source, 24 paragraphs, teaching notes (and where the full text came from)."""

    source: Source
    paragraphs: tuple[Paragraph, ...]
    teaching_notes: tuple[TeachingNote, ...]
    path: Path
    full_text_path: Path | None = None

    def paragraph(self, id: str | int) -> Paragraph:
        """The paragraph ``"p14"`` (or ``14``); an unknown id raises :class:`UnknownId` listing valid ids."""
        key = f"p{id}" if isinstance(id, int) else str(id).strip().lower()
        for paragraph in self.paragraphs:
            if paragraph.id == key:
                return paragraph
        raise UnknownId(f"no paragraph {id!r}; valid ids are p1..p{len(self.paragraphs)}")

    def claims(self, kind: str | None = None, *, contested: bool | None = None) -> tuple[Claim, ...]:
        """All claims in order, optionally only those tagged ``kind`` and/or (not) contested."""
        if kind is not None and kind not in TAGS:
            raise ValueError(f"unknown claim kind {kind!r}; expected one of {', '.join(TAGS)}")
        return tuple(
            claim
            for paragraph in self.paragraphs
            for claim in paragraph.claims
            if (kind is None or kind in claim.tags) and (contested is None or claim.contested == contested)
        )

    def claim(self, id: str) -> Claim:
        """The claim with this id."""
        for claim in self.claims():
            if claim.id == id:
                return claim
        raise UnknownId(f"no claim {id!r}")

    def quotes(self) -> tuple[Quote, ...]:
        """Every quotation in paragraph order."""
        return tuple(quote for paragraph in self.paragraphs for quote in paragraph.quotes)

    def search(self, text: str) -> tuple[Match, ...]:
        """Paragraphs whose summary, quotes, claims, note or full text contain ``text`` (ignoring case)."""
        needle = _fold(text)
        if not needle:
            raise ValueError("search text is empty")
        found = []
        for p in self.paragraphs:
            fields = [("summary", p.summary)] + [("quote", q.text) for q in p.quotes]
            fields += [(f"claim:{c.id}", c.text) for c in p.claims]
            fields += [("note", p.note or ""), ("text", p.text or "")]
            hits = tuple(dict.fromkeys(name for name, value in fields if needle in _fold(value)))
            if hits:
                found.append(Match(p, hits))
        return tuple(found)

    def sections(self) -> tuple[Section, ...]:
        """The paragraphs grouped under their headings; those before the first heading form ``intro``."""
        groups: list[list[Any]] = [[INTRO, "Introduction (before the first heading)", None, []]]
        for paragraph in self.paragraphs:
            if paragraph.kind == "heading":
                title = paragraph.quotes[0].text if paragraph.quotes else paragraph.summary
                groups.append([paragraph.section, title, paragraph, []])
            else:
                groups[-1][3].append(paragraph)
        return tuple(Section(g[0], g[1], g[2], tuple(g[3])) for g in groups if g[2] or g[3])

    def section(self, id: str) -> Section:
        """The section with this id (``intro`` or a heading's ``section``)."""
        sections = self.sections()
        for section in sections:
            if section.id == id:
                return section
        raise UnknownId(f"no section {id!r}; valid ids are {', '.join(s.id for s in sections)}")

    def note(self, id: str) -> TeachingNote:
        """The teaching note with this id."""
        for note in self.teaching_notes:
            if note.id == id:
                return note
        raise UnknownId(f"no teaching note {id!r}; valid ids are {', '.join(n.id for n in self.teaching_notes)}")


def _fold(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').casefold().strip()
