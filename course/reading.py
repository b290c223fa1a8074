"""The article digest: paragraphs p1..p24, short verbatim quotes, tagged claims, and an optional full text.

The kit never ships the article itself. ``course/data/article.yaml`` holds an original digest (summaries in
the project's own words, quotes of at most one sentence); an instructor may point the kit at their own copy
of the full text (one paragraph per line), which is then checked against the digest and shown beside it.

>>> digest = load()
>>> digest.paragraph("p14").kind
'body'
>>> [claim.id for claim in digest.claims("recommendation")][:2]
['p17-prioritize-diplomacy', 'p17-open-channels']
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from course import datafile

SCHEMA = "article.schema.json"
PARAGRAPHS = 24
TAGS = ("reported", "attributed", "judgement", "speculation", "recommendation")
KINDS = ("body", "heading", "list-intro", "list-item", "embed", "artefact")
ENV_VAR = "PACT_COURSE_ARTICLE"
INTRO = "intro"
_SHORT_SIGNAL_WORDS = 4
# A sentence ends at . ! or ? (after optional closing quotes) followed by space and a capital or an opening
# quote; a single capital before the full stop is an initial or abbreviation ("U.S. position").
_SENTENCE_BREAK = re.compile(r"(?<![A-Z]\.[A-Z])(?<!\b[A-Z])[.!?][”’\"')]*\s+[“‘\"'(]?[A-Z0-9]")


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
        raise UnknownId(
            f"no teaching note {id!r}; valid ids are {', '.join(n.id for n in self.teaching_notes)}"
        )


def _fold(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').casefold().strip()


def packaged_path() -> Path:
    """Where the packaged digest lives."""
    return Path(str(resources.files("course.data").joinpath("article.yaml")))


def load(
    path: str | Path | None = None, full_text: str | Path | Sequence[str] | bool | None = None
) -> Digest:
    """Read, validate and check a digest (the packaged one by default).

    ``full_text`` attaches the article's paragraphs: a path to an instructor's copy, a sequence of 24 lines,
    or ``True`` for the configured copy (:func:`full_text_path`; nothing is attached when none is configured).
    Every quote and signal is checked against the full text; a mismatch raises :class:`FullTextError`.
    """
    digest = _load_packaged() if path is None else _load(Path(path))
    if full_text is None or full_text is False:
        return digest
    where: Path | None
    if full_text is True:
        where, origin = _configured(None)
        if where is None:
            return digest
        lines = read_full_text(where, origin)
    elif isinstance(full_text, str | Path):
        where, lines = Path(full_text), read_full_text(full_text)
    else:
        where, lines = None, _check_length(list(full_text), Path("<full text>"))
    return attach(digest, lines, where)


@functools.cache
def _load_packaged() -> Digest:
    return _load(packaged_path())


def _load(path: Path) -> Digest:
    try:
        data, node = datafile.read_yaml(path)
        datafile.validate(data, node, path, SCHEMA)
    except datafile.DataError as err:
        raise DigestError(err.path, err.line, err.field, err.problem) from None
    _check(data, node, path)
    return _build(data, path)


def _build(data: dict[str, Any], path: Path) -> Digest:
    paragraphs = []
    for number, raw in enumerate(data["paragraphs"], start=1):
        pid = raw["id"]
        claims = tuple(
            Claim(
                id=c["id"],
                paragraph=pid,
                text=c["text"],
                tags=tuple(c["tags"]),
                signals=tuple(c["signals"]),
                rationale=c.get("rationale"),
                contested=c.get("contested", False),
            )
            for c in raw.get("claims", ())
        )
        quotes = tuple(Quote(pid, q) for q in raw.get("quotes", ()))
        extra = {"note": raw.get("note"), "section": raw.get("section")}
        paragraphs.append(Paragraph(pid, number, raw["kind"], raw["summary"], quotes, claims, **extra))
    notes = tuple(
        TeachingNote(n["id"], n["title"], n["body"], tuple(n["paragraphs"]), tuple(n.get("sources", ())))
        for n in data["teaching_notes"]
    )
    return Digest(Source(**data["source"]), tuple(paragraphs), notes, path)


# --- checks a schema cannot express ------------------------------------------------------------


def sentences(text: str) -> int:
    """How many sentences ``text`` holds, by the rule quotes are checked with (see module comment)."""
    return 1 + len(_SENTENCE_BREAK.findall(text.strip()))


def _check(data: dict[str, Any], node: Any, path: Path) -> None:
    def fail(where: list, problem: str) -> None:
        raise DigestError(path, datafile.line_of(node, where), datafile.dotted(where), problem)

    paragraphs = data["paragraphs"]
    seen_claims: dict[str, int | None] = {}
    sections: set[str] = {INTRO}
    for i, raw in enumerate(paragraphs):
        here: list[str | int] = ["paragraphs", i]
        pid = raw["id"]
        if pid != f"p{i + 1}":
            fail(
                [*here, "id"],
                f"expected 'p{i + 1}' (paragraphs in order, ids p1..p{PARAGRAPHS}), got {pid!r}",
            )
        kind = raw["kind"]
        if (kind == "heading") != ("section" in raw):
            problem = (
                "a heading needs a 'section' id" if kind == "heading" else "only headings have a 'section'"
            )
            fail([*here, "section"] if "section" in raw else here, problem)
        if kind == "heading":
            if raw["section"] in sections:
                fail([*here, "section"], f"duplicate section id {raw['section']!r}")
            sections.add(raw["section"])
        if kind in ("heading", "artefact") and raw.get("claims"):
            fail([*here, "claims"], f"a {kind} carries no claims")
        quotes = raw.get("quotes", [])
        for j, quote in enumerate(quotes):
            if quote != quote.strip():
                fail([*here, "quotes", j], "leading or trailing space")
            if sentences(quote) > 1:
                fail([*here, "quotes", j], f"more than one sentence: {quote!r}")
        for j, claim in enumerate(raw.get("claims", [])):
            at = [*here, "claims", j]
            cid = claim["id"]
            if not cid.startswith(pid + "-"):
                fail([*at, "id"], f"claim id {cid!r} must start with {pid + '-'!r}")
            if cid in seen_claims:
                fail([*at, "id"], f"duplicate claim id {cid!r} (first at line {seen_claims[cid]})")
            seen_claims[cid] = datafile.line_of(node, [*at, "id"])
            two = len(claim["tags"]) == 2
            if two and "rationale" not in claim:
                fail(at, "two tags need a one-line 'rationale'")
            if not two and "rationale" in claim:
                fail([*at, "rationale"], "a rationale belongs only to a claim with two tags")
            if claim.get("contested", False) != two:
                fail(
                    [*at, "contested"] if "contested" in claim else at,
                    "two tags need 'contested: true'" if two else "only a claim with two tags is contested",
                )
            for k, signal in enumerate(claim["signals"]):
                if len(signal.split()) > _SHORT_SIGNAL_WORDS and not any(signal in q for q in quotes):
                    fail(
                        [*at, "signals", k],
                        f"a signal of more than {_SHORT_SIGNAL_WORDS} words must occur "
                        f"in one of the paragraph's quotes: {signal!r}",
                    )
    ids = {raw["id"] for raw in paragraphs}
    for i, note in enumerate(data["teaching_notes"]):
        for j, pid in enumerate(note["paragraphs"]):
            if pid not in ids:
                fail(["teaching_notes", i, "paragraphs", j], f"unknown paragraph {pid!r}")
    note_ids = [note["id"] for note in data["teaching_notes"]]
    for i, nid in enumerate(note_ids):
        if nid in note_ids[:i]:
            fail(["teaching_notes", i, "id"], f"duplicate teaching note id {nid!r}")
    if len(paragraphs) != PARAGRAPHS:
        fail(["paragraphs"], f"expected {PARAGRAPHS} paragraphs (p1..p{PARAGRAPHS}), got {len(paragraphs)}")


# --- the instructor's full text ------------------------------------------------------------


def config_file() -> Path:
    """Where ``pact-course reading PATH`` remembers the full text: ``$XDG_CONFIG_HOME`` or ``~/.config``."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "pact-course" / "article-path"


