"""The after-game debrief as text (pure: the board, the CLI and notebooks show it).

It names the ending and its theory (the outcome's debrief in the scenario), what explains that ending
against the doctrine that was in play (``doctrines[].endings``), what Moscow did in a clash and why it
mattered, the score as a sum of value judgements (with the other published weight sets beside it), the
hidden doctrines, and one sentence per turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from course.engine.scoring import breakdown, score

if TYPE_CHECKING:
    from course.engine.crisis import Crisis


def score_lines(game: Crisis) -> str:
    """The score, term by term, said to be a value judgement; the other weight sets' scores beside it."""
    s = game.scenario
    start = {v.id: v.start for v in s.variables}
    terms = [(label, pts) for label, pts in breakdown(s.scoring, game.outcome, game.state, start) if round(pts, 1)]
    parts = ", ".join(f"{label.replace('_', ' ')} {pts:+.1f}" for label, pts in terms)
    text = (
        f"The score ({game.score():.1f}) is a value judgement written into the scenario's weights, not a fact: {parts}."
    )
    others = [
        f"{w.name or w.id} {score(s.with_weights(name=w.id).scoring, game.outcome, game.state, start):.1f}"
        for w in s.scoring.weight_sets
    ]
    if others:
        text += " Under the other published weights: " + "; ".join(others) + "."
    return text


def russia_lines(game: Crisis) -> list[str]:
    """What each patron did in a clash, and who started it (Article 4 speaks of an armed attack on a party)."""
    s, lines = game.scenario, []
    for k, opp in enumerate(s.opponents):
        licence = next((d.licence for d in opp.doctrines if d.licence), None)
        if licence is None:
            continue
        for t in game.history:
            if t.responses[k] != licence:
                continue
            why = (
                "after a clash that followed your show of force, which Moscow could present as an answer to aggression"
                if t.situations[k] == "provoked"
                else "at a clash it could hardly call an armed attack on its partner, reading the ambiguous "
                "clause as licence"
            )
            patron = opp.doctrine(game.doctrines[opp.id])
            lines.append(
                f"{opp.name}, a {patron.name}, intervened on turn {t.number} {why} (clause ambiguity "
                f"{s.clause.ambiguity:g}: the more ambiguous the clause, the wider the range of its reactions). "
                "An intervention changes what can follow: its commitment jumped, the talks collapsed, and while "
                f"engaged it kept supplying its client. The {patron.name}, in Snyder's terms: {patron.description}"
            )
            break
    return lines


def reading_line(game: Crisis) -> str:
    """How the first opponent read the coalition's moves (its situations, counted), and what happened to the
    nuclear programme meanwhile: the evidence for the theory the ending's text names."""
    s = game.scenario
    opp = s.opponents[0]
    counts: dict[str, int] = {}
    for t in game.history:
        counts[t.situations[0]] = counts.get(t.situations[0], 0) + 1
    tally = ", ".join(f"{situation} x{n}" for situation, n in counts.items())
    text = f"How {opp.name} read your moves: {tally}."
    if "nuclear_progress" in game.state:
        start, end = s.variable("nuclear_progress").start, game.state["nuclear_progress"]
        if end > start:
            text += (
                f" Its nuclear progress rose from {start:g} to {end:.0f} during the game: whatever the ending, "
                "the programme went on, and the score counts that against you."
            )
        else:
            text += f" Its nuclear progress ended at {end:.0f}, from {start:g}: the programme was held or rolled back."
    return text


def debrief(game: Crisis) -> str:
    s = game.scenario
    if not game.over:
        return f"The game is not over yet ({game.turn} of {s.turn_limit} turns played)."
    outcome = s.outcome(game.outcome)
    doctrines = game.doctrines
    who = "; ".join(f"{opp.name} was a {opp.doctrine(doctrines[opp.id]).name}" for opp in s.opponents)
    head = [f"{outcome.name} after {game.turn} turn(s); score {game.score():.1f}.", outcome.debrief]
    first = s.opponents[0]
    ending = first.doctrine(doctrines[first.id]).endings.get(game.outcome)
    if ending:
        head.append(f"Against this {first.name}: {ending}")
    head.append(reading_line(game))
    head += russia_lines(game)
    head += [score_lines(game), f"Hidden doctrines: {who}."]
    return "\n\n".join(head) + "\n\n" + "\n".join(t.why for t in game.history)
