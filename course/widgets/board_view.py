"""What the crisis board shows, as pure functions of the scenario and the player's view.

No widget here: the board wires buttons to ``Crisis.play`` and puts these strings on screen, so each
piece (gauges, feed, timeline, debrief) is tested without a kernel and re-rendered in milliseconds.
Nothing here reads a hidden doctrine except :func:`debrief_html`, which runs only when the game is over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from course.engine.crisis import Crisis, View
from course.scenario.loader import Scenario

from .html import BORDER, INK, MUTED, PANEL
from .svg import Series, line_chart

STANCES = ("deterrence", "diplomacy", "pressure", "reassurance")
TIMELINE = ("tension", "nuclear_progress", "alliance_cohesion", "open_dialogue")
ILLUSTRATIVE = (
    "The numbers in this game are illustrative, chosen to make the trade-offs visible; "
    "they are not estimates of what any government would do."
)


def action_tooltip(scenario: Scenario, action_id: str) -> str:
    """The hover text of an action button: what it is, whom it reassures, the article paragraphs behind it."""
    a = scenario.action(action_id)
    parts = [a.description.strip() or a.name]
    if a.reassures:
        parts.append("Reassures: " + ", ".join(a.reassures) + ".")
    if a.paragraphs:
        parts.append("Article: " + ", ".join(a.paragraphs) + ".")
    return " ".join(parts)


def briefing_html(scenario: Scenario) -> str:
    """The opening brief: the situation, who plays, the clause and its ambiguity, what the numbers are."""
    members = ", ".join(m.name for m in scenario.members)
    opponents = "; ".join(
        f"{escape(o.name)}{' (' + escape(o.role.strip().rstrip('.')) + ')' if o.role else ''}"
        for o in scenario.opponents
    )
    clause = scenario.clause
    cites = f" ({escape(', '.join(clause.paragraphs))})" if clause.paragraphs else ""
    # The scenario's wording of the clause is a paraphrase, so it is not shown in quotation marks.
    clause_text = f"as the article reports it, {escape(clause.text)}. " if clause.text else ""
    return (
        f'<div style="color:{INK}"><h3 style="margin:4px 0">{escape(scenario.title)}</h3>'
        f"<p>{escape(scenario.summary)}</p>"
        f"<p><b>You play</b> the coalition: {escape(members)}. <b>Facing you</b>: {opponents}. "
        f"Each opponent follows a doctrine you cannot see; intelligence reports and their replies hint at it.</p>"
        f"<p><b>The clause</b>{cites}: {clause_text}{escape(clause.description)} "
        f"<i>Ambiguity in this scenario: {clause.ambiguity:.2f}</i> (0 = precise, 1 = open to any reading).</p>"
        f"<p><b>The game ends</b> in war, a nuclear breakout or a negotiated de-escalation, or as a frozen "
        f"standoff after {scenario.turn_limit} turns; the gauges mark where each ending begins.</p>"
        + (
            ""
            if "illustrative" in scenario.summary.lower()
            else f'<p style="color:{MUTED}"><small>{ILLUSTRATIVE}</small></p>'
        )
        + "</div>"
    )


_WORDS = {"ge": "at", "gt": "above", "le": "at or below", "lt": "below"}
_SIGNS = {"ge": "\u2265", "gt": ">", "le": "\u2264", "lt": "<"}


def _parts(condition: Mapping) -> list[Mapping]:
    """The single-variable tests an end condition is made of (``all`` and ``any`` flattened)."""
    for word in ("all", "any"):
        if word in condition:
            return [p for c in condition[word] for p in _parts(c)]
    return [condition]


def thresholds(scenario: Scenario) -> dict[str, list[tuple[float, str]]]:
    """Where each ending begins, read from the scenario's end conditions: variable id -> (level, words).

    >>> from course.scenario.loader import load
    >>> thresholds(load("korean-peninsula-2024"))["tension"][0]
    (100.0, 'War on the peninsula at 100')
    """
    names = {v.id: v.name for v in scenario.variables}
    marks: dict[str, list[tuple[float, str]]] = {}
    for outcome in scenario.outcomes:
        parts = [c for c in _parts(outcome.when) if c["var"] in names]
        for part in parts:
            others = [
                f"{names[c['var']]} {_SIGNS[op]} {c[op]:g}" for c in parts if c is not part for op in _SIGNS if op in c
            ]
            for op in _SIGNS:
                if op in part:
                    if others and "all" in outcome.when:
                        words = f"{outcome.name} needs {_SIGNS[op]} {part[op]:g} (and " + " and ".join(others) + ")"
                    else:
                        words = f"{outcome.name} {_WORDS[op]} {part[op]:g}"
                    marks.setdefault(part["var"], []).append((float(part[op]), words))
    return marks


def _share(var, level: float) -> float:
    return 0.0 if var.max == var.min else min(1.0, max(0.0, (level - var.min) / (var.max - var.min)))


def gauges_html(scenario: Scenario, state: Mapping[str, float], before: Mapping[str, float] | None = None) -> str:
    """One labelled bar per state variable, with its value, range and change since the last turn as text."""
    rows = []
    marks = thresholds(scenario)
    for var in scenario.variables:
        value = state[var.id]
        ticks = "".join(
            f'<span class="pact-threshold" title="{escape(words)}" style="position:absolute;top:-3px;bottom:-3px;'
            f'left:calc({100 * _share(var, level):.1f}% - 1px);width:0;border-left:2px dashed {INK}"></span>'
            for level, words in marks.get(var.id, [])
        )
        note = "; ".join(words for _, words in marks.get(var.id, []))
        share = _share(var, value)
        change = ""
        if before is not None:
            delta = value - before[var.id]
            if abs(delta) >= 0.05:
                change = f" ({'up' if delta > 0 else 'down'} {abs(delta):.0f})"
        rows.append(
            f'<div style="display:flex;align-items:center;flex-wrap:wrap;margin:3px 0" title="{escape(var.meaning)}">'
            f'<span style="width:150px;color:{INK}">{escape(var.name)}</span>'
            f'<span role="meter" aria-label="{escape(var.name)}" aria-valuemin="{var.min:g}" '
            f'aria-valuemax="{var.max:g}" aria-valuenow="{value:.0f}" '
            f'style="position:relative;display:inline-block;width:160px;height:12px;border:1px solid {BORDER};'
            f'background:{PANEL}">'
            f'<span style="display:block;height:100%;width:{100 * share:.1f}%;background:{INK};opacity:0.55">'
            f"</span>{ticks}</span>"
            f'<span class="pact-gauge-value" style="margin-left:8px;color:{INK}">{value:.0f} / {var.max:g}'
            f'<span style="color:{MUTED}">{escape(change)}</span></span>'
            + (
                f'<small class="pact-threshold-note" style="flex-basis:100%;margin-left:150px;color:{MUTED}">'
                f"&#x2506; {escape(note)}</small>"
                if note
                else ""
            )
            + "</div>"
        )
    return f'<div class="pact-gauges">{"".join(rows)}</div>'


def feed_html(scenario: Scenario, view: View) -> str:
    """The turns so far, newest first: your action, each opponent's reply, and the intelligence reports."""
    if not view.history:
        return f'<p style="color:{MUTED}">No moves yet. Choose an action below; each turn the opponents reply.</p>'
    items = []
    for seen in reversed(view.history):
        replies = "; ".join(
            f"{escape(scenario.opponent(o).name)}: {escape(scenario.opponent(o).response(r).name)}"
            for o, r in seen.responses
        )
        intel = " ".join(
            f"<i>Intelligence on {escape(scenario.opponent(o).name)}:</i> {escape(scenario.opponent(o).report(r).text)}"
            for o, r in seen.intel
        )
        items.append(
            f'<li style="margin:4px 0"><b>Turn {seen.turn}</b>: you chose '
            f"{escape(scenario.action(seen.action).name)}. {replies}.<br><small>{intel}</small></li>"
        )
    return f'<ol reversed style="color:{INK};padding-left:22px">{"".join(items)}</ol>'


