"""A class runs through a real JupyterHub: `hub/classroom.py up`, people logging in, nbgrader's exchange, grading.

What `make class` does, with this run's own class name, account prefix, port and exchange folder, so two suites can
run side by side; `classroom.py down` at the end, checked to leave no account or process behind. As root only
(it makes system accounts): elsewhere it skips, and in CI (as root) a skip would be a failure, so there it fails.

The transcript: the instructor builds and releases 01 and 04 in their course copy; three students log in with
their passwords; ben and cy work through their own servers' APIs (the calls the Assignments panel makes, and the
contents API that saving a notebook uses); ada does it in Debian's chromium, in the real Assignments panel; the
instructor collects, grades with `pact-course grade --jobs 2`, writes and releases feedback; students fetch it.
"""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser import chromium, chromium_missing_reason, in_ci

from .hub_client import (
    HUB,
    REPO,
    SYSTEM_PYTHON,
    Person,
    can_read,
    processes_of,
    run_as,
    until,
)

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.xdist_group("hub")]

A01, A04 = "01-reading-the-pact", "04-crisis-wargame"
ROSTER = [("ada", "Ada Lovelace"), ("ben", "Ben Okri"), ("cy", "Cy Twombly")]
SCREENSHOT = Path("/tmp/pact-hub-assignments-panel.png")


def _cannot_run_reason() -> str | None:
    if sys.platform != "linux" or os.geteuid() != 0:
        return "the hub test runs as root on Linux (it makes system accounts); CI runs it"
    if not Path(SYSTEM_PYTHON).exists() or shutil.which("npm") is None:
        return f"{SYSTEM_PYTHON} or npm is missing: `make test` as root installs them (make hub-system)"
    return chromium_missing_reason()


