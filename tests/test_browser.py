"""What a person sees: JupyterLab in a real browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import os
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tests.browser import CHROMIUM, FLAGS, chromium_missing_reason, in_ci, open_notebook, run_all
from tests.conftest import ROOT
from tests.lab import running_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

SHOTS = ROOT / "test-output" / "screenshots"
SLOW = 90_000  # ms: generous, for a loaded 2-core CI machine; a pass is usually seconds
# `UPDATE_SCREENSHOTS=1 make test ARGS="-m browser"` refreshes the pictures the README shows.
DOC_SHOTS = ROOT / "docs" / "images"

WIDGET_CELLS = {
    "reader": "from course.widgets import Reader\nReader()",
    "payoff-explorer": "from course.widgets import PayoffExplorer\nPayoffExplorer('chicken')",
    "claim-sorter": "from course.widgets import ClaimSorter\nClaimSorter()",
    "crisis-board": "from course.widgets import CrisisBoard\nCrisisBoard(seed=3)",
}


def _shoot(locator, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(SHOTS / f"{name}.png"))
    if os.environ.get("UPDATE_SCREENSHOTS"):
        DOC_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(SHOTS / f"{name}.png", DOC_SHOTS / f"{name}.png")


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
def lab_folder(tmp_path_factory):
    """The folder the server shows (START_HERE and a notebook of widgets), so a browser run never writes into
    the repository."""
    where = tmp_path_factory.mktemp("lab-course")
    shutil.copy(ROOT / "START_HERE.ipynb", where / "START_HERE.ipynb")
    nb = new_notebook(cells=[new_markdown_cell("# Widgets under test")])
    nb.cells += [new_code_cell(src, metadata={"tags": [name]}) for name, src in WIDGET_CELLS.items()]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, where / "widgets.ipynb")
    return where


@pytest.fixture(scope="module")
def lab(lab_folder, tmp_path_factory):
    with running_lab(lab_folder, tmp_path_factory.mktemp("lab-runtime")) as lab:
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
    output.wait_for(timeout=SLOW)
    assert "is ready" in output.inner_text()
    # News notifications are off for the class (jupyter/overrides.json, installed by make): no toast asks.
    page.wait_for_timeout(1500)
    assert page.get_by_text("official Jupyter news").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "start-page.png"))


def _output_of(page, index: int):
    """The output area of the code cell at ``index`` (0-based among all cells)."""
    return page.locator(".jp-NotebookPanel:visible .jp-Cell").nth(index).locator(".jp-OutputArea-output")


def test_widgets_render_and_respond_in_jupyterlab(page, lab):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1280, "height": 1400})
    open_notebook(page, lab, "widgets.ipynb")
    run_all(page)
    reader = _output_of(page, 1)
    reader.locator(".widget-html").first.wait_for(timeout=SLOW)
    assert "p1" in reader.inner_text() and "Summary:" in reader.inner_text()
    # Search from the keyboard: type, then Enter (the box updates on Enter or blur).
    box = reader.locator("input[type=text]")
    box.fill("armed aggression")
    box.press("Enter")
    expect(reader).to_contain_text("paragraph(s) mention", timeout=SLOW)
    _shoot(reader, "reader")

    explorer = _output_of(page, 2)
    assert "probability 1/10" in explorer.inner_text()
    handle = explorer.locator(".noUi-handle").first
    handle.focus()  # keyboard reachable: arrow keys move the slider
    for _ in range(12):
        handle.press("ArrowLeft")
    expect(explorer).not_to_contain_text("probability 1/10", timeout=SLOW)
    assert "Stand firm with probability" in explorer.inner_text()
    _shoot(explorer, "payoff-explorer")

    sorter = _output_of(page, 3)
    sorter.locator("select").first.select_option("recommendation")
    sorter.get_by_role("button", name="Check my tags").click()
    expect(sorter).to_contain_text("of your tags agree", timeout=SLOW)
    _shoot(sorter, "claim-sorter")

    board = _output_of(page, 4)
    status = board.get_by_text("Turn 1 of at most")
    status.wait_for(timeout=SLOW)
    gauges = board.locator(".pact-gauges").inner_text()
    board.get_by_role("button", name="Coordinate", exact=False).first.click()
    expect(board).to_contain_text("Turn 2 of at most", timeout=SLOW)
    assert board.locator(".pact-gauges").inner_text() != gauges
    assert (lab.root / "decision-log-04-crisis-wargame.json").exists()
    _shoot(board, "crisis-board")
