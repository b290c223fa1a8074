"""The class sessions as pure logic: commands checked into events, events folded into state.

Why events: the service must lose nothing when it restarts, and must be the only one that plays the engine. Every
change is an event (a plain dict) that :mod:`course.classroom.store` writes before the room applies it; a restarted
service folds the stored events in order and reaches the same rooms, games included (the engine is deterministic:
same scenario, seed and moves, same game). No I/O and no clock here: the caller passes who acts and when.

>>> room = Room()
>>> boss, ada, ben = Person("boss", True), Person("ada"), Person("ben")
>>> team = {"name": "team-a", "members": ["ada", "ben"]}
>>> spec = {"scenario": "korean-peninsula-2024", "rule": "majority", "teams": [team]}
>>> for event in room.open_session(boss, spec, now=0.0):
...     room.apply(event)
>>> for event in room.propose(ada, "s1", "coordinate-with-allies", turn=1, now=1.0):
...     room.apply(event)
>>> room.sessions["s1"].teams["team-a"].game.turn   # one of two is no majority
0
>>> [e["kind"] for e in room.propose(ben, "s1", "coordinate-with-allies", turn=1, now=2.0)]
['proposed', 'committed']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from course.engine.crisis import Crisis
from course.scenario.loader import Scenario, load, packaged

from .seeds import seeds_for

RULES = ("scribe", "majority")
TEAM_SIZE = (2, 6)
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
Event = dict[str, Any]


class Refused(Exception):
    """A command that changes nothing, with the HTTP status that says why (400, 403, 404, 409)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Person:
    """Who acts: a hub user name and whether the hub makes them an instructor (admin or instructor group)."""

    name: str
    instructor: bool = False


@dataclass
class Team:
    name: str
    members: tuple[str, ...]
    scribe: str | None
    seed: int
    game: Crisis
    turn_opened: float
    proposals: dict[str, str] = field(default_factory=dict)  # member -> action id, for the turn being decided
    guesses: dict[str, tuple[str, float]] = field(default_factory=dict)  # member -> (doctrine id, confidence)


@dataclass
class Session:
    id: str
    scenario: Scenario
    rule: str
    window: float | None
    opened_by: str
    teams: dict[str, Team]
    revealed: bool = False

    def team_of(self, user: str) -> Team | None:
        return next((t for t in self.teams.values() if user in t.members), None)


