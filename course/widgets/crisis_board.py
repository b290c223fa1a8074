"""The crisis board: play the wargame as the US–South Korea–Japan coalition, one click per turn.

Thin by design: buttons call ``Crisis.play``; what is shown comes from :mod:`course.widgets.board_view`.
Each move is saved at once under the assignment's fixed file name in the notebook's folder (atomic write,
:mod:`course.engine.logfile`), because a widget click is not code: after a kernel restart, building the board again
resumes the game from that file. While nbgrader executes the notebook (``NBGRADER_EXECUTION`` set) the
board plays along but writes nothing.

In class (``CrisisBoard(session="s1")`` on a class hub) the same board plays the team's game through the class
service (:mod:`course.widgets.class_panel`, :mod:`course.classroom.client`): a button proposes the move, the scribe
commits it, the service plays the engine; after the instructor's reveal the debrief opens and the team's game is
saved beside the student's own. With no service (self-study, autograding, a laptop) it says so and plays alone.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from course.classroom.client import ClassClient, ClassError, save_team_log, view_of
from course.engine import logfile, strategies
from course.engine.crisis import Crisis, DecisionLog, IllegalMove, ReplayError, View, replay
from course.scenario.loader import Scenario, load

from .board_view import (
    ILLUSTRATIVE,
    STANCES,
    action_tooltip,
    briefing_html,
    debrief_html,
    feed_html,
    gauges_html,
    latest_turn_html,
    status_text,
    timeline_svg,
)
from .class_panel import ClassPanel
from .html import MUTED, scrolling, styled

REFERENCE = ("always-deter", "always-talk", "firm-but-fair", "grit", "adaptive")


def reference_results(game: Crisis, names: tuple[str, ...] = REFERENCE) -> list[tuple[str, str, float]]:
    """Each reference strategy against the same hidden doctrines and seed: (name, outcome, score)."""
    rows = []
    for name in names:
        other = Crisis(game.scenario, seed=game.seed, doctrines=game.doctrines).run(strategies.get(name))
        rows.append((name, game.scenario.outcome(other.outcome).name, other.score()))
    return rows


def archive_path(path: Path) -> Path:
    """The next free ``<stem>.<n>.json`` beside ``path``: where a finished game goes when a new one starts."""
    n = 1
    while (candidate := path.with_name(f"{path.stem}.{n}{path.suffix}")).exists():
        n += 1
    return candidate


class CrisisBoard(widgets.VBox):
    """The wargame board. ``board.buttons`` maps action ids to their buttons; ``board.game`` is the engine.

    ``assignment`` names the log file (``decision-log-<assignment>.json`` in ``folder``, by default the
    kernel's working directory, which is the notebook's folder in JupyterLab). ``session`` joins a class session
    (``client`` by default from the hub's environment); ``board.game`` is then the team's game once revealed.
    """

    def __init__(
        self,
        scenario: str | Scenario = "korean-peninsula-2024",
        seed: int = 0,
        *,
        assignment: str = "04-crisis-wargame",
        folder: str | Path | None = None,
        session: str | None = None,
        client: ClassClient | None = None,
    ) -> None:
        super().__init__()
        self.assignment = assignment
        self.log_path = logfile.log_path(assignment, Path(folder) if folder is not None else Path.cwd())
        self.notice = widgets.HTML()
        self.panel = self._join(session, client)
        self.game: Crisis | None = None
        if self.panel is not None:
            self.scenario = self.panel.scenario
            self._take(self.panel.payload)
        else:
            self.scenario = scenario if isinstance(scenario, Scenario) else load(scenario)
            self.game = self._resume(seed)

        # Laid out for a laptop window (1366x768): each turn's result and the debrief appear right under the
        # buttons, with the gauges and chart beside them; the briefing below folds away after the first move.
        self.briefing = widgets.HTML(styled(briefing_html(self.scenario)))
        self.briefing_panel = widgets.Accordion(
            children=[self.briefing],
            titles=("Briefing: the situation, the clause, how the game ends",),
            selected_index=None if self._view().turn else 0,
        )
        self.status = widgets.HTML()
        self.gauges = widgets.HTML()
        self.timeline = widgets.HTML()
        self.result = widgets.HTML()
        self.caveat = widgets.HTML(styled(f'<p style="color:{MUTED};margin:2px 0"><small>{ILLUSTRATIVE}</small></p>'))
        self.feed = widgets.HTML()  # scrolls inside its own markup (html.scrolling), which Tab reaches
        self.debrief = widgets.HTML()
        self.buttons: dict[str, widgets.Button] = {}
        rows = []
        for stance in STANCES:
            actions = [a for a in self.scenario.actions if a.stance == stance]
            if not actions:
                continue
            row = []
            for action in actions:
                button = widgets.Button(
                    description=action.name,
                    tooltip=action_tooltip(self.scenario, action.id),
                    layout=widgets.Layout(width="auto"),
                )
                button.on_click(lambda _b, a=action.id: self.play(a))
                self.buttons[action.id] = button
                row.append(button)
            label = widgets.HTML(styled(f"<b>{stance.capitalize()}</b>"), layout=widgets.Layout(width="100px"))
            rows.append(widgets.HBox([label, widgets.HBox(row, layout=widgets.Layout(flex_flow="row wrap"))]))
        self.actions_panel = widgets.VBox(rows)
        self.actions_panel.add_class("pact-board-actions")
        self.seed_box = widgets.BoundedIntText(
            value=self.game.seed + 1 if self.game else 1,
            min=0,
            max=2**31 - 1,
            description="Next game's seed",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="220px"),
        )
        self.new_button = widgets.Button(
            description="New game",
            icon="refresh",
            tooltip="Start a new game with the seed beside it (a finished game is kept beside the log)",
            layout=widgets.Layout(width="auto"),
        )
        self.new_button.on_click(lambda _b: self.new_game(self.seed_box.value))
        self.seed_note = widgets.HTML()
        self.briefing_panel.observe(self._show_caveat, names="selected_index")
        self.history_panel = widgets.Accordion(children=[self.feed], titles=("Every turn so far",), selected_index=None)
        self.left = left = widgets.VBox(
            [self.status, self.actions_panel, self.result, self.debrief],
            layout=widgets.Layout(flex="1 1 440px", min_width="0"),
        )
        right = widgets.VBox(
            [self.gauges, self.timeline, self.caveat], layout=widgets.Layout(flex="0 1 450px", min_width="0")
        )
        # The briefing sits below the play area, not above it: folding it away after the first move then moves
        # nothing the student is looking at (above the buttons, it pulled them and the turn's result up and off
        # a laptop screen for anyone who had scrolled down to the buttons to click).
        seed_row = widgets.HBox([self.seed_note, self.seed_box, self.new_button], layout={"align_items": "center"})
        self.children = [
            self.notice,
            *([self.panel] if self.panel else []),
            widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start")),
            self.briefing_panel,
            self.history_panel,
            *([] if self.panel else [seed_row]),  # a class game's seed is the service's
        ]
        self._render(None)

    def _show_caveat(self, _change: object = None) -> None:
        """Say once that the numbers are illustrative: the briefing says it while open, the debrief at the end."""
        briefing_open = self.briefing_panel.selected_index is not None
        self.caveat.layout.display = "none" if self._view().over or briefing_open else None

    # -- the class session -------------------------------------------------------------------------------
    def _join(self, session: str | None, client: ClassClient | None) -> ClassPanel | None:
        if session is None:
            return None
        try:
            return ClassPanel(client or ClassClient(), session, self._class_changed)
        except ClassError as err:
            self.notice.value = styled(f'<p role="alert">Not in class session {session}: {err}. You play alone.</p>')
            return None

    def _take(self, payload: dict) -> None:
        """After the reveal the service hands out the team's log: replay it here, and save it in the folder."""
        if "log" in payload:
            self.game = replay(self.scenario, DecisionLog.from_json(payload["log"]))
            save_team_log(payload, self.log_path.parent, self.assignment)

    def _class_changed(self, payload: dict) -> None:
        before = self._shown_state
        self._take(payload)
        self._render(before if self._view().turn != self._shown_turn else None)

    def _view(self) -> View:
        return view_of(self.scenario, self.panel.payload) if self.panel else self.game.view

    # -- the game file ---------------------------------------------------------------------------------
    def _resume(self, seed: int) -> Crisis:
        """The game in the log file if there is one for this scenario, else a new one; never overwrites."""
        try:
            game = logfile.resume(self.scenario, self.log_path, seed=seed)
        except (logfile.LogFileError, ReplayError) as err:
            kept = archive_path(self.log_path.with_suffix(".unreadable.json"))
            if logfile.writes_allowed():
                self.log_path.replace(kept)
                note = f" It was kept as {kept.name}."
            else:
                note = ""
            self.notice.value = styled(
                f'<p role="alert"><b>Your saved game could not be resumed</b>: {err}.{note} A new game starts.</p>'
            )
            return Crisis(self.scenario, seed=seed)
        if game.turn:
            self.notice.value = styled(
                f"<p>Resumed your game from {self.log_path.name} (seed {game.seed}, {game.turn} turn(s) played).</p>"
            )
        return game

    def _save(self) -> None:
        logfile.save(self.game.log, self.log_path)

    # -- actions ---------------------------------------------------------------------------------------
    def play(self, action_id: str) -> None:
        """Play one turn (what a button click does); an illegal move is explained and changes nothing. In class,
        propose it to the team (the scribe's commit, or a majority, plays it)."""
        if self.panel is not None:
            self.panel.propose(action_id)
            return
        before = self.game.state
        try:
            self.game.play(action_id)
        except IllegalMove as err:
            self.notice.value = styled(f'<p role="alert">{err}</p>')
            return
        self.notice.value = ""
        self.briefing_panel.selected_index = None  # folded away once play starts; a click opens it again
        self._save()
        self._render(before)

    def new_game(self, seed: int) -> None:
        """Start again with ``seed``; a game with moves is kept as ``<log>.<n>.json`` first."""
        if self.panel is not None:
            self.notice.value = styled('<p role="alert">A class game is the team\'s: it cannot be restarted here.</p>')
            return
        if self.game.turn and logfile.writes_allowed() and self.log_path.exists():
            self.log_path.replace(archive_path(self.log_path))
        self.game = Crisis(self.scenario, seed=seed)
        self.seed_box.value = seed + 1
        self.notice.value = styled(f"<p>New game, seed {seed}.</p>")
        self._save()
        self._render(None)

    # -- what is shown -----------------------------------------------------------------------------------
    def _render(self, before: dict[str, float] | None) -> None:
        view = self._view()
        self._shown_state, self._shown_turn = view.state, view.turn
        legal = set(view.actions)
        for action_id, button in self.buttons.items():
            button.disabled = action_id not in legal
        self.status.value = styled(f"<p><b>{status_text(self.scenario, view)}</b></p>")
        self.gauges.value = styled(gauges_html(self.scenario, view.state, before))
        self.timeline.value = timeline_svg(self.scenario, view)
        self.result.value = styled(latest_turn_html(self.scenario, view))
        self.feed.value = scrolling(styled(feed_html(self.scenario, view)), "Every turn so far", "260px")
        over = view.over
        done = self.game if self.game is not None and self.game.over else None  # in class: once revealed
        self.debrief.value = styled(debrief_html(done, reference_results(done))) if done else ""
        # Once over, the debrief takes the buttons' place (all disabled by then) and says the numbers are
        # illustrative itself, so the caveat under the chart goes: the board says it once.
        self.actions_panel.layout.display = "none" if over else None
        self.left.layout.flex = "1 1 100%" if over else "1 1 440px"  # the gauges and chart wrap below it
        self._show_caveat()
        if self.game is not None:
            self.seed_note.value = styled(f'<span style="color:{MUTED}">This game: seed {self.game.seed}.</span>')