def latest_turn_html(scenario: Scenario, view: View) -> str:
    """The turn just played, for the space beside the buttons: your move, the replies, the intelligence,
    and what moved on the gauges."""
    if not view.history:
        return f'<p style="color:{MUTED}">Your first move\'s result will appear here.</p>'
    seen = view.history[-1]
    before = view.history[-2].state if len(view.history) > 1 else tuple(v.start for v in scenario.variables)
    replies = "; ".join(
        f"{escape(scenario.opponent(o).name)}: <b>{escape(scenario.opponent(o).response(r).name)}</b>"
        for o, r in seen.responses
    )
    intel = " ".join(
        f"<i>On {escape(scenario.opponent(o).name)}:</i> {escape(scenario.opponent(o).report(r).text)}"
        for o, r in seen.intel
    )
    moved = ", ".join(
        f"{escape(v.name)} {'up' if after > was else 'down'} {abs(after - was):.0f}"
        for v, was, after in zip(scenario.variables, before, seen.state, strict=True)
        if abs(after - was) >= 0.5
    )
    return (
        f'<div class="pact-turn-result" role="status" style="color:{INK};border-left:4px solid {BORDER};'
        f'padding:2px 8px;margin:4px 0;background:{PANEL}">'
        f"<b>Turn {seen.turn}</b>: you chose <b>{escape(scenario.action(seen.action).name)}</b>. {replies}."
        + (f"<br><small>Intelligence: {intel}</small>" if intel else "")
        + f"<br><small>{moved or 'Nothing moved much.'}</small></div>"
    )


