"""What the service sends, as plain JSON-able dicts built from the room (pure; the protocol's one source).

Why it withholds what it does: a team's seed decides its hidden doctrines, and the kit (the engine included) is
installed in every student's kernel, so a seed or a decision log sent before the reveal would let a student replay
the game and read the doctrine. A student gets the team's view (what the board shows), the proposals, their own
guess; the seed, the log and the doctrines come with the instructor's reveal. The instructor sees everything.
"""

from __future__ import annotations

from typing import Any

from course.engine.crisis import Crisis

from .room import Room, Session, Team


def view_payload(game: Crisis) -> dict[str, Any]:
    """The player's view of a game: what :func:`course.classroom.client.view_of` turns back into a ``View``."""
    view = game.view
    return {
        "turn": view.turn,
        "over": view.over,
        "outcome": view.outcome,
        "state": view.state,
        "actions": list(view.actions),
        "history": [
            {"turn": s.turn, "action": s.action, "responses": dict(s.responses), "intel": dict(s.intel)}
            | {"state": list(s.state)}
            for s in view.history
        ],
    }


def team_payload(session: Session, team: Team, you: str | None) -> dict[str, Any]:
    """A team as one of its members (``you``) sees it; after the reveal, its seed, log and doctrines too."""
    data: dict[str, Any] = {
        "session": session.id,
        "scenario": session.scenario.id,
        "rule": session.rule,
        "window": session.window,
        "team": team.name,
        "members": list(team.members),
        "scribe": team.scribe,
        "you": you,
        "proposals": dict(team.proposals),
        "revealed": session.revealed,
        "guess": None,
    } | view_payload(team.game)
    if you in team.guesses:
        doctrine, confidence = team.guesses[you]
        data["guess"] = {"doctrine": doctrine, "confidence": confidence}
    if session.revealed:
        data["seed"] = team.seed
        data["doctrines"] = team.game.doctrines
        data["log"] = team.game.log.to_json()
    return data


def room_payload(session: Session) -> dict[str, Any]:
    """The whole session for the instructor: every team with its doctrines, seed and everyone's guesses."""
    teams = []
    for team in session.teams.values():
        data = team_payload(session, team, None)
        data |= {"seed": team.seed, "doctrines": team.game.doctrines, "score": round(team.game.score(), 2)}
        data["guesses"] = {who: {"doctrine": d, "confidence": c} for who, (d, c) in team.guesses.items()}
        teams.append(data)
    return {"session": session.id, "scenario": session.scenario.id, "rule": session.rule} | {
        "window": session.window,
        "revealed": session.revealed,
        "opened_by": session.opened_by,
        "teams": teams,
        "legend": legend(session),
    }


def legend(session: Session) -> dict[str, Any]:
    """What the dashboard needs to name things: variable order, each action's stance, the endings and their
    theory, the main opponent's doctrines."""
    s = session.scenario
    return {
        "variables": [v.id for v in s.variables],
        "start": [v.start for v in s.variables],
        "top": [v.max for v in s.variables],
        "stances": {a.id: a.stance for a in s.actions},
        "actions": {a.id: a.name for a in s.actions},
        "outcomes": {o.id: {"name": o.name, "kind": o.kind, "debrief": o.debrief.strip()} for o in s.outcomes},
        "opponent": s.opponents[0].id,
        "doctrines": {d.id: d.name for d in s.opponents[0].doctrines},
    }


def sessions_payload(room: Room, user: str, instructor: bool) -> list[dict[str, Any]]:
    """The sessions a person may see: all for an instructor, those with their team for a student."""
    rows = []
    for session in room.sessions.values():
        team = session.team_of(user)
        if instructor or team is not None:
            rows.append({"session": session.id, "scenario": session.scenario.id, "team": team and team.name})
    return rows
