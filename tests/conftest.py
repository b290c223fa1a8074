"""Shared fixtures and settings for the whole suite.

Expensive course set-ups are session-scoped and read-only; a test that changes a course takes a copy.
With ``pytest -n 2 --dist loadgroup`` every xdist worker has its own session, so the tests sharing an
expensive module fixture carry one ``xdist_group`` mark and run on one worker.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ARTICLE = SHARED / "reading" / "pact-article.txt"

# tests/data holds submissions and generators of test data, not tests (nor doctests: --doctest-modules).
collect_ignore_glob = ["data/*"]

# Timing belongs in benchmarks/, not in tests: no deadlines, so a busy 2-core CI machine never flakes.
settings.register_profile("default", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("quick", deadline=None, max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The instructor's seed of hidden test cases (course.grading.seed): the suite keeps its own, fixed, in a folder of
# its own, so that no test reads or writes ~/.config and every run draws the same cases (subprocesses inherit it).
# A test that needs another seed points PACT_COURSE_SEED_DIR elsewhere itself.
TEST_SEED = "suite-seed-1"
_SEEDS = Path(tempfile.mkdtemp(prefix="pact-seeds-"))
(_SEEDS / "pact-course").write_text(TEST_SEED + "\n", encoding="utf-8")
os.environ["PACT_COURSE_SEED_DIR"] = str(_SEEDS)
atexit.register(shutil.rmtree, _SEEDS, True)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Stop a ``--dist loadgroup`` run whose xdist_group marks did not take (each worker would then repeat
    the expensive module fixtures): pytest-xdist tags a grouped test's id with ``@group`` on the worker."""
    if getattr(config.option, "loadgroup", False):
        lost = [item.nodeid for item in items if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
        if lost:
            raise pytest.UsageError(
                f"--dist loadgroup ignored the xdist_group mark of {lost[0]} and {len(lost) - 1} more: "
                "this pytest-xdist does not support this pytest (pyproject.toml pins pytest<9)"
            )


@pytest.fixture(scope="session")
def mini_course_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """The mini course (tests/data/mini-course) built by ``pact-course build`` with real nbgrader, once per
    session (about 15 s): the course folder and the command's result. Read it only; copy it to change it."""
    from tests.mini_course import MINI, build_command

    root = tmp_path_factory.mktemp("mini-course") / "course"
    shutil.copytree(MINI / "source", root / "source")
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    done = build_command(root)
    assert done.returncode == 0, done.stdout + done.stderr
    return root, done


@pytest.fixture(scope="session")
def mini_course(mini_course_build: tuple[Path, subprocess.CompletedProcess]) -> Path:
    """The built mini course, shared by every test of the session: read it, never change it."""
    return mini_course_build[0]


@pytest.fixture(scope="session")
def mini_course_copy(mini_course: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Makes a fresh copy of the built mini course (its nbgrader_config.py makes the copy its own root)."""

    def copy(name: str) -> Path:
        root = tmp_path_factory.mktemp(name) / "course"
        shutil.copytree(mini_course, root)
        return root

    return copy
