"""What a person sees: JupyterLab in a real browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import shutil

import pytest

from .browser import CHROMIUM, FLAGS, chromium_missing_reason, in_ci, open_notebook, run_all
from .conftest import ROOT
from .lab import running_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ROOT / "test-output" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    reason = chromium_missing_reason()
    if reason:
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory):
    """A copy of the course for the server, so a browser run never writes into the repository."""
    where = tmp_path_factory.mktemp("lab-course")
    shutil.copy(ROOT / "START_HERE.ipynb", where / "START_HERE.ipynb")
    return where


@pytest.fixture(scope="module")
def lab(course_copy, tmp_path_factory):
    with running_lab(course_copy, tmp_path_factory.mktemp("lab-runtime")) as lab:
        yield lab


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_start_page_runs_in_jupyterlab(page, lab):
    open_notebook(page, lab, "START_HERE.ipynb")
    run_all(page)
    output = page.locator(".jp-OutputArea-output").first
    output.wait_for(timeout=30_000)
    assert "is ready" in output.inner_text()
    # News notifications are off for the class (jupyter/overrides.json, installed by make): no toast asks.
    page.wait_for_timeout(1500)
    assert page.get_by_text("official Jupyter news").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "start-page.png"))
