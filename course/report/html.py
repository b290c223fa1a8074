"""The class report as one static HTML page: inline CSS, figures as ``data:image/png;base64`` images.

Why by hand and not a template engine: the page is small, and every string that came from a student
(ids, file names, error messages, whatever a notebook raised) must be escaped; one helper (:func:`_e`)
that every value goes through is easier to check than a template's autoescape settings. No script, no
external stylesheet or font, no link off the page: it opens offline, in any browser, years later.
"""

from __future__ import annotations

import html
import statistics
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from course.report import plots
from course.report.grades import AssignmentGrades

if TYPE_CHECKING:  # the page only reads these; class_report imports this module to render
    from course.report.class_report import Report, Wargame

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; } h3 { margin-top: 1.5em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.hard td { background: #fde8e8; } tr.reference td { color: #555; background: #f7f7f7; }
img { max-width: 100%; } .note { color: #555; font-size: 0.92em; } .ok { color: #2a7a2a; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _img(data: str, alt: str) -> str:
    return f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}">'


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], classes: Iterable[str] = (),
           numeric: Sequence[int] = ()) -> str:  # fmt: skip
    """A table; cells are escaped; ``numeric`` columns are right-aligned; ``classes`` per row."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    classes = list(classes)
    for n, row in enumerate(rows):
        cls = f' class="{_e(classes[n])}"' if n < len(classes) and classes[n] else ""
        cells = "".join(
            f'<td class="num">{_e(v)}</td>' if k in numeric else f"<td>{_e(v)}</td>" for k, v in enumerate(row)
        )
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _assignment(a: AssignmentGrades) -> str:
    out = [f'<h2 id="{_e(a.name)}">{_e(a.name)}</h2>']
    scores = list(a.scores.values())
    summary = f"{a.submissions} submission(s); {len(scores)} graded by nbgrader"
    if a.provisional:
        summary += f", {len(a.provisional)} of them provisional (manual grading pending)"
    if a.not_graded:
        summary += f"; {len(a.not_graded)} not graded (nbgrader failed: {', '.join(a.not_graded)})"
    if scores:
        mean, median = statistics.fmean(scores), statistics.median(scores)
        summary += f". Score out of {a.max_score:g}: mean {mean:.1f}, median {median:g}, "
        summary += f"lowest {min(scores):g}, highest {max(scores):g}"
    out.append(f"<p>{_e(summary)}.</p>")
    if scores:
        final = [s for who, s in a.scores.items() if who not in a.provisional]
        pending = [s for who, s in a.scores.items() if who in a.provisional]
        out.append(_img(plots.score_histogram(final, pending, a.max_score, f"{a.name}: scores"),
                        f"{a.name}: score distribution"))  # fmt: skip
    out.append("<h3>Per question</h3>")
    if not a.submissions:
        out.append("<p>No submissions yet: nothing to chart.</p>")
    elif not a.questions:
        out.append("<p>No graded cells in the gradebook.</p>")
    else:
        ordered = sorted(a.questions, key=lambda q: (q.mean_share is None, q.mean_share or 0.0, q.notebook, q.name))
        out.append(
            f'<p class="note">Mean share of each graded cell\'s points among the submissions scored on it, hardest '
            f"first; red: below {plots.HARD:.0%}. A written answer counts only once a person has marked it "
            "(pending: not marked yet).</p>"
        )
        labels = [f"{q.notebook}: {q.name}" for q in ordered]
        out.append(_img(plots.question_bars(labels, [q.mean_share for q in ordered], f"{a.name}: per question"),
                        f"{a.name}: mean share of points per question"))  # fmt: skip
        rows = [
            (q.notebook, q.name, "test (autograded)" if q.cell_type == "code" else "written (manual)",
             f"{q.max_score:g}", _share(q.mean_share), f"{q.full_marks} of {len(q.shares)}", q.pending)
            for q in ordered
        ]  # fmt: skip
        hard = ["hard" if q.mean_share is not None and q.mean_share < plots.HARD else "" for q in ordered]
        out.append(_table(["notebook", "grade cell", "kind", "points", "mean share", "full marks", "pending"],
                          rows, hard, numeric=(3, 4, 6)))  # fmt: skip
    out.append(f'<h3 id="{_e(a.name)}-backlog">Manual-grading backlog</h3>')
    if not a.backlog:
        out.append('<p class="ok">Nothing waits for a person.</p>')
    else:
        rows = [
            (b.student, "nbgrader could not grade this submission: see pact-course grade's table"
             if b.not_graded else ", ".join(b.cells) or "flagged for manual grading")
            for b in a.backlog
        ]  # fmt: skip
        out.append(f"<p>{len(a.backlog)} submission(s) need a person (formgrader: <i>Nbgrader › Formgrader</i>).</p>")
        out.append(_table(["student", "what needs a person"], rows))
    return "\n".join(out)


def _wargame(w: Wargame) -> str:
    t = w.tournament
    out = [f'<h2 id="wargame">{_e(w.assignment)}: the crisis games and the class tournament</h2>']
    counted = [g for g in w.games if g.counted]
    out.append(f'<h3 id="outcomes">How the class\'s games ended ({len(counted)} of {len(w.games)} students)</h3>')
    out.append(
        '<p class="note">Each student\'s decision log is replayed move by move with the scenario '
        f"{_e(w.scenario_id)}: the ending is recomputed, never read from the file.</p>"
    )
    counts = {o: sum(1 for g in counted if g.outcome == o) for o in w.outcome_names}
    if counted:
        out.append(_img(plots.outcome_bars(list(counts), list(counts.values()), "outcomes of the class's games"),
                        "outcome distribution"))  # fmt: skip
    out.append(_table(["outcome", "students", "share"],
                      [(w.outcome_names[o], n, f"{n / len(counted):.0%}" if counted else "—")
                       for o, n in counts.items()], numeric=(1, 2)))  # fmt: skip
    rows = [(g.student, g.file, w.outcome_names.get(g.outcome or "", ""), f"{g.score:.1f}", g.turns, g.note)
            for g in counted]  # fmt: skip
    if rows:
        out.append(_table(["student", "log", "outcome", "score", "turns", "note"], rows, numeric=(3, 4)))
    bad = [g for g in w.games if g.problem]
    if bad:
        out.append(f'<h3 id="bad-logs">Decision logs left out ({len(bad)})</h3>')
        out.append(_table(["student", "problem"], [(g.student, g.problem) for g in bad]))
    out.append('<h3 id="leaderboard">Tournament leaderboard</h3>')
    weights = ", ".join(f"{d} {p:.0%}" for d, p in t.weights.items())
    out.append(
        f'<p class="note">Every strategy plays the same {t.seeds} seeds against each North Korean doctrine '
        f"({len(t.doctrines) * t.seeds} games each); the mean is weighted by the doctrines' priors ({_e(weights)}). "
        "Students' strategies were copied from their notebooks' text and run only in sandbox subprocesses "
        "(time and memory limits); grey rows are the kit's reference strategies, as baselines.</p>"
    )
    board = t.leaderboard
    if board:
        out.append(_img(plots.leaderboard_bars([e.name for e in board], [e.mean for e in board],
                                               [e.ci95 for e in board], [e.reference for e in board],
                                               "class tournament"), "leaderboard"))  # fmt: skip
    headers = ["#", "strategy", "", "mean score", "95% ±", *t.doctrines, "war", "breakout"]
    rows = [
        (n, e.name, "reference" if e.reference else "student", f"{e.mean:.1f}", f"{e.ci95:.1f}",
         *(f"{e.by_doctrine.get(d, float('nan')):.1f}" for d in t.doctrines),
         f"{e.outcomes.get('war', 0.0):.0%}", f"{e.outcomes.get('breakout', 0.0):.0%}")
        for n, e in enumerate(board, start=1)
    ]  # fmt: skip
    numeric = (0, *range(3, len(headers)))
    out.append(_table(headers, rows, ["reference" if e.reference else "" for e in board], numeric=numeric))
    if w.from_submitted:
        who = _e(", ".join(w.from_submitted))
        out.append(f'<p class="note">Strategies read from submitted/ (no autograded notebook yet): {who}.</p>')
    out.append(f'<h3 id="not-ranked">Strategies not ranked ({len(t.failures)})</h3>')
    if t.failures:
        out.append(_table(["student", "reason"], [(f.student, f.reason) for f in t.failures]))
    else:
        out.append('<p class="ok">Every submitted strategy played every game.</p>')
    return "\n".join(out)


def render(report: Report) -> str:
    """The whole page."""
    sections = [_assignment(a) for a in report.assignments]
    if report.wargame:
        sections.append(_wargame(report.wargame))
    toc = "".join(f'<li><a href="#{_e(a.name)}">{_e(a.name)}</a></li>' for a in report.assignments)
    if report.wargame:
        toc += '<li><a href="#wargame">crisis games and tournament</a></li>'
    problems = report.problems()
    attention = (
        f"<p>{len(problems)} item(s) need attention: see the tables marked below.</p>"
        if problems else '<p class="ok">Nothing failed: every submission was graded, every log and strategy read.</p>'
    )  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Class report: {_e(report.course_id)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>Class report: {_e(report.course_id)}</h1>
<p class="note">Made {_e(report.generated)} by <code>pact-course report</code> from the gradebook and files in
{_e(report.root)}. Scores are nbgrader's (autograde plus manual grades); the game numbers are illustrative.</p>
{attention}
<ul>{toc}</ul>
{"".join(sections)}
</body>
</html>
"""
