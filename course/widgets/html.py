"""HTML that the widgets show, built by pure functions (testable without a kernel or a browser).

Styling uses JupyterLab's theme variables, so the text stays readable in the dark theme; a claim's tag
is always written out as a word, with colour only as a second cue.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from course.reading.digest import Claim, Digest, Match, Paragraph, Section

INK = "var(--jp-ui-font-color1, #222)"
MUTED = "var(--jp-ui-font-color2, #555)"
PANEL = "var(--jp-layout-color2, #f3f3f3)"
BORDER = "var(--jp-border-color2, #ccc)"

TAG_COLOURS = {
    "reported": "#1f77b4",
    "attributed": "#9467bd",
    "judgement": "#d62728",
    "speculation": "#ff7f0e",
    "recommendation": "#2ca02c",
}
TAG_MEANINGS = {
    "reported": "what the article reports as having happened",
    "attributed": "a view it ascribes to someone (analysts, media, a government)",
    "judgement": "the author's own evaluation",
    "speculation": "what could or may happen",
    "recommendation": "what someone must or should do",
}
KIND_LABELS = {
    "heading": "heading",
    "list-intro": "introduces a list",
    "list-item": "list item",
    "embed": "embedded social-media post",
    "artefact": "page artefact (not part of the text)",
}


def styled(html: str) -> str:
    """Wrap widget HTML so it reads as text: ipywidgets gives HTML a fixed 28px line height."""
    return f'<div class="pact-html" style="line-height:1.45;color:{INK}">{html}</div>'


def scrolling(html: str, label: str, max_height: str) -> str:
    """A region of at most ``max_height`` that scrolls, reachable with Tab so the keyboard can scroll it too
    (axe-core's scrollable-region-focusable), and named for a screen reader."""
    return (
        f'<div class="pact-scroll" tabindex="0" role="region" aria-label="{label}" '
        f'style="max-height:{max_height};overflow:auto">{html}</div>'
    )


def tag_badge(tag: str) -> str:
    """A tag as a word in a coloured outline (the word carries the meaning, the colour helps)."""
    colour = TAG_COLOURS.get(tag, "#777")
    return (
        f'<span class="pact-tag pact-tag-{escape(tag)}" title="{escape(TAG_MEANINGS.get(tag, tag))}" '
        f'style="border:2px solid {colour};border-radius:4px;padding:0 4px;margin-right:3px;'
        f'font-size:0.85em;color:{INK}">{escape(tag)}</span>'
    )


def legend() -> str:
    """What each tag means, for the top of the reader and the sorter."""
    items = "".join(f"<li>{tag_badge(t)} {escape(m)}</li>" for t, m in TAG_MEANINGS.items())
    return f'<ul style="list-style:none;padding-left:0;margin:4px 0;color:{INK}">{items}</ul>'


def claim_html(claim: Claim, *, show_tags: bool = True) -> str:
    """One claim: its text, its tag(s) and signal words, and the rationale when two tags are defensible."""
    colour = TAG_COLOURS.get(claim.tags[0], "#777") if show_tags else BORDER
    parts = [f"{escape(claim.text)}"]
    if show_tags:
        parts.append(" " + "".join(tag_badge(t) for t in claim.tags))
        if claim.signals:
            words = ", ".join(f"&ldquo;{escape(s)}&rdquo;" for s in claim.signals)
            parts.append(f'<br><small style="color:{MUTED}">signal words: {words}</small>')
        if claim.rationale:
            parts.append(f'<br><small style="color:{MUTED}">two tags defensible: {escape(claim.rationale)}</small>')
    return (
        f'<li class="pact-claim" style="border-left:4px solid {colour};padding-left:6px;margin:4px 0;'
        f'list-style:none;color:{INK}">{"".join(parts)}</li>'
    )


def paragraph_html(p: Paragraph, *, show_tags: bool = True) -> str:
    """A paragraph of the digest: id, kind, summary, verbatim quotes, tagged claims, optional full text."""
    kind = KIND_LABELS.get(p.kind)
    head = f'<b style="color:{INK}">{escape(p.id)}</b>'
    if kind:
        head += f' <span style="color:{MUTED}">({escape(kind)})</span>'
    out = [f'<div class="pact-paragraph" id="pact-{escape(p.id)}" style="margin:8px 0;color:{INK}">{head}']
    if p.text is not None:
        out.append(
            f'<blockquote style="margin:4px 0 4px 8px;padding:4px 8px;border-left:3px solid {BORDER};'
            f'background:{PANEL};color:{INK}"><small style="color:{MUTED}">full text</small><br>'
            f"{escape(p.text)}</blockquote>"
        )
    out.append(f"<div><i>Summary:</i> {escape(p.summary)}</div>")
    for q in p.quotes:
        out.append(
            f'<div style="margin-left:8px">&ldquo;{escape(q.text)}&rdquo; <small>({escape(q.paragraph)})</small></div>'
        )
    if p.claims:
        out.append('<ul style="padding-left:8px;margin:4px 0">')
        out.extend(claim_html(c, show_tags=show_tags) for c in p.claims)
        out.append("</ul>")
    if p.note:
        out.append(f'<div style="color:{MUTED}"><i>Note:</i> {escape(p.note)}</div>')
    out.append("</div>")
    return "".join(out)


def section_html(section: Section, *, show_tags: bool = True) -> str:
    """A section: its heading, then each paragraph under it."""
    paragraphs = ((section.heading,) if section.heading else ()) + section.paragraphs
    body = "".join(paragraph_html(p, show_tags=show_tags) for p in paragraphs)
    return f'<h3 style="color:{INK}">{escape(section.title)}</h3>{body}'


def search_html(text: str, matches: Iterable[Match]) -> str:
    """Search results: each matching paragraph, with which of its parts matched."""
    matches = list(matches)
    if not matches:
        return f'<p style="color:{INK}">No paragraph mentions &ldquo;{escape(text)}&rdquo;.</p>'
    head = f'<p style="color:{INK}">{len(matches)} paragraph(s) mention &ldquo;{escape(text)}&rdquo;:</p>'
    body = "".join(
        f'<div style="color:{MUTED}">matched in: {escape(", ".join(m.fields))}</div>' + paragraph_html(m.paragraph)
        for m in matches
    )
    return head + body


def notes_html(digest: Digest) -> str:
    """The teaching notes: what the text itself shows that is worth discussing."""
    items = "".join(
        f'<li style="margin:6px 0"><b>{escape(n.title)}</b> '
        f"<small>({escape(', '.join(n.paragraphs))})</small>"
        f"<br>{escape(n.body)}</li>"
        for n in digest.teaching_notes
    )
    return f'<ul style="color:{INK}">{items}</ul>'


# Run once by the browser when the guard's (invisible) image loads. Keys pressed inside the widget (without
# Ctrl, Alt or Cmd, so saving still works) stop there: JupyterLab reads them in the bubbling phase on the
# document, and in command mode a focused button or radio is not an editor, so `r` would make the cell raw
# and the arrow keys would move to another cell. Each radio row becomes a named group with an accessible
# label, so Tab reaches a row once and the arrow keys choose within it.
_GUARD_JS = """(function (img) {
  var root = img.closest('.pact-keys');
  if (!root || root.hasAttribute('data-pact-keys')) return;
  root.setAttribute('data-pact-keys', 'guarded');
  root.addEventListener('keydown', function (e) {
    if (!e.ctrlKey && !e.metaKey && !e.altKey) e.stopPropagation();
  });
  function group() {
    root.querySelectorAll('.widget-radio').forEach(function (w) {
      var box = w.querySelector('.widget-radio-box'), label = w.querySelector('.widget-label');
      if (!box || box.getAttribute('role')) return;
      box.setAttribute('role', 'radiogroup');
      var text = w.getAttribute('title') || (label && (label.getAttribute('title') || label.textContent));
      if (text) box.setAttribute('aria-label', text);
      var name = 'pact-' + Math.random().toString(36).slice(2);
      box.querySelectorAll('input[type=radio]').forEach(function (i) { i.name = name; });
    });
  }
  group();
  root.addEventListener('focusin', group, true);
})(this);"""
_PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def keyboard_guard() -> str:
    """An invisible element that keeps keys pressed in the enclosing ``.pact-keys`` widget away from
    JupyterLab's command-mode shortcuts and groups its radio rows (see ``_GUARD_JS``).

    Without JavaScript (a static export, an unusual front end) it does nothing and the widget still works.

    >>> 'class="pact-keys-guard"' in keyboard_guard() and "onload=" in keyboard_guard()
    True
    """
    return f'<img class="pact-keys-guard" alt="" src="{_PIXEL}" style="display:none" onload="{escape(_GUARD_JS)}">'
