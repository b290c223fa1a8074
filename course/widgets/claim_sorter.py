"""The claim sorter: students tag statements from the article and ask for feedback when they want it.

Feedback says how many tags agree with the digest and which items to look at again, without giving the
digest's tags; those are shown only when the student asks. Where two tags are defensible, either is
accepted and the rationale is shown. The student's tags live in the widget only: a graded answer is
written in code (``sorter.as_code()`` prints a dict to paste), because widget state does not survive a
restart or autograding.

Each statement gets a row of radio buttons, not a dropdown: in JupyterLab's command mode a focused dropdown
let arrow keys move between cells and ``r`` turn the sorter's cell into a raw cell, wiping it. The sorter
also carries :func:`course.widgets.html.keyboard_guard`, which keeps keys pressed inside it away from the
notebook's shortcuts, so Tab, Space and the arrow keys tag statements and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import ipywidgets as widgets

from course.reading import digest as reading

from .html import TAG_MEANINGS, keyboard_guard, legend, styled

UNSET = None  # what an item's control holds before it is tagged


@dataclass(frozen=True)
class Item:
    """A statement to tag; ``tags`` empty means no reference (discuss it, nothing to check)."""

    id: str
    text: str
    paragraph: str
    tags: tuple[str, ...] = ()
    rationale: str | None = None


def feedback(choices: dict[str, str | None], items: Sequence[Item]) -> tuple[int, int, list[str], list[str]]:
    """Pure: (agreeing, checkable, ids to look at again, ids with no choice yet)."""
    agree, checkable, again, missing = 0, 0, [], []
    for item in items:
        choice = choices.get(item.id)
        if not item.tags:
            continue
        checkable += 1
        if choice is None:
            missing.append(item.id)
        elif choice in item.tags:
            agree += 1
        else:
            again.append(item.id)
    return agree, checkable, again, missing


def feedback_text(choices: dict[str, str | None], items: Sequence[Item]) -> str:
    """Pure: what "Check my tags" shows (HTML, without the digest's tags).

    >>> items = [Item("a", "x", "p1", ("reported",)), Item("b", "y", "p1", ("judgement",))]
    >>> "Tag a statement" in feedback_text({}, items)
    True
    >>> "1 of 2" in feedback_text({"a": "reported"}, items)
    True
    """
    number = {item.id: k for k, item in enumerate(items, 1)}
    if not any(choices.get(item.id) for item in items):
        return "<p>Tag a statement first (choose a tag in at least one row), then check to compare with the digest.</p>"
    agree, checkable, again, missing = feedback(choices, items)
    if not checkable:
        return (
            "<p>These statements have no reference tags in this sorter: compare your tags with the digest's "
            "table or a classmate's, and say which words decided each one.</p>"
        )
    parts = [f"<b>{agree} of {checkable}</b> agree with the digest so far."]
    if again:
        parts.append("Look again at " + ", ".join(f"item {number[i]}" for i in again) + ": which words signal the tag?")
    if missing:
        parts.append("Not tagged yet: " + ", ".join(f"item {number[i]}" for i in missing) + ".")
    for item in items:
        if len(item.tags) > 1 and choices.get(item.id) in item.tags:
            parts.append(f"Item {number[item.id]}: two tags are defensible here; {escape(item.rationale or '')}")
    if agree == checkable:
        parts.append("All agree. Now argue one of them the other way: what would change your mind?")
    return "<p>" + "<br>".join(parts) + "</p>"


class ClaimSorter(widgets.VBox):
    """Tag each statement as reported, attributed, judgement, speculation or recommendation.

    ``ClaimSorter()`` offers a mixed set from the digest; pass claim ids (``ClaimSorter(["p14-..."])``)
    or :class:`Item` objects of your own (with no reference tags, for discussion). ``sorter.choices`` maps
    each item id to its radio buttons (``.value`` is the tag, or None before it is tagged).
    """

    def __init__(self, claims: Sequence[str | Item] | None = None, *, digest: reading.Digest | None = None) -> None:
        super().__init__()
        self.add_class("pact-sorter")
        self.add_class("pact-keys")
        self.digest = digest or reading.load()
        self.items = [self._item(c) for c in (claims if claims is not None else self._default_ids())]
        self.choices: dict[str, widgets.RadioButtons] = {}
        rows = []
        for number, item in enumerate(self.items, 1):
            choice = widgets.RadioButtons(
                options=list(TAG_MEANINGS),
                value=None,
                orientation="horizontal",
                tooltip=f"Item {number}: tag",  # the row's accessible name too (see keyboard_guard)
                layout=widgets.Layout(width="auto", flex_flow="row nowrap", align_items="center", margin="0 0 4px 0"),
            )
            choice.observe(self._changed, names="value")
            self.choices[item.id] = choice
            text = widgets.HTML(
                styled(f"<b>Item {number}.</b> {escape(item.text)} <small>({escape(item.paragraph)})</small>"),
                layout=widgets.Layout(max_width="760px"),
            )
            rows.append(widgets.VBox([text, choice], layout=widgets.Layout(margin="2px 0")))
        self.check_button = widgets.Button(
            layout=widgets.Layout(width="auto"),
            description="Check my tags",
            icon="check",
            tooltip="How many agree with the digest (answers stay hidden)",
        )
        self.reveal_button = widgets.Button(
            layout=widgets.Layout(width="auto"),
            description="Show the digest's tags",
            icon="eye",
            tooltip="Reveal the reference tags and rationales",
        )
        self.check_button.on_click(lambda _b: self.check())
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.feedback = widgets.HTML()
        self.children = [
            widgets.HTML(styled(legend() + _KEYS) + keyboard_guard()),
            *rows,
            widgets.HBox([self.check_button, self.reveal_button]),
            self.feedback,
        ]

    @property
    def dropdowns(self) -> dict[str, widgets.RadioButtons]:
        """The former name of :attr:`choices` (the sorter used dropdowns), kept so older code still runs."""
        return self.choices

    def _default_ids(self) -> list[str]:
        """Two claims of each tag (uncontested) and two contested ones, in reading order."""
        chosen: list[str] = []
        for tag in TAG_MEANINGS:
            chosen += [c.id for c in self.digest.claims(tag, contested=False)[:2]]
        chosen += [c.id for c in self.digest.claims(contested=True)[:2]]
        order = {c.id: k for k, c in enumerate(self.digest.claims())}
        return sorted(dict.fromkeys(chosen), key=order.__getitem__)

    def _item(self, claim: str | Item) -> Item:
        if isinstance(claim, Item):
            return claim
        c = self.digest.claim(claim)
        return Item(c.id, c.text, c.paragraph, c.tags, c.rationale)

    def _changed(self, _change: object) -> None:
        self.feedback.value = ""

    @property
    def answers(self) -> dict[str, str | None]:
        """The student's tags so far, by item id (None where nothing is chosen)."""
        return {i: c.value for i, c in self.choices.items()}

    def as_code(self) -> str:
        """The tags as a Python dict literal, to paste into a code cell."""
        lines = [f"    {item_id!r}: {tag!r}," for item_id, tag in self.answers.items()]
        return "{\n" + "\n".join(lines) + "\n}"

    def check(self) -> str:
        """Feedback without the answers: how many agree, which to look at again. Returns the text shown."""
        self.feedback.value = styled(feedback_text(self.answers, self.items))
        return self.feedback.value

    def reveal(self) -> str:
        """Show the digest's tags (and rationales), as asked."""
        rows = []
        for number, item in enumerate(self.items, 1):
            tags = " or ".join(item.tags) if item.tags else "no reference tag: discuss it"
            why = f" ({escape(item.rationale)})" if item.rationale else ""
            rows.append(f"<li>Item {number}: {tags}{why}</li>")
        self.feedback.value = styled("<p>The digest's tags:</p><ul>" + "".join(rows) + "</ul>")
        return self.feedback.value


_KEYS = (
    '<p style="margin:4px 0"><small>By keyboard: Tab to a row, the arrow keys (or Space) to choose a tag. '
    "Keys pressed inside the sorter stay in it.</small></p>"
)
