"""The claim sorter: students tag statements from the article and ask for feedback when they want it.

Feedback says how many tags agree with the digest and which items to look at again, without giving the
digest's tags; those are shown only when the student asks. Where two tags are defensible, either is
accepted and the rationale is shown. The student's tags live in the widget only: a graded answer is
written in code (``sorter.as_code()`` prints a dict to paste), because widget state does not survive a
restart or autograding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import ipywidgets as widgets

from course.reading import digest as reading

from .html import TAG_MEANINGS, legend, styled

UNSET = "(choose)"


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


class ClaimSorter(widgets.VBox):
    """Tag each statement as reported, attributed, judgement, speculation or recommendation.

    ``ClaimSorter()`` offers a mixed set from the digest; pass claim ids (``ClaimSorter(["p14-..."])``)
    or :class:`Item` objects of your own (with no reference tags, for discussion).
    """

    def __init__(self, claims: Sequence[str | Item] | None = None, *, digest: reading.Digest | None = None) -> None:
        super().__init__()
        self.digest = digest or reading.load()
        self.items = [self._item(c) for c in (claims if claims is not None else self._default_ids())]
        self.dropdowns: dict[str, widgets.Dropdown] = {}
        rows = []
        for number, item in enumerate(self.items, 1):
            dropdown = widgets.Dropdown(
                options=[UNSET, *TAG_MEANINGS],
                value=UNSET,
                description=f"Item {number}",
                layout=widgets.Layout(width="260px"),
            )
            dropdown.observe(self._changed, names="value")
            self.dropdowns[item.id] = dropdown
            text = widgets.HTML(styled(f"{escape(item.text)} <small>({escape(item.paragraph)})</small>"))
            text.layout = widgets.Layout(width="600px")
            rows.append(widgets.HBox([dropdown, text]))
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
            widgets.HTML(styled(legend())),
            *rows,
            widgets.HBox([self.check_button, self.reveal_button]),
            self.feedback,
        ]

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
        return {i: (d.value if d.value != UNSET else None) for i, d in self.dropdowns.items()}

    def as_code(self) -> str:
        """The tags as a Python dict literal, to paste into a code cell."""
        lines = [f"    {item_id!r}: {tag!r}," for item_id, tag in self.answers.items()]
        return "{\n" + "\n".join(lines) + "\n}"

    def check(self) -> str:
        """Feedback without the answers: how many agree, which to look at again. Returns the text shown."""
        agree, checkable, again, missing = feedback(self.answers, self.items)
        number = {item.id: k for k, item in enumerate(self.items, 1)}
        parts = [f"<b>{agree} of {checkable}</b> of your tags agree with the digest."]
        if again:
            parts.append(
                "Look again at " + ", ".join(f"item {number[i]}" for i in again) + ": which words signal the tag?"
            )
        if missing:
            parts.append("Not tagged yet: " + ", ".join(f"item {number[i]}" for i in missing) + ".")
        contested = [item for item in self.items if len(item.tags) > 1 and self.answers.get(item.id) in item.tags]
        for item in contested:
            parts.append(f"Item {number[item.id]}: two tags are defensible here; {item.rationale}")
        if agree == checkable and checkable:
            parts.append("All agree. Now argue one of them the other way: what would change your mind?")
        self.feedback.value = styled("<p>" + "<br>".join(parts) + "</p>")
        return self.feedback.value

    def reveal(self) -> str:
        """Show the digest's tags (and rationales), as asked."""
        rows = []
        for number, item in enumerate(self.items, 1):
            tags = " or ".join(item.tags) if item.tags else "no reference tag: discuss it"
            why = f" ({item.rationale})" if item.rationale else ""
            rows.append(f"<li>Item {number}: {tags}{why}</li>")
        self.feedback.value = styled("<p>The digest's tags:</p><ul>" + "".join(rows) + "</ul>")
        return self.feedback.value
