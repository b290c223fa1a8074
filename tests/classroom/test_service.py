"""The class service over real HTTP, with real hub tokens, real SQLite, and a real restart.

Read as a transcript: the instructor opens a session, students propose and commit through the client a kernel
uses, the service refuses what it must (with a status and changing nothing), is killed mid-game and resumes.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from course.classroom.client import ClassClient, ClassError
from course.engine.crisis import DecisionLog, replay
from course.scenario.loader import load

from .conftest import ADMIN, INSTRUCTOR, OUTSIDER

pytestmark = [pytest.mark.hub, pytest.mark.xdist_group("classroom")]

SCENARIO = "korean-peninsula-2024"
TEAMS = [
    {"name": "team-a", "members": ["a1", "a2"]},
    {"name": "team-b", "members": ["b1", "b2"]},
    {"name": "team-c", "members": ["c1", "c2"]},
    {"name": "team-d", "members": ["d1", "d2"]},
]


@pytest.fixture(scope="module")
def people(hub, service):
    """Each person's client, with a token like their server's (the kernel's JUPYTERHUB_API_TOKEN)."""
    names = [INSTRUCTOR, ADMIN, OUTSIDER] + [m for t in TEAMS for m in t["members"]]
    return {name: ClassClient(service.url, hub.token(name)) for name in names}


def refused(status: int, call, *args, **kwargs) -> str:
    with pytest.raises(ClassError) as err:
        call(*args, **kwargs)
    assert err.value.status == status, str(err.value)
    return str(err.value)


def test_open_session_puts_every_doctrine_in_the_room(people):
    refused(403, people["a1"].open_session, SCENARIO, TEAMS)
    room = people[INSTRUCTOR].open_session(SCENARIO, TEAMS)
    doctrines = [t["doctrines"]["north-korea"] for t in room["teams"]]
    assert sorted(doctrines) == sorted(d.id for d in load(SCENARIO).opponents[0].doctrines)
    assert [t["scribe"] for t in room["teams"]] == ["a1", "b1", "c1", "d1"]
    # A hub admin is an instructor too; a session's id is what every client names.
    assert people[ADMIN].session(room["session"])["teams"][0]["team"] == "team-a"


def test_open_session_refuses_bad_teams(people):
    boss = people[INSTRUCTOR]
    assert "2 to 6" in refused(400, boss.open_session, SCENARIO, [{"name": "solo", "members": ["a1"]}])
    twice = [{"name": "x", "members": ["a1", "a2"]}, {"name": "y", "members": ["a2", "b1"]}]
    assert "twice" in refused(400, boss.open_session, SCENARIO, twice)
    assert "no packaged scenario" in refused(400, boss.open_session, "/etc/passwd", TEAMS)


def test_a_team_proposes_sees_and_commits(people):
    sid = people[INSTRUCTOR].open_session(SCENARIO, TEAMS)["session"]
    a1, a2 = people["a1"], people["a2"]
    a2.propose(sid, "talks-with-guarantees", turn=1)
    seen = a1.propose(sid, "coordinate-with-allies", turn=1)
    assert seen["proposals"] == {"a2": "talks-with-guarantees", "a1": "coordinate-with-allies"}
    assert seen["turn"] == 0 and "seed" not in seen and "doctrines" not in seen and "log" not in seen
    assert "scribe (a1)" in refused(403, a2.commit, sid, "talks-with-guarantees", turn=1)
    after = a1.commit(sid, "coordinate-with-allies", turn=1)
    assert after["turn"] == 1 and after["proposals"] == {}
    assert [h["action"] for h in a2.session(sid)["history"]] == ["coordinate-with-allies"]
    assert people["b1"].session(sid)["turn"] == 0  # other teams play their own game


def test_a_student_cannot_act_for_another_team_or_as_instructor(people):
    sid = people[INSTRUCTOR].open_session(SCENARIO, TEAMS)["session"]
    b1 = people["b1"]
    assert "plays for team-b" in refused(403, b1.commit, sid, "joint-exercises", turn=1, team="team-a")
    refused(403, b1.reveal, sid)
    mine = b1.session(sid)
    assert mine["team"] == "team-b" and "teams" not in mine and "doctrines" not in mine
    assert "in no team" in refused(403, people[OUTSIDER].session, sid)
    assert people["a1"].session(sid)["turn"] == 0  # nothing changed for team-a


def test_bad_requests_change_nothing(people, hub, service):
    boss = people[INSTRUCTOR]
    sid = boss.open_session(SCENARIO, TEAMS)["session"]
    c1 = people["c1"]
    c1.commit(sid, "coordinate-with-allies", turn=1)
    assert "turn 1 is locked" in refused(409, c1.commit, sid, "coordinate-with-allies", turn=1)  # a replay
    assert "turn 1 is locked" in refused(409, c1.propose, sid, "joint-exercises", turn=1)
    assert "not a legal move" in refused(400, c1.propose, sid, "nuke-everything", turn=2)
    refused(404, c1.session, "s999")
    refused(401, ClassClient(service.url, "forged-token").session, sid)
    no_access = ClassClient(service.url, hub.token("c2", scopes=["read:users:name!user"]))
    assert "access:services" in refused(403, no_access.session, sid)
    assert c1.session(sid)["turn"] == 1 and c1.session(sid)["proposals"] == {}


def test_a_majority_commits_under_the_majority_rule(people):
    sid = people[INSTRUCTOR].open_session(SCENARIO, TEAMS[:1], rule="majority")["session"]
    assert people["a1"].propose(sid, "joint-exercises", turn=1)["turn"] == 0
    assert people["a2"].propose(sid, "joint-exercises", turn=1)["turn"] == 1
    refused(403, people["a1"].commit, sid, "joint-exercises", turn=2)  # no window: only votes commit


def test_the_instructor_enters_a_teams_move(people):
    boss = people[INSTRUCTOR]
    sid = boss.open_session(SCENARIO, TEAMS[:2])["session"]
    room = boss.commit(sid, "humanitarian-opening", turn=1, team="team-b")
    assert [t["turn"] for t in room["teams"]] == [0, 1]


def test_guesses_then_the_reveal_opens_logs_that_replay(people):
    boss = people[INSTRUCTOR]
    sid = boss.open_session(SCENARIO, TEAMS[:1])["session"]
    a1, a2 = people["a1"], people["a2"]
    for turn in range(1, 4):
        a1.commit(sid, "coordinate-with-allies", turn=turn)
    a1.guess(sid, "resolved-hardliner", 0.6)
    a2.guess(sid, "status-quo-cautious", 0.3)
    refused(400, a2.guess, sid, "status-quo-cautious", 1.5)
    assert a2.session(sid)["guess"] == {"doctrine": "status-quo-cautious", "confidence": 0.3}
    assert "log" not in a2.session(sid)
    boss.reveal(sid)
    refused(409, a1.guess, sid, "resolved-hardliner", 0.9)
    mine = a2.session(sid)
    game = replay(load(SCENARIO), DecisionLog.from_json(mine["log"]))
    assert game.moves == ("coordinate-with-allies",) * 3 and game.doctrines == mine["doctrines"]
    assert [list(t.state) for t in game.history] == [h["state"] for h in mine["history"]]


def test_a_killed_service_resumes_every_session(people, service):
    boss = people[INSTRUCTOR]
    sid = boss.open_session(SCENARIO, TEAMS, rule="majority")["session"]
    people["d1"].propose(sid, "back-channel-to-moscow", turn=1)
    people["d2"].propose(sid, "back-channel-to-moscow", turn=1)
    people["d1"].propose(sid, "talks-with-guarantees", turn=2)
    before = boss.session(sid)
    everything = {s["session"]: boss.session(s["session"]) for s in boss.sessions()}
    service.kill()
    service.start()
    assert boss.session(sid) == before
    assert {s["session"]: boss.session(s["session"]) for s in boss.sessions()} == everything
    events = [json.loads(line) for line in (service.state / "events.jsonl").read_text().splitlines()]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert people["d2"].propose(sid, "talks-with-guarantees", turn=2)["turn"] == 2  # play goes on


def test_the_instructor_exports_a_session_as_csv_and_json(people):
    boss = people[INSTRUCTOR]
    sid = boss.open_session(SCENARIO, TEAMS[:2])["session"]
    people["a1"].commit(sid, "joint-exercises", turn=1)
    people["b1"].commit(sid, "talks-with-guarantees", turn=1)
    people["b1"].commit(sid, "freeze-for-freeze", turn=2)
    rows = list(csv.DictReader(io.StringIO(boss.export_csv(sid))))
    assert [(r["team"], r["turn"], r["action"], r["stance"]) for r in rows] == [
        ("team-a", "1", "joint-exercises", "deterrence"),
        ("team-b", "1", "talks-with-guarantees", "diplomacy"),
        ("team-b", "2", "freeze-for-freeze", "diplomacy"),
    ]
    whole = boss.call("GET", f"api/sessions/{sid}/export.json")
    assert [t["team"] for t in whole["teams"]] == ["team-a", "team-b"] and len(whole["turns"]) == 3
    refused(403, people["a1"].export_csv, sid)


def test_teams_can_be_hub_groups(people, hub):
    for name, group in (("c1", "table-3"), ("c2", "table-3"), ("d1", "table-4"), ("d2", "table-4")):
        hub.person(name, groups=(group,))
    boss = people[INSTRUCTOR]
    room = boss.open_session(SCENARIO, [{"group": "table-3"}, {"name": "four", "group": "table-4", "scribe": "d2"}])
    assert [(t["team"], t["members"], t["scribe"]) for t in room["teams"]] == [
        ("table-3", ["c1", "c2"], "c1"),
        ("four", ["d1", "d2"], "d2"),
    ]
    assert "no hub group" in refused(400, boss.open_session, SCENARIO, [{"group": "nobody-here"}])
