"""Drive JupyterLab in Debian's chromium with Playwright (never a downloaded browser)."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_missing_reason() -> str | None:
    """Why the browser cannot start here, or None. In CI a missing browser is a failure, not a skip."""
    if not Path(CHROMIUM).exists():
        return f"Debian's chromium is not installed ({CHROMIUM}); `make test` installs it when run as root"
    return None


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's chromium, launched by Playwright with the flags above; a missing browser skips, and fails in CI."""
    import pytest
    from playwright.sync_api import sync_playwright

    reason = chromium_missing_reason()
    if reason:
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def open_notebook(page, lab, path: str) -> None:
    """Open ``path`` in JupyterLab and wait until its kernel is idle."""
    # ?reset starts from an empty workspace: only this notebook is open, whatever an earlier test opened.
    page.goto(lab.open_url(f"/lab/tree/{path}?reset"), wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
    page.wait_for_selector(".jp-NotebookPanel:visible .jp-Cell", timeout=60_000)
    wait_idle(page)


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait for the current notebook's kernel to exist and be idle (no cell queued or running)."""
    page.wait_for_function(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
            if (!k || k.status !== 'idle') return false;
            return document.querySelectorAll('.jp-Notebook .jp-InputPrompt').length > 0 &&
                   ![...document.querySelectorAll('.jp-Notebook .jp-InputPrompt')]
                       .some(p => p.textContent.includes('*'));
        }""",
        timeout=timeout,
    )


def run_all(page, timeout: float = 180_000) -> None:
    """Run every cell of the open notebook; wait until each code cell shows an execution count and the
    kernel is idle (a busy CI machine can pause between cells, so idle alone is not enough)."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        r"""() => {
            const panel = '.jp-NotebookPanel:not(.lm-mod-hidden) ';
            const prompts = [...document.querySelectorAll(panel + '.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\[\d+\]/.test(p.textContent));
        }""",
        timeout=timeout,
    )
    wait_idle(page, timeout)


def cell(page, index: int):
    """The cell at ``index`` (0-based among all cells) of the open notebook; JupyterLab leaves cells far out of
    view out of the page, so the n-th cell element is not always the n-th cell: each carries its index."""
    return page.locator(f'.jp-NotebookPanel:visible .jp-Cell[data-windowed-list-index="{index}"]')


def output_of(page, index: int):
    """The output area of the cell at ``index`` (0-based among all cells) of the open notebook."""
    return cell(page, index).locator(".jp-OutputArea-output")


def cell_kinds(page) -> list[str]:
    """Each cell of the open notebook as code, markdown or raw."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')]
                  .map(c => c.classList.contains('jp-CodeCell') ? 'code'
                          : c.classList.contains('jp-MarkdownCell') ? 'markdown' : 'raw')"""
    )


def run_cell(page, index: int) -> None:
    """Run one cell (by 0-based index) without touching the others, and wait until it has run."""
    page.evaluate(
        """async (i) => { const nb = window.jupyterapp.shell.currentWidget.content; nb.activeCellIndex = i;
                          await window.jupyterapp.commands.execute('notebook:run-cell'); }""",
        index,
    )
    wait_idle(page)


def scroll_to_cell(page, index: int) -> None:
    """Scroll the open notebook so that the cell at ``index`` starts at the top (JupyterLab renders cells
    far out of view lazily, so a widget's output there is not drawn until then)."""
    page.evaluate(
        "async (i) => { await window.jupyterapp.shell.currentWidget.content.scrollToItem(i, 'start'); }", index
    )


def kernel_output(page, code: str) -> str:
    """What ``code`` prints in the open notebook's kernel, run quietly beside the notebook (no cell added)."""
    return page.evaluate(
        """async (code) => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            const future = kernel.requestExecute({code, store_history: false});
            let text = '';
            future.onIOPub = msg => { if (msg.header.msg_type === 'stream') text += msg.content.text; };
            await future.done;
            return text;
        }""",
        code,
    )


def wait_for_kernel(page, code: str, expected: str, seconds: float = 60) -> str:
    """Until what ``code`` prints in the kernel contains ``expected`` (a widget sends its newest value only once
    the kernel has answered the one before, so the kernel can lag the page for a moment); its last output."""
    deadline = time.monotonic() + seconds
    while True:
        printed = kernel_output(page, code)
        if expected in printed or time.monotonic() > deadline:
            return printed
        page.wait_for_timeout(200)


def save(page) -> None:
    """Save the open notebook (as Ctrl+S does) and wait until the file is written."""
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=60_000)


def inside(page, locator) -> bool:
    """Whether the element is wholly inside the notebook's visible area as it is now (no scrolling): below
    the toolbar, above JupyterLab's status bar, within the window."""
    box = locator.bounding_box()
    area = page.locator(".jp-NotebookPanel:visible .jp-WindowedPanel-outer").bounding_box()
    return (
        box is not None
        and box["y"] >= area["y"]
        and box["y"] + box["height"] <= min(area["y"] + area["height"], page.viewport_size["height"])
        and box["x"] + box["width"] <= area["x"] + area["width"]
    )


def starts_inside(page, locator, shown: float = 200) -> bool:
    """Whether the element's first ``shown`` pixels (a debrief's heading, its explanation and the score) are
    inside the notebook's visible area as it is now: a long debrief may go on below, its start may not."""
    box = locator.bounding_box()
    area = page.locator(".jp-NotebookPanel:visible .jp-WindowedPanel-outer").bounding_box()
    bottom = min(area["y"] + area["height"], page.viewport_size["height"])
    return box is not None and area["y"] <= box["y"] and box["y"] + min(shown, box["height"]) <= bottom


def open_lab(page, lab) -> None:
    """JupyterLab with no document open, every plugin active and its commands registered."""
    page.goto(lab.open_url("/lab?reset"), wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
    page.evaluate("() => window.jupyterapp.restored")


# The open terminal's text, from xterm.js's buffer (the screen itself is drawn on a canvas).
TERMINAL_TEXT = """() => {
    const buffer = window.jupyterapp.shell.currentWidget.content._term.buffer.active;
    const lines = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
    return lines.join('\\n');
}"""


def terminal_run(page, command: str, timeout: float = 180_000) -> str:
    """Type ``command`` into a new JupyterLab terminal as a person would, wait until it has finished, and
    return the terminal's text (the command's exit status is printed last, as ``exit status N``)."""
    page.evaluate("() => window.jupyterapp.commands.execute('terminal:create-new')")
    screen = page.locator(".jp-Terminal .xterm").first
    screen.wait_for(timeout=60_000)
    screen.click()
    page.keyboard.type(f"{command}; echo exit status $?\n")
    page.wait_for_function(f"() => /exit status \\d+/.test(({TERMINAL_TEXT})())", timeout=timeout)
    return page.evaluate(TERMINAL_TEXT)