def timeline_svg(
    scenario: Scenario, view: View, names: Sequence[str] = TIMELINE, *, width: int = 440, height: int = 230
) -> str:
    """Tension, nuclear progress, cohesion and open dialogue by turn (turn 0 is the start), as an SVG line chart."""
    ids = [n for n in names if any(v.id == n for v in scenario.variables)] or [v.id for v in scenario.variables[:3]]
    order = [v.id for v in scenario.variables]
    start = {v.id: v.start for v in scenario.variables}
    series = []
    for var_id in ids:
        k = order.index(var_id)
        points = [(0, start[var_id])] + [(s.turn, s.state[k]) for s in view.history]
        series.append(Series(scenario.variable(var_id).name, points))
    lows = [scenario.variable(i).min for i in ids]
    highs = [scenario.variable(i).max for i in ids]
    return line_chart(
        series,
        title="The crisis so far",
        x_label="turn",
        y_label="level",
        y_range=(min(lows), max(highs)),
        x_range=(0, max(scenario.turn_limit, 1)),
        height=height,
        width=width,
    )


def status_text(scenario: Scenario, view: View) -> str:
    """One line: the turn, or how the game ended."""
    if view.over and view.outcome:
        return f"Game over after {view.turn} turn(s): {scenario.outcome(view.outcome).name}."
    return f"Turn {view.turn + 1} of at most {scenario.turn_limit}: choose the coalition's next action."


def debrief_html(game: Crisis, reference: Sequence[tuple[str, str, float]] = ()) -> str:
    """After the game: the outcome and its debrief, the score, the hidden doctrines, and why each turn went
    as it did; ``reference`` rows (strategy, outcome name, score) show what the reference strategies did
    against the same opponents and seed."""
    s = game.scenario
    if not game.over or game.outcome is None:
        return ""
    outcome = s.outcome(game.outcome)
    doctrines = "; ".join(
        f"{escape(s.opponent(o).name)} followed the {escape(s.opponent(o).doctrine(d).name or d)} doctrine"
        for o, d in game.doctrines.items()
    )
    why = "".join(f"<li>{escape(t.why)}</li>" for t in game.history)
    table = ""
    if reference:
        rows = "".join(
            f"<tr><td>{escape(name)}</td><td>{escape(result)}</td><td>{score:.1f}</td></tr>"
            for name, result, score in reference
        )
        table = (
            "<details><summary>What the reference strategies did against the same opponents and seed</summary>"
            f'<table style="color:{INK}"><tr><th>strategy</th><th>outcome</th><th>score</th></tr>{rows}</table>'
            "</details>"
        )
    cites = f" ({escape(', '.join(outcome.paragraphs))})" if outcome.paragraphs else ""
    return (
        f'<div class="pact-debrief" style="color:{INK};border-top:2px solid {BORDER};margin-top:6px">'
        f"<h3>{escape(outcome.name)}{cites}</h3><p>{escape(outcome.debrief)}</p>"
        f"<p><b>Your score: {game.score():.1f}</b>. {escape(s.scoring.description)}</p>"
        f"<p><b>What you could not see</b>: {doctrines}.</p>{table}"
        f"<details><summary>Why each turn went as it did</summary><ol>{why}</ol></details>"
        + (
            ""
            if "illustrative" in outcome.debrief.lower()
            else f'<p style="color:{MUTED}"><small>{ILLUSTRATIVE}</small></p>'
        )
        + "</div>"
    )
