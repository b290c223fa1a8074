"""A session after class: one row per team and turn (CSV), and the whole room with every guess (JSON).

Why rows of turns: the questions asked of a class afterwards (which stance did teams choose on which turn, against
which doctrine, and where did tension go) are table questions, for a spreadsheet or the class report; the JSON
keeps everything the dashboard showed, the revealed doctrines and each student's guess included.

>>> from course.classroom.room import Person, Room
>>> room = Room()
>>> spec = {"scenario": "korean-peninsula-2024", "teams": [{"name": "team-a", "members": ["ada", "ben"]}]}
>>> for e in room.open_session(Person("boss", True), spec, 0.0):
...     room.apply(e)
>>> for e in room.commit(Person("ada"), "s1", "joint-exercises", 1, 1.0):
...     room.apply(e)
>>> to_csv(turn_rows(room.sessions["s1"])).splitlines()[0].split(",")[:6]
['session', 'team', 'seed', 'doctrine', 'turn', 'action']
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from .room import Session


def turn_rows(session: Session) -> list[dict[str, Any]]:
    """Every committed turn of every team, with the team's doctrines, the stance, the replies and the state."""
    scenario = session.scenario
    first = scenario.opponents[0].id
    rows = []
    for team in session.teams.values():
        game = team.game
        for t in game.history:
            row: dict[str, Any] = {
                "session": session.id,
                "team": team.name,
                "seed": team.seed,
                "doctrine": game.doctrines[first],
                "turn": t.number,
                "action": t.action,
                "stance": scenario.action(t.action).stance,
            }
            row |= {f"reply_{opp.id}": reply for opp, reply in zip(scenario.opponents, t.responses, strict=True)}
            row |= {v.id: round(x, 2) for v, x in zip(scenario.variables, t.state, strict=True)}
            row["outcome"] = t.outcome or ""
            rows.append(row)
    return rows


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as CSV text, columns in the order of the first row."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()
