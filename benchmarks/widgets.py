"""Crisis-board responsiveness: in-kernel click-to-view time, and time to first render in JupyterLab.

1. In a real IPython kernel (jupyter_client), build a CrisisBoard and time ``button.click()`` until the
   board's view is updated (the engine turn, the autosave and every re-rendered piece), over many clicks
   across fresh games. Prints the median and the 90th percentile. Target: median under 50 ms.
2. In Debian's chromium (Playwright) against a real JupyterLab: time from asking the notebook to run
   the board's cell to the gauges being visible, each run in a fresh notebook and kernel (the kit's imports
   included). Prints the median of a few runs.

    .venv/bin/python benchmarks/widgets.py [--clicks 200] [--renders 3] [--no-browser]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KERNEL_CODE = """
import json, tempfile, time
from course.widgets import CrisisBoard
folder = tempfile.mkdtemp()
times, seed = [], 0
board = CrisisBoard(seed=seed, folder=folder)
while len(times) < {clicks}:
    if board.game.over:
        seed += 1
        board.new_game(seed)
    action = board.game.actions[len(times) % len(board.game.actions)]
    start = time.perf_counter()
    board.buttons[action].click()
    times.append(time.perf_counter() - start)
print("RESULT" + json.dumps(times))
"""


def in_kernel(clicks: int) -> list[float]:
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=tempfile.mkdtemp())
    try:
        out: list[str] = []

        def grab(msg: dict) -> None:
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                raise RuntimeError("\n".join(msg["content"]["traceback"]))

        kc.execute_interactive(KERNEL_CODE.format(clicks=clicks), output_hook=grab, timeout=600)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    text = "".join(out)
    return json.loads(text[text.index("RESULT") + len("RESULT") :].strip())


def first_render(runs: int) -> list[float]:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, FLAGS, chromium_missing_reason, open_notebook, wait_idle
    from tests.lab import running_lab

    reason = chromium_missing_reason()
    if reason:
        raise SystemExit(reason)
    where = Path(tempfile.mkdtemp())
    nb = new_notebook(cells=[new_code_cell("from course.widgets import CrisisBoard\nCrisisBoard(seed=1)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for run in range(runs):  # a fresh notebook (and kernel) per run: the import cost is part of a first render
        nbformat.write(nb, where / f"board-{run}.ipynb")
    times = []
    with running_lab(where, Path(tempfile.mkdtemp())) as lab, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        for run in range(runs):
            page = browser.new_page(viewport={"width": 1280, "height": 1200})
            open_notebook(page, lab, f"board-{run}.ipynb")
            start = time.perf_counter()
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.locator(".jp-NotebookPanel:visible .pact-gauges").first.wait_for(timeout=60_000)
            times.append(time.perf_counter() - start)
            wait_idle(page)
            page.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=200)
    parser.add_argument("--renders", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    times = sorted(in_kernel(args.clicks))
    median, p90 = statistics.median(times), times[int(0.9 * (len(times) - 1))]
    print(
        f"click -> updated board, in a real kernel: median {1000 * median:.1f} ms, "
        f"90th percentile {1000 * p90:.1f} ms over {len(times)} clicks (target: median < 50 ms)"
    )
    if not args.no_browser:
        renders = first_render(args.renders)
        print(
            f"first render in JupyterLab (run cell -> gauges visible, a fresh kernel each run): "
            f"median {statistics.median(renders):.2f} s over {len(renders)} runs"
        )


if __name__ == "__main__":
    main()
