"""Reference answers that hidden tests compute on the grader's side, where one is too long for a test cell.

Why: 05's two hidden tests both need the figures of a set of decision logs, recomputed by replay; one copy
here instead of one per test cell. Hidden tests run on the grader's side (:mod:`course.autograde.integrity.
hidden`), and an instructor may run them in their own kernel; a student's answer may not import this module
(it is answer-bearing: :data:`course.grading.kit_use.ANSWER_BEARING`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Run in a fresh process (course.sandbox): the logs are the student's files, replayed by the engine.
MEMO_FIGURES = """
def reference_summary(ref_paths):
    from course import log as ref_log
    from course import engine as ref_engine
    from course import scenario as ref_scenarios

    ref_scenario = ref_scenarios.load("korean-peninsula-2024")
    ref_finished, ref_counts = [], {"unfinished": 0, "unreadable": 0}
    for ref_path in dict.fromkeys(ref_paths):  # each path counts once
        try:
            ref_game = ref_engine.replay(ref_scenario, ref_log.load(ref_path))
        except (ref_log.LogFileError, ref_engine.ReplayError):
            ref_counts["unreadable"] += 1
            continue
        if ref_game.over:
            ref_finished.append(ref_game)
        else:
            ref_counts["unfinished"] += 1
    ref_ends = {ref_end.kind: 0 for ref_end in ref_scenario.outcomes}
    for ref_game in ref_finished:
        ref_ends[ref_game.outcome_kind] += 1
    ref_moves = [ref_scenario.action(ref_move).stance for ref_game in ref_finished for ref_move in ref_game.moves]
    ref_stances = {ref_action.stance for ref_action in ref_scenario.actions}
    ref_n = len(ref_finished)
    return {
        "games": ref_n,
        **ref_counts,
        "outcomes": ref_ends,
        "mean_final_tension": sum(g.state["tension"] for g in ref_finished) / ref_n if ref_n else None,
        "stance_shares": {st: ref_moves.count(st) / len(ref_moves) for st in ref_stances} if ref_moves else None,
    }
"""


def memo_figures(paths: Sequence[str]) -> dict[str, Any]:
    """The figures 05's ``summarise_logs`` must return for the decision logs at ``paths`` (recomputed by replay,
    in a fresh process)."""
    from course.grading.errors import GradingError
    from course.sandbox import runner

    got = runner.evaluate(
        MEMO_FIGURES, "reference_summary", [(list(paths),)], allowed_imports=None, timeout_per_call=60.0
    )
    if not got.ok:
        failure = got.setup_error or got.first_failure().message
        raise GradingError(f"the grader could not recompute the figures: {failure}")
    return got.values[0]