class Class:
    """A running class: its name, people, passwords and folders, from what `classroom.py up` wrote."""

    def __init__(self, name: str, info: dict, passwords: dict[str, str]) -> None:
        self.name, self.info, self.passwords = name, info, passwords
        self.base = f"http://127.0.0.1:{info['port']}"
        self.env = Path(info["env"])
        self.instructor = info["instructor"]
        self.students = {account.split("-", 1)[1]: account for account in info["students"]}
        self.course = Path(info["course"])
        self.exchange = Path(info["exchange"])

    def login(self, account: str) -> Person:
        return Person(self.base, account, self.passwords[account])

    def as_instructor(self, *cmd: str, timeout: float = 900) -> str:
        started = time.monotonic()
        done = run_as(self.instructor, self.env, *cmd, cwd=self.course, timeout=timeout)
        assert done.returncode == 0, (
            f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
        print(f"[hub test] {self.instructor}: {' '.join(cmd)}: {time.monotonic() - started:.1f} s", flush=True)
        return done.stdout + done.stderr


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    reason = _cannot_run_reason()
    if reason:
        if in_ci():
            pytest.fail(f"the hub test must run in CI: {reason}")
        pytest.skip(reason)
    token = secrets.token_hex(3)
    name, prefix = f"pytest-{token}", f"h{token}-"
    work = tmp_path_factory.mktemp("hub")
    roster = work / "roster.csv"
    roster.write_text("id,name\n" + "".join(f"{i},{n}\n" for i, n in ROSTER))
    env = subprocess.run([SYSTEM_PYTHON, str(HUB / "environment.py")], capture_output=True, text=True, timeout=1800)
    assert env.returncode == 0, env.stderr
    up = subprocess.run(
        [SYSTEM_PYTHON, str(HUB / "classroom.py"), "up", "--env", env.stdout.strip(), "--name", name]
        + ["--prefix", prefix, "--roster", str(roster), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    state = Path("/var/lib/pact-course-hub") / name
    try:
        assert up.returncode == 0, f"classroom.py up failed:\n{up.stdout}{up.stderr}"
        info = json.loads((state / "class.json").read_text())
        with open(Path("/var/lib/pact-course-hub") / f"{name}-passwords.csv", newline="") as fh:
            passwords = {row["account"]: row["password"] for row in csv.DictReader(fh)}
        yield Class(name, info, passwords)
    finally:
        accounts = [prefix + "instructor"] + [prefix + i for i, _ in ROSTER]
        down = subprocess.run(
            [SYSTEM_PYTHON, str(HUB / "classroom.py"), "down", "--name", name, "--archive-dir", str(work)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert down.returncode == 0, f"classroom.py down failed:\n{down.stdout}{down.stderr}"
        archive = re.search(r"archived in (\S+\.tar\.gz)", down.stdout)
        assert archive and Path(archive.group(1)).exists(), down.stdout
        leftovers = [a for a in accounts if subprocess.run(["id", a], capture_output=True).returncode == 0]
        assert not leftovers, f"accounts left behind: {leftovers}"
        assert not processes_of(accounts) and not state.exists()


def _scores(klass: Class, aid: str) -> dict[str, tuple[float, float]]:
    """Each graded student's autograded points and the most they could get, read from the instructor's gradebook."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{klass.course / 'gradebook.db'}", course_id="pact-course") as gb:
        for sub in gb.assignment_submissions(aid):
            grades = [g for nb in sub.notebooks for g in nb.grades if g.auto_score is not None]
            scores[sub.student.id] = (sum(g.auto_score for g in grades), sum(g.max_score for g in grades))
    return scores


def _write_answer_key(person: Person, aid: str) -> None:
    """Save the answer key's notebook and files into the fetched assignment, as JupyterLab's save would."""
    for path in sorted((REPO / "solutions" / aid).iterdir()):
        if path.suffix == ".ipynb":
            person.save(f"{aid}/{path.name}", json.loads(path.read_text()), "notebook")
        elif path.is_file():
            person.save(f"{aid}/{path.name}", path.read_text(), "file")


def _in_chromium(klass: Class, account: str, answer) -> None:
    """Log in through the hub's form and fetch and submit 01 in JupyterLab's Assignments panel."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{klass.base}/hub/login", wait_until="domcontentloaded")
        page.fill("#username_input", account)
        page.fill("#password_input", klass.passwords[account])
        page.click("#login_submit")
        page.wait_for_url(re.compile(rf"/user/{account}/lab"), timeout=240_000)
        nbgrader = page.get_by_role("menuitem", name="Nbgrader")
        nbgrader.wait_for(timeout=120_000)  # JupyterLab has loaded its extensions, nbgrader's among them
        nbgrader.click()
        menu = page.locator("#jp-mainmenu-nbgrader")
        menu.get_by_text("Assignment List").wait_for(timeout=30_000)
        assert "Formgrader" not in menu.inner_text(), "a student's Nbgrader menu offers the formgrader"
        menu.get_by_text("Assignment List").click()
        released = page.locator("#released_assignments_list .list_item", has_text=A01)
        released.wait_for(timeout=60_000)
        page.screenshot(path=str(SCREENSHOT))
        released.get_by_role("button", name="Fetch").click()
        fetched = page.locator("#fetched_assignments_list .list_item", has_text=A01).first
        fetched.wait_for(timeout=120_000)
        answer()
        fetched.get_by_role("button", name="Submit").click()
        page.locator("#submitted_assignments_list .list_item", has_text=A01).first.wait_for(timeout=120_000)


def test_a_class_runs_through_the_hub(klass):
    ada, ben, cy = (klass.students[s] for s in ("ada", "ben", "cy"))

    # The instructor builds both assignments in their course copy and releases them to the exchange.
    klass.as_instructor("pact-course", "build", A01, A04)
    for aid in (A01, A04):
        klass.as_instructor("nbgrader", "release_assignment", aid)

    # Students log in with their passwords and start their servers (the hub spawns them as their accounts).
    people = {account: klass.login(account) for account in (ben, cy)}
    for person in people.values():
        person.start()
    until(lambda: all(p.ready() for p in people.values()), 300, "ben's and cy's servers")
    for person in people.values():
        listed = {a["assignment_id"] for a in person.assignments()["value"] if a["status"] == "released"}
        assert {A01, A04} <= listed

    # ben answers both with the answer key; cy hands both in as fetched (nothing answered).
    for aid in (A01, A04):
        people[ben].act("fetch", aid)
        _write_answer_key(people[ben], aid)
        people[ben].act("submit", aid)
        people[cy].act("fetch", aid)
        people[cy].act("submit", aid)

    # ada works in chromium: the Assignments panel fetches and submits; her answers are saved as JupyterLab does.
    ada_api = klass.login(ada)  # her own token, for saving the answers and for reading her feedback later
    _in_chromium(klass, ada, lambda: _write_answer_key(ada_api, A01))

    # The instructor collects, grades, writes and releases feedback.
    for aid, expected in ((A01, {ada, ben, cy}), (A04, {ben, cy})):
        klass.as_instructor("nbgrader", "collect", aid)
        assert {p.name for p in (klass.course / "submitted").iterdir() if (p / aid).is_dir()} == expected
        graded = klass.as_instructor("pact-course", "grade", aid, "--jobs", "2")
        # The instructor's grading kernels run under bubblewrap (issue 15): the summary says so, never NONE.
        assert "sandbox: bubblewrap" in graded and "sandbox: NONE" not in graded, graded[-2000:]
        # Written answers wait for a person: feedback now is provisional, and each page says so.
        klass.as_instructor("pact-course", "feedback", aid, "--allow-pending")
        klass.as_instructor("nbgrader", "release_feedback", aid)

    scores = {aid: _scores(klass, aid) for aid in (A01, A04)}
    for aid, student in ((A01, ada), (A01, ben), (A04, ben)):
        got, most = scores[aid][student]
        assert most > 0 and got == most, f"{student} answered {aid} with the key and scored {got} of {most}"
    for aid in (A01, A04):
        assert scores[aid][cy][0] == 0, f"cy handed in {aid} unanswered and scored {scores[aid][cy][0]}"

    # Students fetch their feedback; no page shows a hidden test.
    from course.autograde.feedback import hidden_lines, leaks

    readers = {**people, ada: ada_api}
    for aid, students in ((A01, (ada, ben, cy)), (A04, (ben, cy))):
        secret = hidden_lines(klass.course, aid)
        assert secret, f"{aid} has no hidden-test lines to look for"
        for student in students:
            readers[student].act("fetch_feedback", aid)
            folders = readers[student].read(f"{aid}/feedback").json()["content"]
            assert len(folders) == 1, f"{student} {aid}: feedback folders {folders}"
            pages = readers[student].read(folders[0]["path"]).json()["content"]
            html = [p for p in pages if p["name"].endswith(".html")]
            assert html, f"{student} {aid}: no feedback page"
            for page in html:
                text = readers[student].read(page["path"]).json()["content"]
                assert "Score" in text or "score" in text
                assert not leaks(text, secret), f"{student}'s feedback on {aid} shows hidden tests"
                if aid == A01 and student != cy:  # written answers wait for a person (cy's blank ones score 0 at once)
                    assert "Provisional feedback." in text, f"{student}'s feedback on {aid} does not say so"


def test_students_cannot_read_the_course_the_gradebook_or_each_other(klass):
    ada, cy = klass.students["ada"], klass.students["cy"]
    ada_home = Path(f"/home/{ada}")
    (ada_home / "notes.txt").write_text("ada's own notes\n")
    shutil.chown(ada_home / "notes.txt", ada, ada)
    for path in (
        klass.course,
        klass.course / "gradebook.db",
        klass.course / "source" / A01,
        klass.course / "source" / A01 / "reading-the-pact.ipynb",
        ada_home,
        ada_home / "notes.txt",
        Path("/var/lib/pact-course-hub") / klass.name,
        Path("/var/lib/pact-course-hub") / f"{klass.name}-passwords.csv",
    ):
        assert not can_read(cy, path), f"cy can read {path}"
    assert can_read(ada, ada_home / "notes.txt")
    assert can_read(klass.instructor, Path("/var/lib/pact-course-hub") / f"{klass.name}-passwords.csv")
    # nbgrader's exchange: a student cannot list others' submissions, nor move the instructor's course folder.
    inbound = klass.exchange / "pact-course" / "inbound"
    if inbound.exists():
        assert not can_read(cy, inbound)
    moved = run_as(
        cy, klass.env, SYSTEM_PYTHON, "-c", "import os, sys; os.rename(sys.argv[1], sys.argv[1] + '-x')",
        str(klass.exchange / "pact-course"),
    )  # fmt: skip
    assert moved.returncode != 0, "a student renamed the instructor's course folder in the exchange"


def _disabled_extensions(person: Person) -> list[str]:
    """The lab extensions a person's JupyterLab page turns off (its page config, as the browser gets it)."""
    page = person.server("GET", "lab")
    assert page.status == 200, page.status
    data = re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page.body, re.S)
    assert data, "no page config in JupyterLab's page"
    return json.loads(data.group(1))["disabledExtensions"]


def test_only_the_instructor_reaches_the_formgrader(klass):
    cy = klass.login(klass.students["cy"])
    teacher = klass.login(klass.instructor)
    for person in (cy, teacher):
        person.start()
    until(lambda: cy.ready() and teacher.ready(), 300, "cy's and the instructor's servers")
    assert teacher.server("GET", "formgrader/api/assignments").status == 200
    instructor_only = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"}
    assert not instructor_only & set(_disabled_extensions(teacher))
    assert instructor_only <= set(_disabled_extensions(cy))
    assert cy.server("GET", "formgrader").status == 404  # not loaded in a student's server
    assert cy.server("GET", "formgrader/api/assignments").status == 404
    other = cy.call("GET", f"/user/{klass.instructor}/formgrader/api/assignments")
    assert other.status in (403, 404), f"a student reached the instructor's formgrader: {other.status}"
