"""`pact-course grade` on the mini course: bad submissions, serial equivalence, re-grading, Ctrl-C.

The course is built once per session (``mini_course``, conftest.py) and copied per scenario; each scenario
grades once in a module-scoped fixture and many tests read the result (all on one xdist worker). Submissions
are made from the *released* notebook (tests/mini_course.py), so nbgrader's checksums are the real ones;
tests/data/submissions/ holds the files no release can produce (a cut-off notebook).
"""

from __future__ import annotations

import copy
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from course.autograde.build import nbgrader
from tests.conftest import ROOT
from tests.mini_course import ASSIGNMENT, answered, cell, cli, env, released, rows, submit

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow, pytest.mark.xdist_group("grade")]

BAD_FILES = ROOT / "tests" / "data" / "submissions"


def _deleted_test(nb: dict) -> dict:
    nb = answered(nb)
    nb["cells"] = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") != "test_double"]
    return nb


def _split(nb: dict) -> dict:
    nb = answered(nb)
    index = nb["cells"].index(cell(nb, "answer_double"))
    copied = copy.deepcopy(nb["cells"][index])
    copied["source"] = "print('the second half of my answer')"
    nb["cells"].insert(index + 1, copied)
    return nb


def _edited_lock(nb: dict) -> dict:
    nb = answered(nb, "    return 0")
    cell(nb, "test_double")["source"] = "assert True  # tests are for other people"
    return nb


def _flipped(nb: dict) -> dict:
    nb = answered(nb)
    cell(nb, "test_double")["metadata"]["nbgrader"]["grade"] = False
    return nb


# What the kernel looks like from inside: a warm kernel (started before its notebook, course.kernel_pool)
# must be the kernel nbgrader would have started.
PROBE = """
import os, resource
print('RLIMIT_AS', resource.getrlimit(resource.RLIMIT_AS)[0])
print('NBGRADER_EXECUTION', os.environ.get('NBGRADER_EXECUTION'))
print('FOLDER', os.path.basename(os.getcwd()), sorted(os.listdir('.')))
print('HISTORY', get_ipython().history_manager.hist_file)
"""

MAKERS: dict[str, Callable[[dict], dict]] = {
    "correct": answered,
    "fails-hidden": lambda nb: answered(nb, "    return abs(2 * x)"),
    "blank": copy.deepcopy,
    "deleted-test": _deleted_test,
    "split-cell": _split,
    "edited-lock": _edited_lock,
    "flipped-meta": _flipped,
    "endless-loop": lambda nb: answered(nb, "    while True:\n        pass"),
    "os-exit": lambda nb: answered(nb, extra="\nimport os\nos._exit(3)"),
    "segfault": lambda nb: answered(nb, extra="\nimport ctypes\nctypes.string_at(0)"),
    "floods-output": lambda nb: answered(nb, extra="\nfor i in range(50_000):\n    print(i)"),
    "memory-hog": lambda nb: answered(nb, extra="\nblob = bytearray(6 * 2**30)"),
    "probe-limit": lambda nb: answered(nb, extra=PROBE),
}


# --- a class full of bad submissions, graded once -----------------------------------------------


@pytest.fixture(scope="module")
def bad_class(mini_course_copy) -> tuple[Path, subprocess.CompletedProcess, dict[str, str]]:
    root = mini_course_copy("bad-class")
    given = released(root)
    for student, make in MAKERS.items():
        submit(root, student, make(given))
    submit(root, "cut-off", raw=(BAD_FILES / "truncated.ipynb").read_text())
    submit(root, "misnamed", answered(given), name="demo (1).ipynb")
    done = cli("grade", ASSIGNMENT, "--jobs", "2", "--timeout", "3", root=root)
    return root, done, rows(done.stdout)


EXPECT = {
    "correct": ("graded", "2/3", None),
    "fails-hidden": ("graded", "0/3", None),
    "blank": ("graded", "0/3", None),
    "deleted-test": ("graded", "0/3", "the test cell 'test_double' was deleted"),
    "split-cell": ("FAILED", "-", "graded cell 'answer_double' appears 2 times"),
    "edited-lock": ("graded", "0/3", "the locked cell 'test_double' was edited; nbgrader graded the original"),
    "flipped-meta": ("FAILED", "-", "grading settings of cell 'test_double' were changed"),
    "endless-loop": ("graded", "0/3", "'test_double' ran longer than 3 s and was stopped"),
    "os-exit": ("FAILED", "-", "kernel died while running cell 2 'answer_double'"),
    "segfault": ("FAILED", "-", "kernel died while running cell 2 'answer_double'"),
    "floods-output": ("graded", "2/3", "printed too much; its output was cut"),
    "memory-hog": ("graded", "2/3", "needed more than the 4096 MiB memory cap"),
    "probe-limit": ("graded", "2/3", None),
    "cut-off": ("FAILED", "-", "demo.ipynb is not valid JSON"),
    "misnamed": ("FAILED", "-", "found 'demo (1).ipynb': rename it to demo.ipynb"),
}