class Room:
    """Every session of the class. ``check``-style methods return events; only :meth:`apply` changes state."""

    def __init__(self) -> None:
        self.sessions: dict[str, Session] = {}

    # -- reading ---------------------------------------------------------------------------------------------------
    def session(self, sid: str) -> Session:
        if not isinstance(sid, str) or sid not in self.sessions:
            raise Refused(404, f"no session {sid!r}")
        return self.sessions[sid]

    def team_for(self, person: Person, sid: str, team: str | None = None) -> Team:
        """The team ``person`` may act for: their own, or any team named by an instructor (facilitator mode)."""
        session = self.session(sid)
        if team is not None and not isinstance(team, str):
            raise Refused(400, "team is a team's name")
        if person.instructor and team is not None:
            if team not in session.teams:
                raise Refused(404, f"no team {team!r} in session {sid}")
            return session.teams[team]
        own = session.team_of(person.name)
        if own is None:
            raise Refused(403, f"{person.name} is in no team of session {sid}")
        if team is not None and team != own.name:
            raise Refused(403, f"{person.name} plays for {own.name}, not for {team}")
        return own

    # -- commands -> events --------------------------------------------------------------------------------------
    def open_session(self, person: Person, spec: Mapping[str, Any], now: float) -> list[Event]:
        """An instructor opens a session: a packaged scenario, teams of 2-6, a commit rule; seeds are chosen so
        that every doctrine of the scenario's first opponent is in the room (as far as there are teams)."""
        if not person.instructor:
            raise Refused(403, "only an instructor opens a session")
        name = spec.get("scenario", "")
        if name not in packaged():
            raise Refused(400, f"no packaged scenario {name!r} (packaged: {', '.join(packaged())})")
        rule = spec.get("rule", "scribe")
        if rule not in RULES:
            raise Refused(400, f"rule must be one of {', '.join(RULES)}, not {rule!r}")
        window = spec.get("window")
        if window is not None and (not isinstance(window, int | float) or isinstance(window, bool) or window < 0):
            raise Refused(400, "window is a number of seconds (0 or more), or null for none")
        teams = spec.get("teams")
        if not isinstance(teams, list) or not teams:
            raise Refused(400, "teams: a list of {name, members[, scribe]}")
        seen: set[str] = set()
        clean = []
        for team in teams:
            if not isinstance(team, dict):
                raise Refused(400, "each team is an object: {name, members[, scribe]}")
            tname, members = team.get("name"), team.get("members")
            if not isinstance(tname, str) or not NAME.match(tname):
                raise Refused(400, f"team name {tname!r}: lower-case letters, digits and hyphens")
            if not isinstance(members, list) or not all(isinstance(m, str) and m for m in members):
                raise Refused(400, f"{tname}: members is a list of hub user names")
            if not TEAM_SIZE[0] <= len(set(members)) == len(members) <= TEAM_SIZE[1]:
                raise Refused(400, f"{tname}: a team has {TEAM_SIZE[0]} to {TEAM_SIZE[1]} different members")
            if seen & set(members) or tname in {c["name"] for c in clean}:
                raise Refused(400, f"{tname}: a person or a team name appears twice")
            seen |= set(members)
            scribe = team.get("scribe", members[0] if rule == "scribe" else None)
            if scribe is not None and scribe not in members:
                raise Refused(400, f"{tname}: the scribe {scribe!r} is not a member")
            clean.append({"name": tname, "members": members, "scribe": scribe})
        scenario = load(name)
        base = spec.get("seed", 1000 * (len(self.sessions) + 1))
        if not isinstance(base, int) or isinstance(base, bool) or base < 0:
            raise Refused(400, "seed is a whole number, 0 or more")
        for team, seed in zip(clean, seeds_for(scenario, len(clean), base), strict=True):
            team["seed"] = seed
        sid = f"s{len(self.sessions) + 1}"
        event = {"kind": "opened", "session": sid, "scenario": name, "rule": rule, "window": window}
        return [event | {"by": person.name, "teams": clean, "at": now}]

    def propose(self, person: Person, sid: str, action: str, turn: int, now: float) -> list[Event]:
        """A member proposes the team's move for ``turn``; under the majority rule, a majority commits it."""
        team = self.team_for(person, sid)
        self._check_move(team, action, turn)
        events = [{"kind": "proposed", "session": sid, "team": team.name, "by": person.name}]
        events[0] |= {"turn": turn, "action": action, "at": now}
        if self.session(sid).rule == "majority":
            votes = dict(team.proposals) | {person.name: action}
            if sum(1 for a in votes.values() if a == action) * 2 > len(team.members):
                events.append(self._commit(sid, team, person, action, turn, now, "majority"))
        return events

    def commit(self, person: Person, sid: str, action: str | None, turn: int, now: float, team: str | None = None):
        """The scribe (or an instructor, for any team) commits; under the majority rule with a window, once the
        window has passed any member commits the most proposed move (``action`` None)."""
        session = self.session(sid)
        chosen = self.team_for(person, sid, team)
        how = "instructor" if person.instructor and team is not None else "scribe"
        if how == "scribe" and person.name != chosen.scribe:
            if session.rule != "majority" or session.window is None:
                raise Refused(403, f"only {chosen.name}'s scribe ({chosen.scribe}) commits its move")
            if now - chosen.turn_opened < session.window:
                left = session.window - (now - chosen.turn_opened)
                raise Refused(409, f"the window for turn {turn} is open for {left:.0f} s more: vote, or wait")
            if not chosen.proposals:
                raise Refused(409, "nobody has proposed a move yet")
            counts: dict[str, int] = {}
            for a in chosen.proposals.values():  # insertion order: the earliest proposal wins a tie
                counts[a] = counts.get(a, 0) + 1
            action, how = max(counts, key=lambda a: counts[a]), "window"
        if action is None:
            raise Refused(400, "commit names the action")
        self._check_move(chosen, action, turn)
        return [self._commit(sid, chosen, person, action, turn, now, how)]

    def guess(self, person: Person, sid: str, doctrine: str, confidence: float, now: float) -> list[Event]:
        """Before the reveal, a member records a guess of the first opponent's doctrine and a confidence."""
        session = self.session(sid)
        team = self.team_for(person, sid)
        if session.revealed:
            raise Refused(409, "the doctrines are revealed: guesses are closed")
        known = [d.id for d in session.scenario.opponents[0].doctrines]
        if doctrine not in known:
            raise Refused(400, f"no doctrine {doctrine!r} (known: {', '.join(known)})")
        if not isinstance(confidence, int | float) or isinstance(confidence, bool) or not 0 <= confidence <= 1:
            raise Refused(400, "confidence is a number from 0 to 1")
        event = {"kind": "guessed", "session": sid, "team": team.name, "by": person.name, "doctrine": doctrine}
        return [event | {"confidence": float(confidence), "at": now}]

    def reveal(self, person: Person, sid: str, now: float) -> list[Event]:
        """The instructor reveals every team's doctrines at once; debriefs and decision logs open."""
        session = self.session(sid)
        if not person.instructor:
            raise Refused(403, "only an instructor reveals the doctrines")
        if session.revealed:
            raise Refused(409, f"session {sid} is revealed already")
        return [{"kind": "revealed", "session": sid, "by": person.name, "at": now}]

    def _check_move(self, team: Team, action: str, turn: int) -> None:
        game = team.game
        if game.over:
            raise Refused(409, f"{team.name}'s game is over")
        if turn != game.turn + 1:
            raise Refused(409, f"turn {turn} is locked: {team.name} is deciding turn {game.turn + 1}")
        if action not in game.actions:
            raise Refused(400, f"{action!r} is not a legal move now (legal: {', '.join(game.actions)})")

    @staticmethod
    def _commit(sid: str, team: Team, person: Person, action: str, turn: int, now: float, how: str) -> Event:
        return {"kind": "committed", "session": sid, "team": team.name, "by": person.name, "turn": turn} | {
            "action": action,
            "how": how,
            "at": now,
        }

    # -- events -> state -----------------------------------------------------------------------------------------
    def apply(self, event: Mapping[str, Any]) -> None:
        """Fold one event in (events were checked when made; a stored one is applied as it is)."""
        kind, sid = event["kind"], event["session"]
        if kind == "opened":
            scenario = load(event["scenario"])
            teams = {
                t["name"]: Team(
                    t["name"], tuple(t["members"]), t["scribe"], t["seed"], Crisis(scenario, t["seed"]), event["at"]
                )
                for t in event["teams"]
            }
            self.sessions[sid] = Session(sid, scenario, event["rule"], event["window"], event["by"], teams)
            return
        session = self.sessions[sid]
        if kind == "revealed":
            session.revealed = True
            return
        team = session.teams[event["team"]]
        if kind == "proposed":
            team.proposals[event["by"]] = event["action"]
        elif kind == "committed":
            team.game.play(event["action"])
            team.proposals.clear()
            team.turn_opened = event["at"]
        elif kind == "guessed":
            team.guesses[event["by"]] = (event["doctrine"], event["confidence"])
        else:
            raise ValueError(f"unknown event kind {kind!r}")
