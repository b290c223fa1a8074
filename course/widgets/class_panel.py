"""The crisis board's class mode: the team's proposals, the commit, the guess, all through the class service.

Why a panel and not a second board: a class game is the same game on the same board; only who plays the engine
changes (the service, for the whole team). The panel holds the service's latest answer (``payload``) and asks the
board to redraw from it; what it shows comes from the pure functions here, tested without a kernel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

import ipywidgets as widgets

from course.classroom.client import ClassClient, ClassError
from course.scenario.loader import Scenario, load

from .html import MUTED, styled


def team_html(scenario: Scenario, payload: Mapping[str, Any]) -> str:
    """Who is in the team, who commits, and each member's proposal for the turn being decided."""
    names = {a.id: a.name for a in scenario.actions}
    members = ", ".join(escape(m) + (" (scribe)" if m == payload["scribe"] else "") for m in payload["members"])
    rule = (
        f"the scribe, {escape(payload['scribe'])}, commits the team's move"
        if payload["rule"] == "scribe"
        else "a majority of the team commits the move"
        + (f" (or, after {payload['window']:g} s, the most proposed one)" if payload.get("window") is not None else "")
    )
    text = f"<p><b>Class session {escape(payload['session'])}, {escape(payload['team'])}</b>: {members}; {rule}.</p>"
    if not payload["over"]:
        votes = payload["proposals"]
        listed = "; ".join(f"{escape(who)}: {escape(names.get(a, a))}" for who, a in votes.items()) or "none yet"
        text += f"<p>Proposals for turn {payload['turn'] + 1}: {listed}.</p>"
    return text


def guess_html(scenario: Scenario, payload: Mapping[str, Any]) -> str:
    """The student's guess of the doctrine, and after the reveal the truth beside it."""
    opponent = scenario.opponents[0]
    names = {d.id: d.name for d in opponent.doctrines}
    guess = payload.get("guess")
    mine = (
        f"Your guess: {escape(names[guess['doctrine']])}, {guess['confidence']:.0%} sure."
        if guess
        else "You have not guessed."
    )
    if not payload["revealed"]:
        return f"<p>Before the reveal, guess which doctrine {escape(opponent.name)} follows. {mine}</p>"
    truth = payload["doctrines"][opponent.id]
    verdict = "" if not guess else (" Right." if guess["doctrine"] == truth else " Not this time.")
    return f"<p><b>Revealed</b>: {escape(opponent.name)} was a {escape(names[truth])}. {mine}{verdict}</p>"


class ClassPanel(widgets.VBox):
    """The class controls under the board. ``on_change(payload)`` is called with every answer of the service."""

    def __init__(self, client: ClassClient, session: str, on_change: Callable[[dict[str, Any]], None]) -> None:
        super().__init__()
        self.client, self.session, self._on_change = client, session, on_change
        self.payload: dict[str, Any] = client.session(session)  # raises ClassError: the board then plays alone
        if "team" not in self.payload or "teams" in self.payload:
            raise ClassError(403, f"you are in no team of session {session} (an instructor uses the dashboard)")
        self.scenario = load(self.payload["scenario"])
        self.team = widgets.HTML()
        self.notice = widgets.HTML()
        self.commit_button = widgets.Button(description="Commit the team's move", icon="check", button_style="primary")
        self.commit_button.on_click(lambda _b: self.commit())
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh", tooltip="See the team's latest")
        self.refresh_button.on_click(lambda _b: self.refresh())
        opponent = self.scenario.opponents[0]
        self.doctrine = widgets.Dropdown(
            options=[(d.name, d.id) for d in opponent.doctrines], description="Doctrine", layout={"width": "auto"}
        )
        self.confidence = widgets.FloatSlider(value=0.5, min=0, max=1, step=0.05, description="Confidence")
        self.guess_button = widgets.Button(description="Record my guess", icon="question")
        self.guess_button.on_click(lambda _b: self.guess(self.doctrine.value, self.confidence.value))
        self.guess_info = widgets.HTML()
        self.guess_row = widgets.HBox([self.doctrine, self.confidence, self.guess_button])
        self.children = [
            self.team,
            widgets.HBox([self.commit_button, self.refresh_button]),
            self.notice,
            self.guess_info,
            self.guess_row,
        ]
        self._show()

    def _call(self, make: Callable[[], dict[str, Any]]) -> bool:
        try:
            self.payload = make()
        except ClassError as err:
            self.notice.value = styled(f'<p role="alert">{escape(str(err))}</p>')
            return False
        self.notice.value = ""
        self._show()
        self._on_change(self.payload)
        return True

    def propose(self, action: str) -> bool:
        """What an action button does in class: propose the move for the turn being decided."""
        return self._call(lambda: self.client.propose(self.session, action, self.payload["turn"] + 1))

    def commit(self) -> bool:
        """The scribe commits their own proposal; under a window, anyone commits the most proposed move."""
        mine = self.payload["proposals"].get(self.payload["you"])
        return self._call(lambda: self.client.commit(self.session, mine, self.payload["turn"] + 1))

    def guess(self, doctrine: str, confidence: float) -> bool:
        return self._call(lambda: self.client.guess(self.session, doctrine, confidence))

    def refresh(self) -> bool:
        return self._call(lambda: self.client.session(self.session))

    def _show(self) -> None:
        p = self.payload
        self.team.value = styled(team_html(self.scenario, p))
        by_scribe = p["rule"] == "scribe" and p["you"] == p["scribe"]
        self.commit_button.layout.display = None if (by_scribe or p.get("window") is not None) else "none"
        self.commit_button.disabled = p["over"]
        self.guess_info.value = styled(f'<div style="color:{MUTED}">{guess_html(self.scenario, p)}</div>')
        self.guess_row.layout.display = "none" if p["revealed"] else None