@pytest.mark.parametrize("student", sorted(EXPECT))
def test_grade_reports_each_submission_by_student(bad_class, student):
    _, _, table = bad_class
    status, score, words = EXPECT[student]
    row = table[student]
    assert row.split()[1] == status and row.split()[2] == score, row
    if words:
        assert words in " ".join(row.split()), row


def test_grade_exits_1_when_some_submission_failed_and_counts_them(bad_class):
    _, done, _ = bad_class
    assert done.returncode == 1, done.stderr
    assert f"{ASSIGNMENT}: 9 graded, 6 failed, 0 already graded, 0 interrupted" in done.stdout


def test_grade_shows_progress_as_plain_lines_when_not_a_terminal(bad_class):
    _, done, _ = bad_class
    lines = [x for x in done.stderr.splitlines() if x.startswith("grading:")]
    assert len(lines) == len(EXPECT)
    assert "\r" not in done.stderr
    assert lines[-1].startswith("grading: 9 done, 6 failed, 0 remaining of 15 |")


def test_grade_lists_who_needs_manual_grading(bad_class):
    _, done, _ = bad_class
    assert "needing manual grading (" in done.stdout and "correct" in done.stdout.split("needing manual")[1]


def test_grade_says_nbgraders_misleading_message_in_plain_words(bad_class):
    _, done, table = bad_class
    assert "old version of the nbgrader metadata format' message (#1083)" in " ".join(table["split-cell"].split())
    assert "Please **back up" not in done.stdout


def test_grade_runs_kernels_under_the_memory_cap_as_nbgrader_would(bad_class):
    root, _, _ = bad_class
    nb = json.loads((root / "autograded" / "probe-limit" / ASSIGNMENT / "demo.ipynb").read_text())
    text = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    assert f"RLIMIT_AS {4096 * 2**20}" in text
    assert "NBGRADER_EXECUTION autograde" in text
    assert f"FOLDER {ASSIGNMENT} ['demo.ipynb']" in text  # a run folder with the submission, outside the course
    assert "HISTORY :memory:" in text


def test_grade_keeps_the_flood_out_of_the_autograded_notebook(bad_class):
    root, _, _ = bad_class
    nb = json.loads((root / "autograded" / "floods-output" / ASSIGNMENT / "demo.ipynb").read_text())
    printed = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    assert printed.count("\n") <= 1001 and "Output truncated" in printed


def test_grade_leaves_no_kernel_running(bad_class):
    root, _, _ = bad_class
    assert _kernels_in(root) == []


def test_grade_salvage_grades_a_dying_submission_without_the_cell_and_says_so(bad_class):
    root, _, _ = bad_class
    done = cli("grade", ASSIGNMENT, "--student", "os-exit", "--salvage", "--timeout", "3", root=root)
    assert done.returncode == 0, done.stdout
    row = " ".join(rows(done.stdout)["os-exit"].split())
    assert row.startswith("os-exit graded 0/3 graded WITHOUT demo.ipynb cell 2 'answer_double'")
    assert "submitted/ is unchanged" in row
    assert "os._exit(3)" in (root / "submitted" / "os-exit" / ASSIGNMENT / "demo.ipynb").read_text()
    graded = (root / "autograded" / "os-exit" / ASSIGNMENT / "demo.ipynb").read_text()
    assert "this cell ended the Python kernel when graded" in graded


def _kernels_in(root: Path) -> list[str]:
    """Kernels left running and run folders left behind by grading ``root``: processes whose working
    directory is in the course or the run's temporary folder (kernels run in a ``pact-run-*`` folder
    there, including a kernel started ahead for the next notebook), and such folders still on disk."""
    places = (str(root / "autograded"), str(root.parent / "tmp"))
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/cwd").startswith(places):
                found.append(f"process {pid}")
        except OSError:
            continue
    return found + [str(p) for p in (root.parent / "tmp").rglob("pact-run-*")]


# --- serial nbgrader and pact-course grade give the same gradebook ------------------------------

CLASS = {
    "ada": "    return 2 * x",
    "bob": "    return abs(2 * x)",
    "cyd": "    return x + x",
    "dee": "    raise NotImplementedError()",
    "eve": "    return 2 * x if x > 0 else 0",
    "fay": "    return '2x'",
}


