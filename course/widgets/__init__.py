"""ipywidgets front-ends, thin over ``course.reading.digest``, ``course.games`` and ``course.engine.crisis``.

Everything a widget shows comes from pure functions (``html``, ``game_html``, ``svg``, ``board_view``)
that tests call without a kernel. Classes load on first use, so ``from course.widgets import Reader``
does not pay for the others.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "Reader": "course.widgets.reader",
    "ClaimSorter": "course.widgets.claim_sorter",
    "PayoffExplorer": "course.widgets.payoff_explorer",
    "CrisisBoard": "course.widgets.crisis_board",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'course.widgets' has no attribute {name!r}")
