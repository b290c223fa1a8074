"""Serial `nbgrader autograde` against `pact-course grade --jobs 2`, on the same synthetic class, in one run.

Makes N submissions of an assignment (default 40 of 04-crisis-wargame): a third correct (the answer key in
solutions/, with the files beside it, such as the key's decision log), a third partly correct (the key with
one answer cell put back to the released exercise's, a different cell for each student), a third blank (the
released exercise as handed out). In 04-crisis-wargame the typed-moves cell put back still scores full
marks: the key's game is in the decision log handed in beside it, not in the cell.

Two fresh copies of the course get the same submissions; one is graded by nbgrader alone, serially, the
other by `pact-course grade --jobs J`; then every score in the two gradebooks is compared (each submission's
total and each graded cell's). Prints seconds in total and per submission for both, the speed-up, and the
floor: one kernel start plus executing the answer key once (nbclient, measured here, best of two), which is
what one submission costs at the very least.

Figures, never asserts: the machine is shared, so `uptime` is printed before each timed run. Serial times
vary by a quarter from run to run here: `--repeat R` makes R timed pairs, each on fresh copies of the class,
and prints medians (and each run's speed-up).

    .venv/bin/python benchmarks/grading.py [--submissions N] [--assignment ID] [--jobs J] [--repeat R] [--keep]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = "04-crisis-wargame"
FALLBACK = "02-games-of-deterrence"


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "uptime: not available"


def env() -> dict[str, str]:
    """The venv's bin on PATH: nbgrader's gradebook shells out to `alembic`."""
    return dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))


def run(args: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env(), capture_output=True, text=True)
    return time.perf_counter() - start, done


def choose(assignment: str) -> str:
    if (ROOT / "source" / assignment).is_dir():
        return assignment
    print(f"source/{assignment} does not exist (yet): benchmarking {FALLBACK} instead")
    return FALLBACK


def prepare(base: Path, assignment: str) -> Path:
    """A course with the assignment released (gradebook entry made) and its answer key beside it."""
    root = base / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(ROOT / "source" / assignment, root / "source" / assignment)
    _, done = run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"], root)
    if done.returncode:
        sys.exit(f"generate_assignment failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    key = ROOT / "solutions" / assignment
    if key.is_dir():  # the committed answer key, built by `pact-course build`
        shutil.copytree(key, root / "solutions" / assignment)
    else:
        _, done = run([sys.executable, "-m", "nbgrader", "generate_solution", assignment, "--force"], root)
        if done.returncode:
            sys.exit(f"generate_solution failed:\n{done.stderr[-2000:]}")
    return root


def _answer_ids(nb: dict) -> list[str]:
    """Grade ids of the code cells a student writes (solution cells), in notebook order."""
    return [
        meta["grade_id"]
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        and (meta := cell["metadata"].get("nbgrader", {})).get("solution")
        and meta.get("grade_id")
    ]


def _by_id(nb: dict) -> dict[str, dict]:
    return {
        c["metadata"]["nbgrader"]["grade_id"]: c
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade_id")
    }


def submit(root: Path, assignment: str, n: int) -> dict[str, int]:
    """N students: correct, partly correct and blank in turn. Returns how many of each."""
    key_dir, blank_dir = root / "solutions" / assignment, root / "exercises" / assignment
    kinds = {"correct": 0, "partly": 0, "blank": 0}
    for k in range(n):
        kind = ("correct", "partly", "blank")[k % 3]
        kinds[kind] += 1
        folder = root / "submitted" / f"s{k:03d}" / assignment
        shutil.copytree(blank_dir if kind == "blank" else key_dir, folder)
        if kind == "partly":
            for path in folder.glob("*.ipynb"):
                key = json.loads(path.read_text(encoding="utf-8"))
                blank = _by_id(json.loads((blank_dir / path.name).read_text(encoding="utf-8")))
                answers = [a for a in _answer_ids(key) if a in blank]
                if answers:
                    cell = _by_id(key)[answers[(k // 3) % len(answers)]]
                    cell["source"] = copy.deepcopy(blank[cell["metadata"]["nbgrader"]["grade_id"]]["source"])
                    cell["outputs"] = []
                path.write_text(json.dumps(key), encoding="utf-8")
    return kinds


def scores(root: Path, assignment: str) -> dict[str, tuple]:
    """Student -> (total, ((notebook, cell, auto, manual), ...)) from the gradebook."""
    from nbgrader.api import Gradebook

    from course.coursedir import course_id, db_url

    out = {}
    with Gradebook(db_url(root), course_id=course_id(root)) as gb:
        for sub in gb.find_assignment(assignment).submissions:
            cells = sorted((nb.name, g.name, g.auto_score, g.manual_score) for nb in sub.notebooks for g in nb.grades)
            out[sub.student.id] = (round(float(sub.score), 6), tuple(cells))
    return out


def floor(root: Path, assignment: str) -> float:
    """One kernel start plus one execution of the answer key, as nbgrader runs it (best of two)."""
    import nbformat
    from nbclient import NotebookClient

    best = float("inf")
    for _ in range(2):
        with tempfile.TemporaryDirectory(prefix="pact-floor-") as scratch:
            work = Path(scratch) / assignment
            shutil.copytree(root / "solutions" / assignment, work)
            os.environ["NBGRADER_EXECUTION"] = "autograde"  # the board writes nothing, as under nbgrader
            try:
                start = time.perf_counter()
                for path in sorted(work.glob("*.ipynb")):
                    nb = nbformat.read(path, as_version=4)
                    NotebookClient(
                        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(work)}}
                    ).execute()
                best = min(best, time.perf_counter() - start)
            finally:
                os.environ.pop("NBGRADER_EXECUTION", None)
    return best


def grade_both(pristine: Path, base: Path, assignment: str, jobs: int) -> tuple[float, float, list[str]]:
    """One timed pair on fresh copies of the same class: serial nbgrader, then pact-course grade.
    Returns both times and the students whose scores differ between the two gradebooks."""
    serial_root, parallel_root = base / "serial" / "course", base / "parallel" / "course"
    shutil.copytree(pristine, serial_root)
    shutil.copytree(pristine, parallel_root)  # the same released course, gradebook and submissions
    print(f"serial nbgrader autograde ... ({uptime()})", flush=True)
    t_serial, done = run([sys.executable, "-m", "nbgrader", "autograde", assignment], serial_root)
    if done.returncode:
        print(f"  nbgrader exited {done.returncode}: {done.stderr.strip().splitlines()[-1:]}")
    print(f"pact-course grade --jobs {jobs} ... ({uptime()})", flush=True)
    command = ["grade", assignment, "--jobs", str(jobs), "--root", str(parallel_root)]
    t_parallel, done = run([sys.executable, "-m", "course.cli", *command], parallel_root)
    if done.returncode:
        print(f"  pact-course grade exited {done.returncode}:\n{done.stdout[-1500:]}")
    # Its own account: how many were graded, and any graded twice (a lock or kernel start-up hiccup).
    tally = [line for line in done.stdout.splitlines() if line.startswith(f"{assignment}: ")]
    again = sum("graded again after" in line for line in done.stdout.splitlines())
    print(f"  {' '.join(tally)}; {again} graded again after a transient failure", flush=True)
    a, b = scores(serial_root, assignment), scores(parallel_root, assignment)
    differ = sorted(s for s in set(a) | set(b) if a.get(s) != b.get(s))
    for s in differ[:3]:
        print(f"  {s}: serial {a.get(s)}\n  {s}: parallel {b.get(s)}")
    verdict = f"DIFFER for {len(differ)} student(s)" if differ else f"agree on every score of all {len(a)}"
    print(f"  serial {t_serial:.1f} s, parallel {t_parallel:.1f} s: {t_serial / t_parallel:.2f}x; gradebooks {verdict}")
    shutil.rmtree(base, ignore_errors=True)
    return t_serial, t_parallel, differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", "-n", type=int, default=40)
    parser.add_argument("--assignment", default=DEFAULT)
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--repeat", "-r", type=int, default=1, help="timed pairs, each on fresh copies (medians)")
    parser.add_argument("--keep", action="store_true", help="keep the prepared course (its path is printed)")
    args = parser.parse_args()
    assignment = choose(args.assignment)
    n = args.submissions
    base = Path(tempfile.mkdtemp(prefix="pact-bench-grading-"))
    try:
        pristine = prepare(base / "pristine", assignment)
        kinds = submit(pristine, assignment, n)
        print(f"{n} submissions of {assignment}: {kinds['correct']} correct, {kinds['partly']} partly correct, "
              f"{kinds['blank']} blank; courses in {base}")  # fmt: skip
        pairs = []
        for r in range(args.repeat):
            print(f"run {r + 1} of {args.repeat}")
            pairs.append(grade_both(pristine, base / f"run-{r + 1}", assignment, args.jobs))
        print(f"floor ... ({uptime()})", flush=True)
        t_floor = floor(pristine, assignment)

        t_serial = statistics.median(p[0] for p in pairs)
        t_parallel = statistics.median(p[1] for p in pairs)
        what = f"median of {len(pairs)} runs" if len(pairs) > 1 else "one run"
        print()
        print(f"{what:34} {'total s':>9} {'s/submission':>13} {'x floor':>8}")
        print(f"{'serial nbgrader autograde':34} {t_serial:9.1f} {t_serial / n:13.2f} {t_serial / n / t_floor:8.2f}")
        label = f"pact-course grade --jobs {args.jobs}"
        print(f"{label:34} {t_parallel:9.1f} {t_parallel / n:13.2f} {t_parallel / n / t_floor:8.2f}")
        print(f"{'floor (kernel + answer key once)':34} {'':9} {t_floor:13.2f}")
        ratios = sorted(p[0] / p[1] for p in pairs)
        print(
            f"speed-up: {statistics.median(ratios):.2f}x"
            + (f" (runs: {', '.join(f'{x:.2f}' for x in ratios)})" if len(ratios) > 1 else "")
        )
        differ = sorted({s for p in pairs for s in p[2]})
        if differ:
            print(f"gradebooks DIFFER for {len(differ)} student(s): {', '.join(differ[:10])}")
        else:
            print(f"gradebooks agree in every run: every score of all {n} submissions (totals and each graded cell)")
        print(f"after: {uptime()}")
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