def _scores(root: Path) -> dict[str, tuple]:
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(root / "gradebook.db"), course_id="pact-course") as gb:
        out = {}
        for student in CLASS:
            sub = gb.find_submission(ASSIGNMENT, student)
            grades = sorted((g.name, g.auto_score, g.manual_score) for n in sub.notebooks for g in n.grades)
            out[student] = (sub.score, sub.max_score, sub.code_score, sub.written_score,
                            sub.needs_manual_grade, grades)  # fmt: skip
    return out


@pytest.fixture(scope="module")
def two_ways(mini_course_copy) -> tuple[Path, Path, subprocess.CompletedProcess]:
    serial = mini_course_copy("serial")
    for student, body in CLASS.items():
        submit(serial, student, answered(released(serial), body))
    parallel = mini_course_copy("parallel")
    shutil.copytree(serial / "submitted", parallel / "submitted")
    nbgrader(serial, "autograde", ASSIGNMENT)
    done = cli("grade", ASSIGNMENT, "--jobs", "2", root=parallel)
    assert done.returncode == 0, done.stdout + done.stderr
    return serial, parallel, done


def test_grade_in_parallel_writes_the_same_gradebook_as_serial_nbgrader(two_ways):
    serial, parallel, _ = two_ways
    expected = _scores(serial)
    assert _scores(parallel) == expected
    assert {s: v[0] for s, v in expected.items()} == {"ada": 2, "bob": 0, "cyd": 2, "dee": 0, "eve": 0, "fay": 0}


def test_grade_again_skips_students_already_graded(two_ways):
    _, parallel, _ = two_ways
    done = cli("grade", ASSIGNMENT, root=parallel)
    assert done.returncode == 0
    assert f"{ASSIGNMENT}: 0 graded, 0 failed, 6 already graded, 0 interrupted" in done.stdout


def test_grade_one_student_touches_only_that_student(two_ways):
    _, parallel, _ = two_ways
    before = _scores(parallel)
    stamps = {s: (parallel / "autograded" / s / ASSIGNMENT / "demo.ipynb").stat().st_mtime_ns for s in CLASS}
    time.sleep(0.05)
    submit(parallel, "bob", answered(released(parallel), "    return 2 * x"))  # a late fix
    done = cli("grade", ASSIGNMENT, "--student", "bob", root=parallel)
    assert done.returncode == 0, done.stdout
    after = _scores(parallel)
    assert after["bob"][0] == 2 and before["bob"][0] == 0
    for student in set(CLASS) - {"bob"}:
        assert after[student] == before[student]
        path = parallel / "autograded" / student / ASSIGNMENT / "demo.ipynb"
        assert path.stat().st_mtime_ns == stamps[student]


def test_grade_rejects_an_unknown_student_with_status_2(two_ways):
    _, parallel, _ = two_ways
    done = cli("grade", ASSIGNMENT, "--student", "nobody", root=parallel)
    assert done.returncode == 2 and "no submission of 00-demo from: nobody" in done.stderr


def test_grade_rejects_an_unknown_assignment_with_status_2(two_ways):
    _, parallel, _ = two_ways
    done = cli("grade", "99-none", root=parallel)
    assert done.returncode == 2 and "no released assignment exercises/99-none" in done.stderr


# --- Ctrl-C keeps finished students, and the next run resumes -----------------------------------
#
# Deterministic, whatever the machine's load: one submission blocks in its answer cell until the test
# lets it go, and Ctrl-C (SIGINT) is sent only once the test has seen the others finished (the progress
# lines) and the blocked one running (a file it writes in its run folder). Nothing is timed: the waits are
# bounded waits for those events, and the cell time limit is far beyond them. The gate lives in the kernel's
# own run folder: under bubblewrap that is the one place the kernel and the test both see.

QUICK = ("s0", "s1", "s2")
BLOCKED = "s3"
WAIT = 300  # seconds: at most, for an event that comes in a few seconds on an idle machine
# The blocked student's code after ``double``: makes a FIFO ``release`` in its run folder, says it runs (a file
# beside it), then reads the FIFO, which waits until someone opens it to write.
GATE = """
import os
os.mkfifo("release")
with open("running", "w") as flag:
    flag.write("running\\n")
open("release").read()
"""


def _gate(root: Path, name: str) -> list[Path]:
    """The blocked kernel's gate file ``name`` in its run folder (under the run's temporary folder)."""
    return sorted((root.parent / "tmp").glob(f"pact-grade-*/worker-*.tmp/pact-run-*/{ASSIGNMENT}/{name}"))


def _read_until(fd: int, text: str, deadline: float) -> str:
    """What arrives on ``fd`` until it holds ``text``, the writer closes it, or ``deadline`` passes."""
    seen = b""
    while text.encode() not in seen:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 65536) if ready else b""
        if not chunk:
            break
        seen += chunk
    return seen.decode(errors="replace")


