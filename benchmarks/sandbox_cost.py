"""What bubblewrap costs a grading run: the same work with the sandbox on and off, medians.

Three figures, each measured alternately on and off (``PACT_COURSE_SANDBOX``) so that a change in the machine's
load falls on both:

- a sandbox child: one evaluation of a trivial function (``course.sandbox.runner.evaluate``: start, define,
  one case);
- a grading kernel: ``LimitedKernelManager`` start until the kernel answers (``wait_for_ready``), and its
  shutdown;
- a notebook: the answer key of 04-crisis-wargame executed by nbclient in a fresh kernel of that manager (what
  one submission costs a grading worker, without nbgrader's own steps), its strategy games in sandbox children.

Figures, never asserts: the machine is shared, so ``uptime`` is printed before and after.

    .venv/bin/python benchmarks/sandbox_cost.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from course.sandbox import jail

ROOT = Path(__file__).resolve().parent.parent
KEY = ROOT / "solutions" / "04-crisis-wargame"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def child() -> float:
    from course.sandbox.runner import evaluate

    start = time.perf_counter()
    assert evaluate("def f(x):\n    return x + 1\n", "f", [(1,)]).values == [2]
    return time.perf_counter() - start


def kernel() -> float:
    from jupyter_core.utils import run_sync

    from course.autograde.kernel_manager import LimitedKernelManager

    folder = Path(tempfile.mkdtemp(prefix="pact-bench-"))
    try:
        start = time.perf_counter()
        km = LimitedKernelManager(kernel_name="python3")
        run_sync(km.start_kernel)(cwd=str(folder))
        kc = km.client()
        kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=120)
        kc.stop_channels()
        run_sync(km.shutdown_kernel)(now=True)
        return time.perf_counter() - start
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def notebook() -> float:
    import nbformat
    from nbclient import NotebookClient

    from course.autograde.kernel_manager import LimitedKernelManager

    base = Path(tempfile.mkdtemp(prefix="pact-bench-"))
    work = base / "04-crisis-wargame"
    shutil.copytree(KEY, work)
    os.environ["NBGRADER_EXECUTION"] = "autograde"  # the board writes nothing, as under nbgrader
    try:
        start = time.perf_counter()
        for path in sorted(work.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            NotebookClient(
                nb, timeout=120, kernel_name="python3", kernel_manager_class=LimitedKernelManager,
                resources={"metadata": {"path": str(work)}},
            ).execute()  # fmt: skip
        return time.perf_counter() - start
    finally:
        os.environ.pop("NBGRADER_EXECUTION", None)
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.pop(jail.ENV, None)
    print(f"sandbox: {jail.describe()}")
    if not jail.status().confined:
        print("bubblewrap cannot run here: nothing to compare")
        return
    print(f"before: {uptime()}")
    rows = []
    for label, work, runs in (("sandbox child (trivial function)", child, args.runs * 4),
                              ("grading kernel (start, ready, stop)", kernel, args.runs),
                              ("04's answer key executed (one submission)", notebook, args.runs)):  # fmt: skip
        times: dict[str, list[float]] = {"on": [], "off": []}
        for _ in range(runs):
            for mode in ("on", "off"):
                if mode == "off":
                    os.environ[jail.ENV] = "off"
                else:
                    os.environ.pop(jail.ENV, None)
                times[mode].append(work())
        os.environ.pop(jail.ENV, None)
        on, off = statistics.median(times["on"]), statistics.median(times["off"])
        rows.append((label, runs, on, off))
    print(f"\n{'median of runs, seconds':44} {'runs':>5} {'sandbox':>9} {'without':>9} {'cost':>8}")
    for label, runs, on, off in rows:
        print(f"{label:44} {runs:5d} {on:9.3f} {off:9.3f} {on - off:+8.3f}")
    print(f"after: {uptime()}")


if __name__ == "__main__":
    main()
