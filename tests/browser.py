"""Drive JupyterLab in Debian's chromium with Playwright (never a downloaded browser)."""

from __future__ import annotations

import contextlib
import os
import shutil
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
