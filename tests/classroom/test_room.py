"""The room's rules without a service: the majority rule's window, and folding events again gives the same room."""

from __future__ import annotations

import pytest

from course.classroom.room import Person, Refused, Room

BOSS, ADA, BEN, CY = Person("boss", True), Person("ada"), Person("ben"), Person("cy")
SPEC = {"scenario": "korean-peninsula-2024", "rule": "majority", "window": 30, "teams": [
    {"name": "team-a", "members": ["ada", "ben", "cy"]},
]}  # fmt: skip


def run(room: Room, events: list[dict]) -> list[dict]:
    for event in events:
        room.apply(event)
    return events


def test_room_window_lets_a_member_commit_the_most_proposed_move_once_it_has_passed():
    room, log = Room(), []
    log += run(room, room.open_session(BOSS, SPEC, now=0.0))
    log += run(room, room.propose(ADA, "s1", "joint-exercises", turn=1, now=1.0))
    log += run(room, room.propose(BEN, "s1", "talks-with-guarantees", turn=1, now=2.0))
    with pytest.raises(Refused, match="open for 20 s more") as err:
        room.commit(CY, "s1", None, turn=1, now=10.0)
    assert err.value.status == 409
    log += run(room, room.propose(CY, "s1", "talks-with-guarantees", turn=1, now=11.0))  # 2 of 3: a majority
    assert room.sessions["s1"].teams["team-a"].game.moves == ("talks-with-guarantees",)
    log += run(room, room.propose(ADA, "s1", "joint-exercises", turn=2, now=12.0))
    log += run(room, room.commit(BEN, "s1", None, turn=2, now=42.0))  # the window (from turn 2's start) passed
    assert room.sessions["s1"].teams["team-a"].game.moves == ("talks-with-guarantees", "joint-exercises")
    again = Room()
    run(again, log)
    assert again.sessions["s1"].teams["team-a"].game.history == room.sessions["s1"].teams["team-a"].game.history


def test_room_refuses_a_student_opening_a_session():
    with pytest.raises(Refused) as err:
        Room().open_session(ADA, SPEC, now=0.0)
    assert err.value.status == 403


@pytest.mark.parametrize(
    "spec, words",
    [
        ({"scenario": "korean-peninsula-2024", "teams": ["ada"]}, "each team is an object"),
        ({"scenario": "korean-peninsula-2024", "teams": [{"name": "A", "members": ["ada", "ben"]}]}, "lower-case"),
        ({"scenario": "korean-peninsula-2024", "teams": [{"name": "a", "members": "ada,ben"}]}, "list of hub user"),
        ({"scenario": "korean-peninsula-2024", "rule": "vote", "teams": []}, "rule must be"),
        ({"scenario": "korean-peninsula-2024", "window": "soon", "teams": []}, "window is a number"),
        ({"scenario": "korean-peninsula-2024", "seed": -1, "teams": [{"name": "a", "members": ["x", "y"]}]}, "seed"),
    ],
)
def test_room_refuses_malformed_sessions_with_a_reason(spec, words):
    with pytest.raises(Refused, match=words) as err:
        Room().open_session(BOSS, spec, now=0.0)
    assert err.value.status == 400


def test_room_refuses_a_team_that_is_not_a_name():
    room = Room()
    run(room, room.open_session(BOSS, SPEC, now=0.0))
    with pytest.raises(Refused, match="team is a team's name"):
        room.commit(BOSS, "s1", "joint-exercises", turn=1, now=1.0, team=["team-a"])
