"""The instructor's dashboard in Debian's chromium: logged in through the hub, it follows the room without reloading.

The instructor opens the dashboard's address, the hub asks them to log in (OAuth, as for any hub service), and the
page draws the session; a team commits a move from its kernel's client and the page shows it on its next poll; the
reveal button reveals every team's doctrine, and the page shows the endings by doctrine. A student is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course.classroom.client import ClassClient
from tests.browser import chromium

from .conftest import INSTRUCTOR

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.xdist_group("classroom")]

SHOTS = Path("/tmp/pact-class-dashboard")
TEAMS = [{"name": f"team-{x}", "members": [f"{x}1", f"{x}2"]} for x in "abcd"]


def log_in(page, base: str, name: str, target: str) -> None:
    page.goto(target, wait_until="domcontentloaded")
    page.wait_for_selector("#username_input", timeout=60_000)  # the hub's login form: the service sent us there
    page.fill("#username_input", name)
    page.fill("#password_input", "any")
    page.click("#login_submit")


def test_dashboard_follows_the_room_and_reveals(hub, service):
    boss = ClassClient(service.url, hub.token(INSTRUCTOR))
    sid = boss.open_session("korean-peninsula-2024", TEAMS)["session"]
    a1, b1 = (ClassClient(service.url, hub.token(n)) for n in ("a1", "b1"))
    a1.commit(sid, "joint-exercises", turn=1)
    SHOTS.mkdir(exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, service.public, INSTRUCTOR, f"{service.public}dashboard/{sid}")
        page.wait_for_function("() => Number(document.body.dataset.drawn || 0) >= 1", timeout=60_000)
        rows = page.locator("#teams tbody tr")
        assert rows.count() == 4 and "hidden" in rows.nth(0).inner_text()
        assert page.locator("#tension polyline").count() == 1  # team-a has played a turn
        drawn = int(page.evaluate("document.body.dataset.drawn"))
        for turn, action in enumerate(["talks-with-guarantees", "freeze-for-freeze"], start=1):
            b1.commit(sid, action, turn=turn)
        page.wait_for_function("() => document.querySelectorAll('#tension polyline').length === 2", timeout=30_000)
        assert int(page.evaluate("document.body.dataset.drawn")) > drawn  # redrawn by polling, never reloaded
        assert "100%" in page.locator("#stances").inner_text()
        page.screenshot(path=str(SHOTS / "mid-session.png"), full_page=True)

        page.click("#reveal")
        page.wait_for_selector("#after:not([hidden])", timeout=30_000)
        assert "hidden" not in page.locator("#teams").inner_text()
        assert boss.session(sid)["revealed"]
        page.screenshot(path=str(SHOTS / "after-reveal.png"), full_page=True)

        student = browser.new_page()
        log_in(student, service.public, "c1", f"{service.public}dashboard/{sid}")
        student.wait_for_selector("text=the dashboard is for instructors", timeout=60_000)
