"""The digest's checks that a schema cannot express: paragraph order, sections, claim ids, tags, quotes.

Why a module of its own: these are the rules an author of ``article.yaml`` meets after the JSON Schema
(DESIGN.md, "Configuration and data": schema, then Python checks, then frozen dataclasses); each failure
names file, line and field (:class:`course.reading.digest.DigestError`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from course import datafile
from course.reading.model import INTRO, PARAGRAPHS, DigestError

_SHORT_SIGNAL_WORDS = 4
# A sentence ends at . ! or ? (after optional closing quotes) followed by space and a capital or an opening
# quote; a single capital before the full stop is an initial or abbreviation ("U.S. position").
_SENTENCE_BREAK = re.compile(r"(?<![A-Z]\.[A-Z])(?<!\b[A-Z])[.!?][”’\"')]*\s+[“‘\"'(]?[A-Z0-9]")


def sentences(text: str) -> int:
    """How many sentences ``text`` holds, by the rule quotes are checked with (see module comment)."""
    return 1 + len(_SENTENCE_BREAK.findall(text.strip()))


def check(data: dict[str, Any], node: Any, path: Path) -> None:
    """Raise :class:`DigestError` at the first rule broken in schema-valid ``data`` (``node``: its YAML, for lines)."""

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
            problem = "a heading needs a 'section' id" if kind == "heading" else "only headings have a 'section'"
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
