"""`make lab` as a new student and a new instructor meet it (issue 12, items 2 and 7), in a real browser.

The server is started by the Makefile itself (`make lab-server`, the command `make lab` runs after its set-up
steps) in a fresh temporary copy of the course, from an environment whose PATH does not hold the venv's bin:
the shell of someone who never activated the venv.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from course.autograde.gradebook import repair_version_stamp
from tests.browser import chromium, open_notebook
from tests.conftest import ROOT
from tests.lab import Lab, free_port, wait_until_serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VENV = Path(sys.executable).parent.parent
SLOW = 90_000  # ms
SHOWN = ["START_HERE.ipynb", "exercises", "solutions", "docs"]
HIDDEN = ["source", "tests", "benchmarks", "course", "hub", "jupyter", "pact_course.egg-info"]


def _bare_env(runtime: Path) -> dict[str, str]:
    """This process's environment without the venv's bin on PATH and without the calling make's flags."""
    bin_dir = str(VENV / "bin")
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != bin_dir)
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VIRTUAL_ENV"}}
    return env | {"PATH": path or "/usr/bin:/bin", "JUPYTER_RUNTIME_DIR": str(runtime), "SHELL": "/bin/bash"}


@contextlib.contextmanager
def make_lab(root: Path, runtime: Path) -> Iterator[Lab]:
    """`make lab-server` on ``root`` with this venv, on a free port; stopped (its whole process group) after."""
    port, token = free_port(), secrets.token_hex(16)
    lab_args = " ".join(
        [
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.workspaces_dir={runtime / 'workspaces'}",
            f"--LabApp.user_settings_dir={runtime / 'settings'}",
        ]
    )
    cmd = ["make", "-s", "-f", str(ROOT / "Makefile"), "-C", str(root), "lab-server"]
    cmd += [f"VENV={VENV}", f"PORT={port}", f"LAB_ARGS={lab_args}"]
    log = (runtime / "lab.log").open("w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=_bare_env(runtime), start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}", token, root)
    try:
        wait_until_serving(lab, proc, log, runtime / "lab.log", "make lab-server")
        yield lab
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # make and the server it started (a session of its own)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def fresh_course(tmp_path_factory) -> Path:
    """A fresh clone as far as JupyterLab can tell: no gradebook, nothing built since the clone."""
    where = tmp_path_factory.mktemp("fresh-course")
    for name in ("START_HERE.ipynb", "nbgrader_config.py", "README.md"):
        shutil.copy(ROOT / name, where / name)
    for name in ("source", "exercises", "solutions", "docs"):
        shutil.copytree(ROOT / name, where / name)
    for name in HIDDEN[1:]:  # stand-ins: only their names matter
        (where / name).mkdir()
        (where / name / "placeholder.txt").write_text("hidden in make lab\n")
    return where


@pytest.fixture(scope="module")
def lab(fresh_course, tmp_path_factory):
    with make_lab(fresh_course, tmp_path_factory.mktemp("make-lab-runtime")) as lab:
        yield lab


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    yield page
    context.close()


def _open_lab(page, lab: Lab) -> None:
    page.goto(lab.open_url("/lab?reset"), wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=SLOW)
    page.evaluate("() => window.jupyterapp.restored")  # every plugin active, its commands registered


# The open terminal's text, from xterm.js's buffer (the screen itself is drawn on a canvas).
TERMINAL_TEXT = """() => {
    const buffer = window.jupyterapp.shell.currentWidget.content._term.buffer.active;
    const lines = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
    return lines.join('\\n');
}"""


def test_pact_course_check_runs_in_a_jupyterlab_terminal(page, lab, fresh_course):
    _open_lab(page, lab)
    page.evaluate("() => window.jupyterapp.commands.execute('terminal:create-new')")
    page.locator(".jp-Terminal .xterm").first.wait_for(timeout=SLOW)
    page.locator(".jp-Terminal .xterm").first.click()
    page.keyboard.type("command -v pact-course > where.txt; pact-course check --help | tee check-help.txt\n")
    page.wait_for_function(f"() => ({TERMINAL_TEXT})().includes('usage: pact-course check')", timeout=SLOW)
    text = page.evaluate(TERMINAL_TEXT)
    assert "command not found" not in text
    assert (fresh_course / "where.txt").read_text().strip() == str(VENV / "bin" / "pact-course")
    assert "usage: pact-course check" in (fresh_course / "check-help.txt").read_text()


def test_formgrader_lists_the_assignments_before_any_build(page, lab, fresh_course):
    from playwright.sync_api import expect

    assert not (fresh_course / "gradebook.db").exists()
    page.goto(lab.open_url("/formgrader"), wait_until="domcontentloaded")
    table = page.locator("#main-table")
    for aid in ("01-reading-the-pact", "05-policy-memo"):
        expect(table).to_contain_text(aid, timeout=SLOW)
    expect(page.get_by_text("Loading, please wait")).to_have_count(0, timeout=SLOW)
    expect(page.locator("#warning-exchange")).to_have_count(0)  # make lab's own exchange, not a missing one
    db_url = f"sqlite:///{fresh_course / 'gradebook.db'}"
    assert repair_version_stamp(db_url) is None  # created with its version stamp: alembic was found


def test_file_browser_shows_the_students_folders_and_hides_the_rest(page, lab):
    _open_lab(page, lab)
    page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:go-to-path', {path: '/'})")
    listing = page.locator(".jp-FileBrowser .jp-DirListing-content")
    listing.get_by_text("exercises", exact=True).wait_for(timeout=SLOW)
    names = listing.locator(".jp-DirListing-itemText").all_inner_texts()
    for name in SHOWN:
        assert name in names, f"{name} not shown: {names}"
    for name in HIDDEN:
        assert name not in names, f"{name} shown: {names}"
    status, _ = lab.get("/api/contents/source/01-reading-the-pact?content=0")
    assert status == 200  # hidden from the listing only: the formgrader's links into source/ still open


# Whether JupyterLab holds the open notebook as changed once its kernel has started and JupyterLab has written
# the kernel's kernelspec and language_info into it (the handlers that write them were attached to these
# promises before this function runs, so they have run when it reads the flag).
OPENED_CHANGED = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel.sessionContext.session.kernel;
    await kernel.info;
    await kernel.spec;
    await new Promise(resolve => setTimeout(resolve, 0));
    return {dirty: panel.context.model.dirty, tab: panel.title.className.includes('jp-mod-dirty')};
}"""


def test_notebooks_open_unchanged(page, lab, fresh_course):
    """Issue 12, item 7: a stripped ``language_info`` made every notebook "changed" the moment it opened."""
    paths = [
        "START_HERE.ipynb",
        *sorted(str(p.relative_to(fresh_course)) for p in fresh_course.glob("exercises/*/*.ipynb")),
    ]
    for path in paths:
        open_notebook(page, lab, path)
        assert page.evaluate(OPENED_CHANGED) == {"dirty": False, "tab": False}, f"{path} opens as changed"
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
