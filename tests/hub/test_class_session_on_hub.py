"""A live class session on the class hub that `make class` stands up: the class service run by JupyterHub.

The transcript: `classroom.py up` starts the hub and, as a hub-managed service behind its proxy, the class service;
the instructor (in the `instructors` group) opens a session with two teams of two; ada and cy, each their team's
scribe, play from kernels on their own servers, where `CrisisBoard(session=...)` finds the service and their
server's token as a notebook would; ben and dee use their own hub tokens; ben cannot commit for the other team nor
reveal; ada's kernel restarts and her board rejoins; both teams play to the end; a student guesses; the instructor
logs in at the hub in Debian's chromium, opens the dashboard, and reveals with its button; ada's kernel then saves
her team's game in her home folder, where it replays; `classroom.py down` archives the service's sessions.
"""

from __future__ import annotations

import csv
import json
import re
import secrets
import subprocess
import tarfile
from pathlib import Path

import pytest

from course.classroom.client import ClassClient, ClassError
from course.engine import logfile
from course.engine.crisis import replay
from course.scenario.loader import load
from tests.browser import chromium, in_ci

from .hub_client import HUB, SYSTEM_PYTHON, until
from .kernel_client import Kernel
from .test_class_on_hub import Class, _cannot_run_reason

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.xdist_group("hub")]

ROSTER = [("ada", "Ada Lovelace"), ("ben", "Ben Okri"), ("cy", "Cy Twombly"), ("dee", "Dee Dee Bridgewater")]
STATE = Path("/var/lib/pact-course-hub")

PLAY_ON = """
from course.widgets import CrisisBoard
board = CrisisBoard(session={sid!r})
assert board.panel is not None, board.notice.value
while not board.panel.payload["over"]:
    board.buttons[board.panel.payload["actions"][0]].click()
    board.panel.commit_button.click()
    assert not board.panel.notice.value, board.panel.notice.value
print(board.panel.payload["turn"], board.panel.payload["outcome"])
"""


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    reason = _cannot_run_reason()
    if reason:
        if in_ci():
            pytest.fail(f"the hub test must run in CI: {reason}")
        pytest.skip(reason)
    token = secrets.token_hex(3)
    name, prefix = f"pytest-{token}", f"s{token}-"
    work = tmp_path_factory.mktemp("classhub")
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
    try:
        assert up.returncode == 0, f"classroom.py up failed:\n{up.stdout}{up.stderr}"
        info = json.loads((STATE / name / "class.json").read_text())
        with open(STATE / f"{name}-passwords.csv", newline="") as fh:
            passwords = {row["account"]: row["password"] for row in csv.DictReader(fh)}
        yield Class(name, info, passwords), work
    finally:
        down = subprocess.run(
            [SYSTEM_PYTHON, str(HUB / "classroom.py"), "down", "--name", name, "--archive-dir", str(work)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert down.returncode == 0, f"classroom.py down failed:\n{down.stdout}{down.stderr}"
        archive = re.search(r"archived in (\S+\.tar\.gz)", down.stdout)
        assert archive, down.stdout
        with tarfile.open(archive.group(1)) as tar:
            names = tar.getnames()
        assert "classroom/classroom.sqlite" in names and "classroom/events.jsonl" in names, names


def test_a_class_session_runs_through_the_hub(klass):
    klass, _work = klass
    url = f"{klass.base}/services/classroom/"
    until(lambda: _answers(url), 120, "the class service behind the hub's proxy")
    ada, ben, cy, dee = (klass.students[s] for s in ("ada", "ben", "cy", "dee"))
    people = {account: klass.login(account) for account in (klass.instructor, ada, ben, cy, dee)}
    clients = {account: ClassClient(url, person.token) for account, person in people.items()}

    teams = [{"name": "team-a", "members": [ada, ben]}, {"name": "team-b", "members": [cy, dee]}]
    with pytest.raises(ClassError) as err:
        clients[ben].open_session("korean-peninsula-2024", teams)
    assert err.value.status == 403
    room = clients[klass.instructor].open_session("korean-peninsula-2024", teams)
    sid = room["session"]
    assert len({t["doctrines"]["north-korea"] for t in room["teams"]}) == 2

    for account in (ada, cy):
        people[account].start()
    until(lambda: people[ada].ready() and people[cy].ready(), 300, "ada's and cy's servers")

    # ada's kernel: one turn through her board, with her server's token; then the kernel restarts and she rejoins.
    kernel = Kernel(people[ada])
    join = f"from course.widgets import CrisisBoard\nb = CrisisBoard(session={sid!r})\n"
    move = "b.buttons['coordinate-with-allies'].click()\nb.panel.commit_button.click()\n"
    assert kernel.run(join + move + "print(b.panel.payload['turn'])").strip() == "1"
    kernel.shut_down()
    kernel = Kernel(people[ada])
    assert kernel.run(join + "print(b.panel.payload['turn'])").strip() == "1"

    # ben, on ada's team, cannot commit for cy's team nor reveal; dee proposes on hers.
    for call in (
        lambda: clients[ben].commit(sid, "joint-exercises", 1, team="team-b"),
        lambda: clients[ben].reveal(sid),
    ):
        with pytest.raises(ClassError) as err:
            call()
        assert err.value.status == 403
    clients[dee].propose(sid, "talks-with-guarantees", 1)

    for account in (ada, cy):
        k = kernel if account == ada else Kernel(people[cy])
        turns, _outcome = k.run(PLAY_ON.format(sid=sid)).split()
        assert int(turns) >= 1
        if k is not kernel:
            k.shut_down()
    clients[ben].guess(sid, "resolved-hardliner", 0.6)
    assert "log" not in clients[ben].session(sid)
    _reveal_on_the_dashboard(klass, url, sid)
    assert clients[ben].session(sid)["revealed"]

    saved = kernel.run(join + "import os\nprint(sorted(f for f in os.listdir('.') if 'decision-log' in f))")
    assert "decision-log-04-crisis-wargame.1.json" in saved
    home = Path(f"/home/{ada}")
    game = replay(load("korean-peninsula-2024"), logfile.load(home / "decision-log-04-crisis-wargame.1.json"))
    assert game.over and list(game.moves) == [h["action"] for h in clients[ada].session(sid)["history"]]
    assert (home / "decision-log-04-crisis-wargame.1.json").stat().st_uid == Path(home).stat().st_uid
    kernel.shut_down()


def _reveal_on_the_dashboard(klass: Class, url: str, sid: str) -> None:
    """The instructor logs in through the hub's form (PAM) in chromium, the dashboard draws the room, and its
    button reveals every team's doctrine."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}dashboard/{sid}", wait_until="domcontentloaded")
        page.fill("#username_input", klass.instructor)
        page.fill("#password_input", klass.passwords[klass.instructor])
        page.click("#login_submit")
        page.wait_for_function("() => Number(document.body.dataset.drawn || 0) >= 1", timeout=120_000)
        assert page.locator("#teams tbody tr").count() == 2
        page.click("#reveal")
        page.wait_for_selector("#after:not([hidden])", timeout=30_000)
        page.screenshot(path="/tmp/pact-hub-class-dashboard.png", full_page=True)


def _answers(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url + "api/", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False
