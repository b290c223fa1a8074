"""`make lab` as a new student and a new instructor meet it (issue 12, items 2 and 7), in a real browser.

The server is started by the Makefile itself (`make lab-server`, the command `make lab` runs after its set-up
steps) in a fresh temporary copy of the course, from an environment whose PATH does not hold the venv's bin:
the shell of someone who never activated the venv. The first hour in that set-up, a terminal and the
formgrader included, is walked in tests/test_first_hour.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import chromium, open_lab, open_notebook
from tests.course_copy import fresh_clone
from tests.lab import make_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLOW = 90_000  # ms
SHOWN = ["START_HERE.ipynb", "exercises", "solutions", "docs"]
HIDDEN = ["source", "tests", "benchmarks", "course", "hub", "jupyter", "pact_course.egg-info"]


@pytest.fixture(scope="module")
def fresh_course(tmp_path_factory) -> Path:
    """A fresh clone as far as JupyterLab can tell: no gradebook, nothing built since the clone."""
    return fresh_clone(tmp_path_factory.mktemp("fresh-course"), stand_ins=HIDDEN[1:])


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


def test_file_browser_shows_the_students_folders_and_hides_the_rest(page, lab):
    open_lab(page, lab)
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
