"""The class service's client: what a student's kernel (the crisis board) and an instructor's notebook call.

Standard library only (urllib), so a kernel pays nothing for the service's web framework. The service is found
from ``PACT_CLASS_URL`` (the class hub sets it in every user's server: the proxy's ``.../services/classroom/``) and
the caller is who their ``JUPYTERHUB_API_TOKEN`` says (the token JupyterHub gives every user's server and its
kernels). Without a URL there is no class: :func:`configured` says so and the board plays alone.

:func:`save_team_log` writes a team's game, once the service hands its log out (after the reveal), into the
student's own folder (the service cannot write there) as a game the board kept,
``decision-log-<assignment>.<n>.json``, so 04's checks and 05's figures find it beside the student's solo games.

:func:`view_of` turns the service's view of a team's game back into the engine's ``View``, so the board draws a
class game with the same pure functions as a solo one.

>>> from course.scenario.loader import load
>>> s = load("korean-peninsula-2024")
>>> view_of(s, {"turn": 0, "state": {"tension": 40.0}, "actions": ["joint-exercises"], "history": [],
...             "over": False, "outcome": None}).actions
('joint-exercises',)
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from course.engine import logfile
from course.engine.decision_log import DecisionLog
from course.engine.view import Seen, View
from course.scenario.loader import Scenario

TIMEOUT = 15.0


class ClassError(Exception):
    """The service refused (``status`` 400-409, its message says why) or could not be reached (``status`` 0)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def configured() -> bool:
    """True when this kernel is in a class with a service (``PACT_CLASS_URL`` and a hub token are set)."""
    return bool(os.environ.get("PACT_CLASS_URL") and os.environ.get("JUPYTERHUB_API_TOKEN"))


class ClassClient:
    """Calls the service's JSON API with the user's hub token. Each method returns the service's answer."""

    def __init__(self, url: str | None = None, token: str | None = None) -> None:
        url = url or os.environ.get("PACT_CLASS_URL")
        token = token or os.environ.get("JUPYTERHUB_API_TOKEN")
        if not url or not token:
            raise ClassError(0, "no class service here (PACT_CLASS_URL and JUPYTERHUB_API_TOKEN are not both set)")
        self.url = url.rstrip("/") + "/"
        self._token = token

    def call(self, method: str, path: str, body: Mapping[str, Any] | None = None, raw: bool = False) -> Any:
        """The service's JSON answer (its text if ``raw``); :class:`ClassError` if it refuses."""
        data = None if body is None else json.dumps(dict(body)).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"token {self._token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                text = response.read()
                return text.decode("utf-8") if raw else json.loads(text)
        except urllib.error.HTTPError as err:
            try:
                message = json.loads(err.read()).get("error") or err.reason
            except ValueError:
                message = err.reason
            raise ClassError(err.code, str(message)) from None
        except (urllib.error.URLError, OSError) as err:
            raise ClassError(0, f"the class service cannot be reached at {self.url} ({err})") from None

    def sessions(self) -> list[dict[str, Any]]:
        return self.call("GET", "api/sessions")["sessions"]

    def open_session(self, scenario: str, teams: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
        """Instructor: open a session; ``options`` are ``rule`` ("scribe" or "majority"), ``window``, ``seed``."""
        return self.call("POST", "api/sessions", {"scenario": scenario, "teams": teams} | options)

    def session(self, sid: str) -> dict[str, Any]:
        return self.call("GET", f"api/sessions/{sid}")

    def propose(self, sid: str, action: str, turn: int) -> dict[str, Any]:
        return self.call("POST", f"api/sessions/{sid}/propose", {"action": action, "turn": turn})

    def commit(self, sid: str, action: str | None, turn: int, team: str | None = None) -> dict[str, Any]:
        body = {"action": action, "turn": turn} | ({"team": team} if team else {})
        return self.call("POST", f"api/sessions/{sid}/commit", body)

    def guess(self, sid: str, doctrine: str, confidence: float) -> dict[str, Any]:
        return self.call("POST", f"api/sessions/{sid}/guess", {"doctrine": doctrine, "confidence": confidence})

    def reveal(self, sid: str) -> dict[str, Any]:
        return self.call("POST", f"api/sessions/{sid}/reveal", {})

    def export_csv(self, sid: str) -> str:
        """Instructor: one row per team and turn, as CSV text."""
        return self.call("GET", f"api/sessions/{sid}/export.csv", raw=True)


def view_of(scenario: Scenario, payload: Mapping[str, Any]) -> View:
    """The engine's :class:`View` of a team's game from the service's answer (no hidden doctrine in either)."""
    history = tuple(
        Seen(
            h["turn"],
            h["action"],
            tuple(h["responses"].items()),
            tuple(h["intel"].items()),
            tuple(h["state"]),
        )
        for h in payload["history"]
    )
    return View(
        scenario,
        payload["turn"],
        dict(payload["state"]),
        tuple(payload["actions"]),
        history,
        payload["over"],
        payload["outcome"],
    )


def save_team_log(payload: Mapping[str, Any], folder: str | Path, assignment: str) -> Path | None:
    """Write the team's decision log into ``folder`` (the same file again as the game goes on); None while the
    service withholds it (before the reveal) or while nbgrader executes the notebook."""
    if "log" not in payload or not logfile.writes_allowed():
        return None
    log = DecisionLog.from_json(payload["log"])
    fixed = logfile.log_path(assignment, folder)
    n, path = 1, None
    while (candidate := fixed.with_name(f"{fixed.stem}.{n}{fixed.suffix}")).exists():
        try:
            kept = logfile.load(candidate)
        except logfile.LogFileError:
            kept = None
        same_game = kept is not None and (kept.scenario_id, kept.seed, kept.doctrines) == (
            log.scenario_id,
            log.seed,
            None,
        )
        if same_game and log.moves[: len(kept.moves)] == kept.moves:
            path = candidate  # this team's game, saved before: it grows
            break
        n += 1
    path = path or candidate
    logfile.save(log, path)
    return path
