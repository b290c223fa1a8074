"""The report's figures: matplotlib (Agg backend) drawn to PNG and returned as base64 text for a ``data:`` URI.

Why PNG in the page: the report must open offline, from an e-mail attachment or a USB stick, with no
script and no second file. matplotlib is for the instructor's report only (DESIGN.md, "Layers"): it is
imported inside :func:`_figure`, so nothing a student kernel imports ever pulls it in, and the Agg backend
needs no display.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence
from typing import Any

HARD = 0.5  # a question whose mean share of the points is below this is drawn as "hard"
_BLUE, _GREY, _ORANGE, _RED = "#3465a4", "#888a85", "#f57900", "#cc0000"


def _figure(width: float, height: float) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure  # not pyplot: no global figure registry, nothing to close

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


def _wrapped(text: str, width: int = 64) -> str:
    """A title or axis label broken into lines that fit the figure's width (a long one was clipped)."""
    return "\n".join(textwrap.wrap(text, width)) or text


def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def score_histogram(scores: Sequence[float], provisional: Sequence[float], maximum: float, title: str) -> str:
    """Histogram of the class's scores: final ones, and provisional ones (a written answer is pending) on top."""
    fig, ax = _figure(6.4, 3.0)
    top = maximum if maximum > 0 else max([*scores, *provisional, 1.0])
    bins = [top * k / 10 for k in range(11)]
    ax.hist([list(scores), list(provisional)], bins=bins, stacked=True, color=[_BLUE, _ORANGE],
            label=["graded", "provisional (manual grading pending)"], edgecolor="white")  # fmt: skip
    ax.set_xlim(0, top)
    ax.set_xlabel(f"score (out of {maximum:g})")
    ax.set_ylabel("submissions")
    fig.suptitle(_wrapped(title, 72), fontsize="medium")  # over the figure: over the axes, a long one was clipped
    ax.yaxis.get_major_locator().set_params(integer=True)
    # Below the axes, not over them: a legend inside covered the bars of a class with low scores.
    fig.legend(loc="outside lower center", ncols=2, fontsize="small", frameon=False)
    return _png(fig)


def question_bars(labels: Sequence[str], shares: Sequence[float | None], title: str) -> str:
    """Horizontal bars: mean share of the points per graded cell; hard ones (below HARD) in red."""
    fig, ax = _figure(6.4, 0.9 + 0.32 * len(labels))
    values = [s if s is not None else 0.0 for s in shares]
    colours = [_GREY if s is None else _RED if s < HARD else _BLUE for s in shares]
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, values, color=colours)
    for y, share in zip(positions, shares, strict=True):
        if share is None:
            ax.text(0.01, y, "not marked yet", va="center", fontsize="small", color=_GREY)
        else:  # every marked bar says its value: a 0% bar has no length and looked like missing data
            ax.text(
                share + 0.01, y, f"{share:.0%}", va="center", fontsize="small", color=_RED if share < HARD else "black"
            )
    ax.set_yticks(positions, labels, fontsize="small")
    ax.set_xlim(0, 1.08)
    ax.axvline(HARD, color=_GREY, linewidth=0.8, linestyle="--")
    ax.set_xlabel("mean share of the points")
    fig.suptitle(_wrapped(title, 72), fontsize="medium")  # over the figure: over the axes, a long one was clipped
    return _png(fig)


def outcome_bars(labels: Sequence[str], counts: Sequence[int], title: str) -> str:
    """Bars: how many students' games ended in each outcome."""
    fig, ax = _figure(6.4, 2.8)
    palette = {"war": _RED, "nuclear-breakout": _ORANGE}
    bars = ax.bar(range(len(labels)), counts, color=[palette.get(x, _BLUE) for x in labels])
    ax.bar_label(bars, fontsize="small")  # a 0 is written, not left as an empty slot
    ax.set_xticks(range(len(labels)), labels, fontsize="small")
    ax.set_ylabel("students")
    ax.set_ylim(0, max([*counts, 1]) * 1.15)
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.suptitle(_wrapped(title, 72), fontsize="medium")  # over the figure: over the axes, a long one was clipped
    return _png(fig)


def leaderboard_bars(names: Sequence[str], means: Sequence[float], ci95: Sequence[float],
                     reference: Sequence[bool], title: str) -> str:  # fmt: skip
    """Horizontal bars with 95% intervals, best at the top; the kit's reference strategies in grey."""
    fig, ax = _figure(6.4, 0.9 + 0.28 * len(names))
    positions = list(range(len(names)))[::-1]
    finite = [c if c == c and c != float("inf") else 0.0 for c in ci95]
    ax.barh(positions, means, xerr=finite, color=[_GREY if r else _BLUE for r in reference], capsize=2)
    ax.set_yticks(positions, [f"{n} (reference)" if r else n for n, r in zip(names, reference, strict=True)],
                  fontsize="small")  # fmt: skip
    for y, mean, c in zip(positions, means, ci95, strict=True):
        if not (c == c and c != float("inf")):
            ax.text(
                max(mean, 0.0), y, " interval unknown (too few games)", va="center", fontsize="x-small", color=_GREY
            )
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel(_wrapped("mean score, weighted by the doctrines' priors (bars: 95% interval)"))
    fig.suptitle(_wrapped(title, 72), fontsize="medium")  # over the figure: over the axes, a long one was clipped
    return _png(fig)
