"""The class service: one tornado process, run by JupyterHub, the single authority for its sessions.

    python -m course.classroom.service --state /var/lib/pact-course-hub/class/classroom

JupyterHub starts it (hub/jupyterhub_config.py, ``c.JupyterHub.services``) with ``JUPYTERHUB_SERVICE_URL`` (where
to listen), ``JUPYTERHUB_SERVICE_PREFIX`` (its path behind the hub's proxy), ``JUPYTERHUB_API_URL`` and its own
``JUPYTERHUB_API_TOKEN``. Why one process and plain synchronous command handling: every command is checked against
the room, written to the store, then applied, with no await in between, so two students clicking at once are
ordered by the event loop and a move is never lost or doubled. Only the identity look-up awaits the hub.

The JSON API, under the prefix (a student's kernel calls it through :mod:`course.classroom.client`):

    GET  api/                         ready check (no token)
    GET  api/sessions                 the sessions you may see
    POST api/sessions                 open one (instructor): {scenario, teams: [{name, members | group, scribe?}], ...}
    GET  api/sessions/ID              your team (student) or the whole room (instructor)
    POST api/sessions/ID/propose      {action, turn}
    POST api/sessions/ID/commit       {action, turn[, team]}  (the scribe; an instructor for any team)
    POST api/sessions/ID/guess        {doctrine, confidence}
    POST api/sessions/ID/reveal       (instructor)
    GET  api/sessions/ID/export.csv   one row per team and turn (instructor); export.json: the room, every guess
    GET  dashboard/ID                 the room on one screen, for an instructor's browser (dashboard.py)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import tornado.web

from .dashboard import hub_oauth, routes
from .export import to_csv, turn_rows
from .hubauth import HubIdentity
from .payloads import room_payload, sessions_payload, team_payload
from .room import Event, Person, Refused, Room
from .store import Store


class Authority:
    """The room and its store together: what every handler calls."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.room = Room()
        for event in store.events():
            self.room.apply(event)

    def act(self, make: Callable[[], list[Event]]) -> None:
        """Check (``make`` raises :class:`Refused` and changes nothing), write, then apply."""
        events = make()
        self.store.append(events)
        for event in events:
            self.room.apply(event)


class Handler(tornado.web.RequestHandler):
    authority: Authority
    identity: HubIdentity
    person: Person

    def initialize(self, authority: Authority, identity: HubIdentity) -> None:
        self.authority, self.identity = authority, identity

    async def prepare(self) -> None:
        header = self.request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        try:
            if not header and self.settings.get("oauth") is not None:
                self.person = await self._from_cookie()
                return
            self.person = await self.identity.person(token.strip() if scheme.lower() in ("token", "bearer") else None)
        except Refused as err:
            self._refuse(err)

    async def _from_cookie(self) -> Person:
        """The dashboard's browser: the hub's OAuth cookie for this service (dashboard.py says why)."""
        model = await self.settings["oauth"].get_user(self, sync=False)  # checks the xsrf token of a script's call
        if model is None:
            raise Refused(401, "not logged in: open the dashboard through the hub, or send a token")
        if not self.identity.may_use(model.get("scopes", [])):
            raise Refused(403, "this login may not use the class service")
        return await self.identity.person_named(model["name"])

    def body(self) -> dict[str, Any]:
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise Refused(400, "the request body is not JSON") from None
        if not isinstance(data, dict):
            raise Refused(400, "the request body is a JSON object")
        return data

    def _refuse(self, err: Refused) -> None:
        self.set_status(err.status)
        self.finish({"error": str(err)})

    def answer(self, produce: Callable[[], Any]) -> None:
        try:
            result = produce()
        except Refused as err:
            self._refuse(err)
            return
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(result))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish({"error": self._reason})


class Ready(tornado.web.RequestHandler):
    def get(self) -> None:
        self.finish({"ready": True})


class Sessions(Handler):
    def get(self) -> None:
        room, me = self.authority.room, self.person
        self.answer(lambda: {"sessions": sessions_payload(room, me.name, me.instructor), "you": me.name})

    async def post(self) -> None:
        try:
            spec = await self._teams_from_groups(self.body())
        except Refused as err:
            self._refuse(err)
            return

        def run() -> dict[str, Any]:
            self.authority.act(lambda: self.authority.room.open_session(self.person, spec, time.time()))
            return room_payload(list(self.authority.room.sessions.values())[-1])

        self.answer(run)

    async def _teams_from_groups(self, spec: dict[str, Any]) -> dict[str, Any]:
        """A team given as ``{"group": "team-a"}`` is that hub group's members (asked of the hub, for an
        instructor only, before the room checks the teams as usual)."""
        teams = spec.get("teams")
        if not self.person.instructor or not isinstance(teams, list):
            return spec
        resolved = []
        for team in teams:
            if isinstance(team, dict) and "group" in team and "members" not in team:
                group = str(team["group"])
                members = await self.identity.group_members(group)
                team = {k: v for k, v in team.items() if k != "group"} | {"members": members}
                team.setdefault("name", group)
            resolved.append(team)
        return spec | {"teams": resolved}


