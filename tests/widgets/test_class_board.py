"""The crisis board in class mode: two students' boards on one team, through the real class service and hub.

Each board is what `CrisisBoard(session=...)` builds in a student's kernel, with that student's own hub token; a
click proposes, the scribe commits, the other board sees it on refresh; a board built again (a kernel restart)
rejoins where the team is; after the reveal the debrief opens and the team's game lands in each student's folder.
"""

from __future__ import annotations

import pytest

from course.classroom.client import ClassClient
from course.engine import logfile
from course.engine.crisis import replay
from course.grading.wargame_checks import log_files
from course.scenario.loader import load
from course.widgets import CrisisBoard
from course.widgets.class_panel import guess_html, team_html
from tests.classroom.conftest import INSTRUCTOR, hub, service  # noqa: F401 - the real hub and service fixtures

pytestmark = [pytest.mark.hub, pytest.mark.xdist_group("classroom")]

SCENARIO = load("korean-peninsula-2024")


@pytest.fixture
def team(hub, service, tmp_path, monkeypatch):  # noqa: F811 - the fixtures imported above
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    boss = ClassClient(service.url, hub.token(INSTRUCTOR))
    sid = boss.open_session(SCENARIO.id, [{"name": "team-a", "members": ["a1", "a2"]}])["session"]
    clients = {name: ClassClient(service.url, hub.token(name)) for name in ("a1", "a2")}
    folders = {name: tmp_path / name for name in clients}
    for folder in folders.values():
        folder.mkdir()
    return boss, sid, clients, folders


def board_of(name: str, team) -> CrisisBoard:
    _boss, sid, clients, folders = team
    return CrisisBoard(session=sid, client=clients[name], folder=folders[name])


def test_class_board_proposes_commits_rejoins_and_saves_the_revealed_game(team):
    boss, sid, _clients, folders = team
    scribe, other = board_of("a1", team), board_of("a2", team)
    assert "Class session" in scribe.panel.team.value and scribe.game is None
    other.buttons["talks-with-guarantees"].click()
    scribe.panel.refresh()
    assert "a2: Talks with security guarantees" in scribe.panel.team.value.replace("&amp;", "&")
    scribe.buttons["coordinate-with-allies"].click()
    status = scribe.status.value
    scribe.panel.commit_button.click()
    assert scribe.status.value != status and "Turn 2" in scribe.status.value
    assert other.panel.commit_button.layout.display == "none"  # only the scribe commits

    again = board_of("a2", team)  # a2's kernel restarted: the board rejoins the team where it is
    assert again.panel.payload["turn"] == 1 and "Turn 2" in again.status.value

    while not scribe.panel.payload["over"]:
        action = scribe.panel.payload["actions"][0]
        scribe.buttons[action].click()
        scribe.panel.commit_button.click()
    assert scribe.debrief.value == "" and not any(folders["a1"].iterdir())  # no debrief, no log before the reveal
    again.panel.guess("resolved-hardliner", 0.7)
    assert "70% sure" in again.panel.guess_info.value

    boss.reveal(sid)
    again.panel.refresh()
    assert again.game is not None and again.game.over and "Revealed" in again.panel.guess_info.value
    assert again.debrief.value != ""
    saved = log_files(folders["a2"])
    assert [p.name for p in saved] == ["decision-log-04-crisis-wargame.1.json"]
    assert replay(SCENARIO, logfile.load(saved[0])).history == again.game.history
    again.panel.refresh()  # the same game again: the same file, not a second one
    assert log_files(folders["a2"]) == saved


def test_class_board_without_a_service_plays_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("PACT_CLASS_URL", raising=False)
    board = CrisisBoard(session="s1", folder=tmp_path)
    assert "You play alone" in board.notice.value and board.panel is None
    board.buttons["coordinate-with-allies"].click()
    assert board.game.turn == 1


def test_team_and_guess_text_say_who_commits_and_the_truth():
    payload = {"session": "s1", "team": "team-a", "members": ["a1", "a2"], "scribe": "a1", "rule": "scribe"}
    payload |= {"over": False, "turn": 0, "proposals": {"a2": "joint-exercises"}, "revealed": False, "guess": None}
    assert "a1 (scribe)" in team_html(SCENARIO, payload) and "a2: Joint" in team_html(SCENARIO, payload)
    assert "You have not guessed" in guess_html(SCENARIO, payload)
    payload |= {"revealed": True, "doctrines": {"north-korea": "resolved-hardliner"}}
    payload["guess"] = {"doctrine": "resolved-hardliner", "confidence": 0.5}
    assert "Right." in guess_html(SCENARIO, payload)
