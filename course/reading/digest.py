"""The article digest: paragraphs p1..p24, short verbatim quotes, tagged claims, and an optional full text.

The kit never ships the article itself. ``course/data/article.yaml`` holds an original digest (summaries in
the project's own words, quotes of at most one sentence); an instructor may point the kit at their own copy
of the full text (one paragraph per line), which is then checked against the digest and shown beside it.

This module is the public face (import everything from here): the model is in :mod:`course.reading.model`,
the checks a schema cannot express in :mod:`course.reading.checks`, the instructor's full text in
:mod:`course.reading.fulltext`.

>>> digest = load()
>>> digest.paragraph("p14").kind
'body'
>>> [claim.id for claim in digest.claims("recommendation")][:2]
['p17-open-channels', 'p18-talks-with-guarantees']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from course import datafile
from course.reading import fulltext
from course.reading.checks import check, sentences
from course.reading.fulltext import (
    ENV_VAR,
    attach,
    check_length,
    config_file,
    configured,
    forget,
    full_text,
    full_text_path,
    read_full_text,
)
from course.reading.model import (
    INTRO,
    KINDS,
    PARAGRAPHS,
    TAGS,
    Claim,
    Digest,
    DigestError,
    FullTextError,
    Match,
    Paragraph,
    Quote,
    Section,
    Source,
    TeachingNote,
    UnknownId,
)

__all__ = [
    "ENV_VAR",
    "INTRO",
    "KINDS",
    "PARAGRAPHS",
    "SCHEMA",
    "TAGS",
    "Claim",
    "Digest",
    "DigestError",
    "FullTextError",
    "Match",
    "Paragraph",
    "Quote",
    "Section",
    "Source",
    "TeachingNote",
    "UnknownId",
    "attach",
    "config_file",
    "forget",
    "full_text",
    "full_text_path",
    "load",
    "packaged_path",
    "read_full_text",
    "remember",
    "render_text",
    "schema_table",
    "sentences",
]

SCHEMA = "article.schema.json"


def packaged_path() -> Path:
    """Where the packaged digest lives."""
    return Path(str(resources.files("course.data").joinpath("article.yaml")))


def load(path: str | Path | None = None, full_text: str | Path | Sequence[str] | bool | None = None) -> Digest:
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
        where, origin = configured(None)
        if where is None:
            return digest
        lines = read_full_text(where, origin)
    elif isinstance(full_text, str | Path):
        where, lines = Path(full_text), read_full_text(full_text)
    else:
        where, lines = None, check_length(list(full_text), Path("<full text>"))
    return attach(digest, lines, where)


@functools.cache
def _load_packaged() -> Digest:
    return _load(packaged_path())


def _load(path: Path) -> Digest:
    try:
        data, node = datafile.read_valid(path, SCHEMA)
    except datafile.DataError as err:
        raise DigestError(err.path, err.line, err.field, err.problem) from None
    check(data, node, path)
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


# --- plain-text rendering ------------------------------------------------------------


def render_text(digest: Digest, id: str) -> str:
    """Plain text for ``print`` in a notebook: one paragraph (``"p14"``) or a whole section (``"intro"``)."""
    if re.fullmatch(r"p\d+", id.strip().lower()):
        return _render_paragraph(digest.paragraph(id))
    section = digest.section(id)
    parts = [f"== {section.title} [{section.id}] =="]
    parts += [_render_paragraph(p) for p in ((section.heading,) if section.heading else ()) + section.paragraphs]
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


def remember(path: str | Path) -> Path:
    """Check a full text against the packaged digest and record it in :func:`config_file`."""
    path = Path(path).expanduser().resolve()
    load(full_text=path)
    config = fulltext.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    tmp = config.with_name(config.name + ".tmp")
    tmp.write_text(str(path) + "\n", encoding="utf-8")
    tmp.replace(config)
    return config