def full_text_path(path: str | Path | None = None) -> Path | None:
    """The full text to use: ``path``, else ``$PACT_COURSE_ARTICLE``, else the config file; None if none."""
    return _configured(path)[0]


def _configured(path: str | Path | None) -> tuple[Path | None, str]:
    """The full text's path and where that choice came from (for error messages)."""
    if path:
        return Path(path).expanduser(), "the argument"
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser(), f"${ENV_VAR}"
    config = config_file()
    if config.is_file():
        remembered = config.read_text(encoding="utf-8").strip()
        return (Path(remembered) if remembered else None), str(config)
    return None, ""


def full_text(path: str | Path | None = None) -> tuple[str, ...] | None:
    """The configured full text as 24 paragraphs (see :func:`full_text_path`), or None when none is set."""
    where, origin = _configured(path)
    return None if where is None else read_full_text(where, origin)


def read_full_text(path: str | Path, origin: str = "the argument") -> tuple[str, ...]:
    """Read a full text (UTF-8, one paragraph per line) and check that it has 24 paragraphs."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FullTextError(path, None, "full text", f"not found (set by {origin})") from None
    except (OSError, UnicodeDecodeError) as err:
        raise FullTextError(path, None, "full text", f"cannot be read: {err}") from None
    return _check_length(text.splitlines(), path)


def _check_length(lines: list[str], path: Path) -> tuple[str, ...]:
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) != PARAGRAPHS:
        raise FullTextError(
            path, None, "full text", f"expected {PARAGRAPHS} lines (one paragraph each), got {len(lines)}"
        )
    return tuple(lines)


def attach(digest: Digest, lines: Sequence[str], path: Path | None = None) -> Digest:
    """A copy of ``digest`` with each paragraph's text; every quote and signal must occur in its paragraph."""
    where = path or Path("<full text>")
    paragraphs = []
    for paragraph, line in zip(digest.paragraphs, lines, strict=True):
        for quote in paragraph.quotes:
            if quote.text not in line:
                raise FullTextError(
                    where, paragraph.number, paragraph.id, f"quote not found verbatim: {quote.text!r}"
                )
        for claim in paragraph.claims:
            for signal in claim.signals:
                if signal not in line:
                    raise FullTextError(
                        where, paragraph.number, paragraph.id, f"signal of {claim.id} not found: {signal!r}"
                    )
        paragraphs.append(replace(paragraph, text=line))
    return replace(digest, paragraphs=tuple(paragraphs), full_text_path=path)


