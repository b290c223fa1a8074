"""Small SVG charts built by pure functions (no numpy, no matplotlib: the student path stays pure Python).

Colours come with a second cue: each series has its own dash pattern and marker, and the legend names it,
so nothing is told by colour alone. Text and axes use JupyterLab's theme variables, so a chart reads in
the dark theme too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

INK = "var(--jp-ui-font-color1, #222)"
MUTED = "var(--jp-ui-font-color2, #666)"
GRID = "var(--jp-border-color2, #ddd)"
# Readable on white and on JupyterLab's dark grey; paired with dashes and markers below.
PALETTE = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square")


@dataclass(frozen=True)
class Series:
    """One line (or set of points) on a chart."""

    name: str
    points: Sequence[tuple[float, float]]
    lines: bool = True


def _marker(kind: str, x: float, y: float, colour: str, size: float = 3.5) -> str:
    if kind == "square":
        side = 2 * size
        return f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{side:.1f}" height="{side:.1f}" fill="{colour}"/>'
    if kind == "diamond":
        r = size + 1
        pts = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if kind == "triangle":
        pts = f"{x:.1f},{y - size - 1:.1f} {x + size + 1:.1f},{y + size:.1f} {x - size - 1:.1f},{y + size:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" fill="{colour}"/>'


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        return [low]
    step = (high - low) / (count - 1)
    return [low + i * step for i in range(count)]


def _int_ticks(low: float, high: float, most: int = 7) -> list[float]:
    """Whole-number ticks (turns, counts) at a step that gives at most ``most`` labels."""
    step = max(1, -(-int(high - low) // (most - 1)))
    return [float(v) for v in range(int(low), int(high) + 1, step)]


def _label(value: float) -> str:
    return str(int(round(value))) if abs(value - round(value)) < 1e-9 else f"{value:.2f}".rstrip("0")


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    x_label: str,
    y_label: str,
    y_range: tuple[float, float] | None = None,
    x_range: tuple[float, float] | None = None,
    width: int = 560,
    height: int = 260,
    marks: Sequence[tuple[float, str]] = (),
) -> str:
    """An accessible SVG line/point chart: title, axes with ticks, a legend, optional vertical marks.

    ``marks`` are (x, label) pairs drawn as dotted vertical lines (e.g. a threshold). The SVG carries a
    ``<title>`` and ``aria-label`` so a screen reader announces what it shows.

    >>> svg = line_chart([Series("tension", [(0, 40), (1, 55)])], title="T", x_label="turn", y_label="level")
    >>> svg.startswith("<svg") and "tension" in svg and "</svg>" in svg
    True
    """
    longest = max((len(s.name) for s in series), default=0)
    left, right, top, bottom = 52, 50 + 7 * longest, 30, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [x for s in series for x, _ in s.points]
    ys = [y for s in series for _, y in s.points]
    x0, x1 = x_range or ((min(xs), max(xs)) if xs else (0.0, 1.0))
    y0, y1 = y_range or ((min(ys), max(ys)) if ys else (0.0, 1.0))
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y1 = y0 + 1

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * plot_w

    def sy(y: float) -> float:
        return top + plot_h - (y - y0) / (y1 - y0) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="pact-chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="{left}" y="18" style="fill:{INK};font-size:13px;font-weight:bold">{escape(title)}</text>',
    ]
    for ty in _ticks(y0, y1):
        y = sy(ty)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" style="stroke:{GRID}"/>')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" style="fill:{MUTED};font-size:11px">'
            f"{_label(ty)}</text>"
        )
    whole = all(float(x).is_integer() for x in (*xs, x0, x1)) and x1 - x0 <= 60
    for tx in _int_ticks(x0, x1) if whole else _ticks(x0, x1):
        x = sx(tx)
        out.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'style="fill:{MUTED};font-size:11px">{_label(tx)}</text>'
        )
    base = top + plot_h
    out.append(
        f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" style="stroke:{INK}"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" style="stroke:{INK}"/>'
    )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" '
        f'style="fill:{INK};font-size:12px">{escape(x_label)}</text>'
    )
    out.append(
        f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" transform="rotate(-90 14 '
        f'{top + plot_h / 2:.1f})" style="fill:{INK};font-size:12px">{escape(y_label)}</text>'
    )
    for mx, text in marks:
        if x0 <= mx <= x1:
            x = sx(mx)
            out.append(
                f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" '
                f'style="stroke:{MUTED};stroke-dasharray:2 3"/>'
                f'<text x="{x + 3:.1f}" y="{top + 10}" style="fill:{MUTED};font-size:11px">'
                f"{escape(text)}</text>"
            )
    for i, s in enumerate(series):
        colour, dash, marker = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)], MARKERS[i % len(MARKERS)]
        pts = [(sx(x), sy(y)) for x, y in s.points]
        if s.lines and len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.extend(_marker(marker, x, y, colour) for x, y in pts)
        ly = top + 8 + i * 18
        lx = left + plot_w + 14
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{lx}" y1="{ly}" x2="{lx + 22}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
            + _marker(marker, lx + 11, ly, colour)
            + f'<text x="{lx + 28}" y="{ly + 4}" style="fill:{INK};font-size:11px">{escape(s.name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
