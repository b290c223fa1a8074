"""HTML for the payoff explorer, from pure functions over ``course.games`` (no widgets here)."""

from __future__ import annotations

from html import escape

from course.games import DeterrenceGame, Game
from course.games.numbers import show

from .html import BORDER, INK, MUTED, PANEL

CELL = f"padding:4px 10px;border:1px solid {BORDER}"


def payoff_table_html(game: Game) -> str:
    """The payoff table with best responses marked by a star and in bold (not by colour alone)."""
    table = game.payoff_table()
    row_player, column_player = table.players
    head = "".join(f'<th style="{CELL}">{escape(c)}</th>' for c in table.column_labels)
    rows = []
    for i, label in enumerate(table.row_labels):
        cells = []
        for j in range(len(table.column_labels)):
            a, b = table.cells[i][j]
            sa = f"<b>{show(a)}*</b>" if table.row_best[i][j] else show(a)
            sb = f"<b>{show(b)}*</b>" if table.column_best[i][j] else show(b)
            both = table.row_best[i][j] and table.column_best[i][j]
            style = f"{CELL};text-align:center"
            if both:
                style += f";background:{PANEL};outline:2px solid {INK}"
            note = ' <small title="both best responses: a pure equilibrium">(equilibrium)</small>' if both else ""
            cells.append(f'<td style="{style}">{sa}, {sb}{note}</td>')
        rows.append(f'<tr><th style="{CELL}">{escape(label)}</th>{"".join(cells)}</tr>')
    r, c = escape(row_player), escape(column_player)
    caption = (
        f"{escape(game.name or 'Game')}: {r} chooses a row, {c} a column; "
        f"each cell shows ({r}, {c}). A star marks a best response."
    )
    return (
        f'<table class="pact-payoffs" style="border-collapse:collapse;color:{INK};margin:6px 0">'
        f'<caption style="caption-side:top;text-align:left;color:{MUTED};padding-bottom:4px">'
        f"{caption}</caption>"
        f'<tr><th style="padding:4px 10px;border:1px solid {BORDER}">{escape(row_player)} \\ '
        f"{escape(column_player)}</th>{head}</tr>{''.join(rows)}</table>"
    )


def equilibria_html(game: Game) -> str:
    """The equilibria in words, with a note when the game is degenerate (ties between strategies)."""
    eqs = game.equilibria()
    items = "".join(f"<li>{escape(game.describe_equilibrium(eq))}</li>" for eq in eqs)
    degenerate = ""
    if game.is_degenerate():
        degenerate = (
            f'<p style="color:{MUTED}">This game is degenerate (some payoffs tie), so it can have whole '
            "ranges of equilibria; the list shows their end points.</p>"
        )
    dominant = []
    for player in (0, 1):
        for d in game.dominant_strategies(player):
            kind = "strictly" if d.kind == "strict" else "weakly"
            dominant.append(f"<li>{escape(game.players[player])}: {escape(d.label)} is {kind} dominant</li>")
    dom = f"<p>Dominant strategies:</p><ul>{''.join(dominant)}</ul>" if dominant else ""
    return (
        f'<div style="color:{INK}"><p><b>{len(eqs)} Nash equilibri{"um" if len(eqs) == 1 else "a"}</b>:</p>'
        f"<ul>{items}</ul>{degenerate}{dom}</div>"
    )


def deterrence_html(game: DeterrenceGame) -> str:
    """Backward induction step by step, then the credibility reading, then the Nash view beside it."""
    bi = "".join(f"<li>{escape(step)}</li>" for step in game.backward_induction().steps)
    eu = "".join(f"<li>{escape(line)}</li>" for line in game.explain())
    nf = game.normal_form()
    non_credible = game.non_credible_equilibria()
    nc = "".join(f"<li>{escape(nf.describe_equilibrium(eq))}</li>" for eq in non_credible)
    nc_text = (
        f"<p>Nash equilibria that rest on a plan the {escape(game.players[1])} would not carry out "
        f"(not subgame perfect, so backward induction drops them):</p><ul>{nc}</ul>"
        if non_credible
        else "<p>Every Nash equilibrium of the strategic form is subgame perfect here.</p>"
    )
    return (
        f'<div style="color:{INK}"><h4>Known resolve: backward induction</h4><ol>{bi}</ol>'
        f"<h4>Uncertain resolve: the credibility threshold p* = {show(game.threshold())}</h4><ul>{eu}</ul>"
        f"<h4>The Nash view (strategic form)</h4>{payoff_table_html(nf)}{equilibria_html(nf)}{nc_text}</div>"
    )