def remember(path: str | Path) -> Path:
    """Check a full text against the packaged digest and record it in :func:`config_file`."""
    path = Path(path).expanduser().resolve()
    load(full_text=path)
    config = config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    tmp = config.with_name(config.name + ".tmp")
    tmp.write_text(str(path) + "\n", encoding="utf-8")
    tmp.replace(config)
    return config


def forget() -> bool:
    """Remove the remembered full text; True if there was one."""
    config = config_file()
    if config.is_file():
        config.unlink()
        return True
    return False


# --- plain-text rendering ------------------------------------------------------------


def render_text(digest: Digest, id: str) -> str:
    """Plain text for ``print`` in a notebook: one paragraph (``"p14"``) or a whole section (``"intro"``)."""
    if re.fullmatch(r"p\d+", id.strip().lower()):
        return _render_paragraph(digest.paragraph(id))
    section = digest.section(id)
    parts = [f"== {section.title} [{section.id}] =="]
    parts += [
        _render_paragraph(p) for p in ((section.heading,) if section.heading else ()) + section.paragraphs
    ]
    return "\n\n".join(parts)


def _render_paragraph(p: Paragraph) -> str:
    lines = [f"{p.id} ({p.kind})", f"  Summary: {p.summary}"]
    if p.text is not None:
        lines.append(f"  Full text: {p.text}")
    lines += [f"  Quote: {q.text}" for q in p.quotes]
    for c in p.claims:
        mark = " [contested]" if c.contested else ""
        lines.append(f"  - {c.text} ({' / '.join(c.tags)}{mark}; signals: {', '.join(c.signals)})")
        if c.rationale:
            lines.append(f"      why two tags: {c.rationale}")
    if p.note:
        lines.append(f"  Note: {p.note}")
    return "\n".join(lines)


def schema_table() -> str:
    """The reference table of every key in the digest schema (docs/reference/article-digest.md embeds it)."""
    rows = ["| key | type | required | description |", "| --- | --- | --- | --- |"]

    def walk(node: dict[str, Any], prefix: str) -> None:
        required = set(node.get("required", ()))
        for key, child in node.get("properties", {}).items():
            name = f"{prefix}{key}"
            target = child.get("items", child) if child.get("type") == "array" else child
            kind = child.get("type", "const" if "const" in child else "enum")
            if isinstance(kind, list):
                kind = " or ".join(kind)
            if kind == "array":
                kind = f"list of {target.get('type', 'enum')}"
            values = target.get("enum")
            text = child["description"] + (f" One of: {', '.join(map(str, values))}." if values else "")
            rows.append(f"| `{name}` | {kind} | {'yes' if key in required else 'no'} | {text} |")
            if "properties" in target:
                walk(target, name + ("[]." if target is not child else "."))

    walk(datafile.schema(SCHEMA), "")
    return "\n".join(rows)