def _release(root: Path) -> None:
    """Let a blocked cell go on (its read ends): only when the test stops without Ctrl-C doing it."""
    for fifo in _gate(root, "release"):
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # no reader left: the kernel is gone
            pass


def _wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether ``condition`` came true within ``seconds`` (checked every 50 ms)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _as_from_a_terminal() -> None:
    """Ctrl-C reaches the grader as it does from a terminal. A command started in the background by a
    non-interactive shell (`make test &`, some CI runners) inherits SIGINT ignored, and so would the grader."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="module")
def interrupted(mini_course_copy) -> tuple[Path, str, str, int]:
    root = mini_course_copy("interrupted")
    given = released(root)
    for student in QUICK:
        submit(root, student, answered(given))
    submit(root, BLOCKED, answered(given, extra=GATE))
    proc = subprocess.Popen(
        [sys.executable, "-m", "course.cli", "grade", ASSIGNMENT, "--jobs", "2", "--timeout", "3600",
         "--root", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0, env=env(root),
        preexec_fn=_as_from_a_terminal,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + WAIT
        seen = _read_until(proc.stderr.fileno(), f"grading: {len(QUICK)} done, 0 failed, 1 remaining", deadline)
        assert f"{len(QUICK)} done" in seen, f"the quick students did not finish: {seen}"
        running = _wait_until(lambda: any(p.read_text() == "running\n" for p in _gate(root, "running")), WAIT)
        assert running, "the blocked submission never ran"
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=WAIT)
    except BaseException:
        _release(root)
        proc.kill()
        proc.communicate()
        raise
    return root, out.decode(), seen + err.decode(), proc.returncode


def test_ctrl_c_stops_with_status_130_and_keeps_finished_students(interrupted):
    root, out, err, status = interrupted
    assert status == 130, out + err
    table = rows(out)
    assert {s: row.split()[1] for s, row in table.items()} == {**dict.fromkeys(QUICK, "graded"), BLOCKED: "INTERRUPTED"}
    assert "stopped by Ctrl-C" in table[BLOCKED]
    assert f"{ASSIGNMENT}: 3 graded, 0 failed, 0 already graded, 1 interrupted" in out
    for student in QUICK:
        assert (root / "autograded" / student / ASSIGNMENT / "demo.ipynb").exists()
    assert not (root / "autograded" / BLOCKED / ASSIGNMENT).exists()


def test_ctrl_c_leaves_no_kernel_running(interrupted):
    root, *_ = interrupted
    # The killed worker's kernel gets its own SIGKILL from the kernel (PR_SET_PDEATHSIG) a moment later.
    assert _wait_until(lambda: _kernels_in(root) == [], 30), _kernels_in(root)


def test_grade_after_ctrl_c_resumes_with_the_rest(interrupted):
    root, out, _, _ = interrupted
    finished = [s for s, row in rows(out).items() if row.split()[1] == "graded"]
    for student in set(rows(out)) - set(finished):  # the rest now get quick correct answers
        submit(root, student, answered(released(root)))
    done = cli("grade", ASSIGNMENT, "--timeout", "2", root=root)
    assert done.returncode == 0, done.stdout
    table = rows(done.stdout)
    assert sorted(s for s, row in table.items() if row.split()[1] == "skipped") == sorted(finished)
    assert all(row.split()[1] in ("graded", "skipped") for row in table.values())


# --- a gradebook that cannot be opened stops the run with one line, before any student --------------

UNREACHABLE = "postgresql+psycopg2://grader:SECRET@127.0.0.1:1/nowhere"


@pytest.fixture(scope="module")
def unreachable(mini_course_copy) -> Path:
    """A course whose db_url names a database that cannot be opened (no driver here, or no server on port 1)."""
    root = mini_course_copy("unreachable")
    submit(root, "ada", answered(released(root)))
    with (root / "nbgrader_config.py").open("a") as config:
        config.write(f"\nc.CourseDirectory.db_url = {UNREACHABLE!r}\n")
    return root


def test_grade_stops_with_status_2_when_the_gradebook_cannot_be_opened(unreachable):
    done = cli("grade", ASSIGNMENT, root=unreachable)
    assert done.returncode == 2, done.stdout + done.stderr
    message = done.stderr.strip().splitlines()[-1]
    assert message.startswith("grade: a grading process could not start: cannot open the gradebook ")
    assert "postgresql+psycopg2://grader:***@127.0.0.1:1/nowhere" in message and "SECRET" not in done.stderr
    assert "FAILED" not in done.stdout  # no student was marked failed for the database's sake


def test_export_stops_with_status_2_when_the_gradebook_cannot_be_opened(unreachable):
    done = cli("export", root=unreachable)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("export: cannot open the gradebook postgresql+psycopg2://grader:***@")
    assert len(done.stderr.strip().splitlines()) == 1 and "SECRET" not in done.stderr