class OneSession(Handler):
    def get(self, sid: str) -> None:
        room, me = self.authority.room, self.person

        def run() -> dict[str, Any]:
            session = room.session(sid)
            if me.instructor and session.team_of(me.name) is None:
                return room_payload(session)
            return team_payload(session, room.team_for(me, sid), me.name)

        self.answer(run)


class Command(Handler):
    def post(self, sid: str, verb: str) -> None:
        room, me = self.authority.room, self.person

        def run() -> dict[str, Any]:
            data, now = self.body(), time.time()
            turn = data.get("turn")
            if verb in ("propose", "commit") and (not isinstance(turn, int) or isinstance(turn, bool)):
                raise Refused(400, f"{verb} names the turn it is for (a whole number)")
            commands = {
                "propose": lambda: room.propose(me, sid, str(data.get("action")), turn, now),
                "commit": lambda: room.commit(me, sid, data.get("action"), turn, now, data.get("team")),
                "guess": lambda: room.guess(me, sid, str(data.get("doctrine")), data.get("confidence"), now),
                "reveal": lambda: room.reveal(me, sid, now),
            }
            self.authority.act(commands[verb])
            session = room.session(sid)
            team = session.team_of(me.name)
            if team is None:
                return room_payload(session)
            return team_payload(session, team, me.name)

        self.answer(run)


class Export(Handler):
    def get(self, sid: str, kind: str) -> None:
        room, me = self.authority.room, self.person
        try:
            session = room.session(sid)
            if not me.instructor:
                raise Refused(403, "only an instructor exports a session")
        except Refused as err:
            self._refuse(err)
            return
        self.set_header("Content-Disposition", f'attachment; filename="class-{sid}.{kind}"')
        if kind == "csv":
            self.set_header("Content-Type", "text/csv; charset=utf-8")
            self.finish(to_csv(turn_rows(session)))
        else:
            self.finish(json.dumps(room_payload(session) | {"turns": turn_rows(session)}))


def make_app(
    authority: Authority, identity: HubIdentity, prefix: str = "/", oauth: Any = None
) -> tornado.web.Application:
    """The routes under ``prefix`` (JupyterHub's ``/services/<name>/``); the dashboard's too with ``oauth``."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    kw = {"authority": authority, "identity": identity}
    return tornado.web.Application(
        routes(prefix, authority, identity, oauth)
        + [
            (rf"{prefix}?", Ready),  # the hub checks an external service's health here
            (rf"{prefix}api/?", Ready),
            (rf"{prefix}api/sessions/?", Sessions, kw),
            (rf"{prefix}api/sessions/(s\d+)/?", OneSession, kw),
            (rf"{prefix}api/sessions/(s\d+)/(propose|commit|guess|reveal)/?", Command, kw),
            (rf"{prefix}api/sessions/(s\d+)/export\.(csv|json)", Export, kw),
        ],
        oauth=oauth,
        cookie_secret=os.urandom(32),  # HubOAuth's state cookie; a restart only asks a browser to log in again
    )


async def serve(args: argparse.Namespace) -> None:
    url = urlsplit(args.url)
    with Store(args.state) as store:
        authority = Authority(store)
        identity = HubIdentity(args.api_url, args.api_token, args.name, args.instructor_group)
        oauth = hub_oauth()
        app = make_app(authority, identity, args.prefix, oauth)
        server = app.listen(url.port or 80, address=url.hostname or "127.0.0.1", xheaders=True)
        print(f"classroom: {len(authority.room.sessions)} session(s) resumed from {args.state}", flush=True)
        print(f"classroom: listening on {args.url} (prefix {args.prefix})", flush=True)
        if oauth is None:
            print("classroom: no jupyterhub package here: no dashboard, the API takes tokens only", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        server.stop()


def main(argv: list[str] | None = None) -> int:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", default=env("PACT_CLASS_STATE"), help="the service's own folder (SQLite, log)")
    parser.add_argument("--url", default=env("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    parser.add_argument("--prefix", default=env("JUPYTERHUB_SERVICE_PREFIX", "/"))
    parser.add_argument("--api-url", default=env("JUPYTERHUB_API_URL"))
    parser.add_argument("--name", default=env("JUPYTERHUB_SERVICE_NAME", "classroom"))
    parser.add_argument("--instructor-group", default=env("PACT_CLASS_INSTRUCTORS", "instructors"))
    args = parser.parse_args(argv)
    args.api_token = env("JUPYTERHUB_API_TOKEN")
    missing = [n for n, v in (("--state", args.state), ("--api-url", args.api_url), ("token", args.api_token)) if not v]
    if missing:
        sys.exit(f"classroom: missing {', '.join(missing)} (JupyterHub sets the API URL and the token)")
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
