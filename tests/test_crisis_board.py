"""The crisis board through its public API: clicks, autosave, resume, autograding, bad logs, the debrief."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html import escape

import pytest

from course.engine import logfile
from course.engine.crisis import Crisis
from course.scenario.loader import load
from course.widgets import CrisisBoard
from course.widgets.board_view import (
    TIMELINE,
    debrief_html,
    feed_html,
    gauges_html,
    latest_turn_html,
    thresholds,
    timeline_svg,
)

SCENARIO = load("korean-peninsula-2024")
DOCTRINE_NAMES = [d.name for o in SCENARIO.opponents for d in o.doctrines]


@pytest.fixture
def board(tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return CrisisBoard(seed=3, folder=tmp_path)


def _finish(board: CrisisBoard) -> None:
    while not board.game.over:
        board.buttons[board.game.actions[0]].click()


def test_click_advances_the_turn_changes_the_display_and_saves_the_log(board, tmp_path):
    gauges, status = board.gauges.value, board.status.value
    board.buttons["coordinate-with-allies"].click()
    assert board.game.turn == 1
    assert board.status.value != status and "Turn 2" in board.status.value
    assert board.gauges.value != gauges
    saved = logfile.load(tmp_path / "decision-log-04-crisis-wargame.json")
    assert saved.moves == ("coordinate-with-allies",) and saved.seed == 3


def test_a_new_board_resumes_the_saved_game(board, tmp_path):
    board.buttons["coordinate-with-allies"].click()
    board.buttons["talks-with-guarantees"].click()
    again = CrisisBoard(seed=50, folder=tmp_path)
    assert again.game.moves == board.game.moves and again.game.state == board.game.state
    assert "Resumed your game" in again.notice.value


def test_nothing_is_written_while_nbgrader_executes(tmp_path, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    board = CrisisBoard(seed=1, folder=tmp_path)
    board.buttons["joint-exercises"].click()
    board.new_game(2)
    assert board.game.seed == 2 and list(tmp_path.iterdir()) == []


def test_a_damaged_log_is_kept_and_reported_and_a_new_game_starts(tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    path = tmp_path / "decision-log-04-crisis-wargame.json"
    path.write_text("{not json")
    board = CrisisBoard(seed=4, folder=tmp_path)
    assert "could not be resumed" in board.notice.value and "damaged" in board.notice.value
    kept = [p for p in tmp_path.iterdir() if "unreadable" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == "{not json"
    assert board.game.turn == 0


def test_a_log_from_another_scenario_version_is_kept_not_overwritten(tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    other = SCENARIO.with_ambiguity(0.1)
    log = Crisis(other, seed=2).play_all(["joint-exercises"]).log
    path = logfile.log_path("04-crisis-wargame", tmp_path)
    logfile.save(log, path)
    board = CrisisBoard(seed=4, folder=tmp_path)
    assert "could not be resumed" in board.notice.value
    assert any("unreadable" in p.name for p in tmp_path.iterdir())


def test_an_illegal_move_is_explained_and_changes_nothing(board):
    blocked = [a for a in board.buttons if a not in board.game.actions]
    assert blocked, "expected an action with an unmet precondition at the start"
    state = board.game.state
    board.play(blocked[0])
    assert board.game.turn == 0 and board.game.state == state
    assert "legal now" in board.notice.value
    assert board.buttons[blocked[0]].disabled


def test_the_end_disables_actions_and_shows_the_debrief_with_reference_results(board):
    _finish(board)
    assert all(b.disabled for b in board.buttons.values())
    text = board.debrief.value
    assert "Your score" in text and "What you could not see" in text
    assert "adaptive" in text and "always-deter" in text
    assert "illustrative" in text


def test_new_game_keeps_the_finished_one_beside_the_log(board, tmp_path):
    _finish(board)
    finished = board.game.log
    board.new_game(11)
    kept = tmp_path / "decision-log-04-crisis-wargame.1.json"
    assert logfile.load(kept).moves == finished.moves
    assert logfile.load(tmp_path / "decision-log-04-crisis-wargame.json").seed == 11
    assert board.game.turn == 0 and not any(b.disabled for a, b in board.buttons.items() if a in board.game.actions)


def test_buttons_cite_article_paragraphs_in_their_tooltips(board):
    cited = [b.tooltip for b in board.buttons.values() if "Article: p" in b.tooltip]
    assert len(cited) == len(board.buttons)


def test_what_the_player_sees_never_names_a_hidden_doctrine():
    game = Crisis(SCENARIO, seed=5)
    for move in ["coordinate-with-allies", "joint-exercises", "humanitarian-opening"]:
        if not game.over:
            game.play(move)
    shown = feed_html(SCENARIO, game.view) + gauges_html(SCENARIO, game.state) + timeline_svg(SCENARIO, game.view)
    for name in DOCTRINE_NAMES:
        assert name not in shown


def test_timeline_is_valid_svg_with_one_point_per_turn_and_the_start():
    game = Crisis(SCENARIO, seed=6).play_all(["coordinate-with-allies", "joint-exercises"])
    root = ET.fromstring(timeline_svg(SCENARIO, game.view))
    polylines = [el for el in root.iter() if el.tag.endswith("polyline")]
    assert len(polylines) == len(TIMELINE) and all(len(p.get("points").split()) == 3 for p in polylines)
    assert "Open dialogue" in timeline_svg(SCENARIO, game.view)


def test_gauges_give_values_as_text_and_meters():
    html = gauges_html(SCENARIO, {v.id: v.start for v in SCENARIO.variables})
    assert html.count('role="meter"') == len(SCENARIO.variables)
    for var in SCENARIO.variables:
        assert f"{var.start:.0f} / {var.max:g}" in html


def test_saved_log_is_json_a_student_can_read(board, tmp_path):
    board.buttons["joint-exercises"].click()
    data = json.loads((tmp_path / "decision-log-04-crisis-wargame.json").read_text())
    assert data["moves"] == ["joint-exercises"] and data["scenario_id"] == "korean-peninsula-2024"


def test_thresholds_come_from_the_scenarios_end_conditions():
    marks = thresholds(SCENARIO)
    assert marks["tension"] == [
        (100.0, "War on the peninsula at 100"),
        (30.0, "Negotiated de-escalation needs ≤ 30 (and Open dialogue ≥ 70)"),
    ]
    assert marks["open_dialogue"] == [(70.0, "Negotiated de-escalation needs ≥ 70 (and Tension ≤ 30)")]
    assert "turn" not in marks  # the turn limit is not a gauge
    html = gauges_html(SCENARIO, {v.id: v.start for v in SCENARIO.variables})
    assert html.count('class="pact-threshold"') == sum(len(m) for m in marks.values())
    assert "War on the peninsula at 100" in html


def test_latest_turn_names_the_move_the_replies_and_what_moved():
    assert "will appear here" in latest_turn_html(SCENARIO, Crisis(SCENARIO, seed=6).view)
    game = Crisis(SCENARIO, seed=6).play_all(["coordinate-with-allies", "joint-exercises"])
    shown = latest_turn_html(SCENARIO, game.view)
    assert "Turn 2" in shown and escape(SCENARIO.action("joint-exercises").name) in shown
    for opponent, response in game.view.history[-1].responses:
        assert escape(SCENARIO.opponent(opponent).response(response).name) in shown
    assert " up " in shown or " down " in shown


def test_the_board_says_the_numbers_are_illustrative_once(board):
    def shown() -> str:
        parts = [board.caveat, board.debrief] + ([board.briefing] if board.briefing_panel.selected_index == 0 else [])
        return " ".join(w.value for w in parts if w.layout.display != "none").lower()

    assert shown().count("illustrative") == 1  # in the open briefing
    board.buttons["coordinate-with-allies"].click()
    assert shown().count("illustrative") == 1  # under the chart, the briefing folded
    board.briefing_panel.selected_index = 0
    assert shown().count("illustrative") == 1
    _finish(board)
    assert shown().count("illustrative") == 1 and "illustrative" in board.debrief.value
    assert debrief_html(board.game).lower().count("illustrative") == 1


def test_the_briefing_folds_after_the_first_move_and_the_seed_box_says_what_it_is(board):
    assert board.briefing_panel.selected_index == 0
    board.buttons["coordinate-with-allies"].click()
    assert board.briefing_panel.selected_index is None
    assert board.seed_box.description == "Next game's seed" and board.seed_box.value == 4
    assert "This game: seed 3" in board.seed_note.value
    assert "Turn 1" in board.result.value
