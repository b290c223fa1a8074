"""What the sandbox tests share: the sandbox must be there, and a file in the grading user's home to hide.

As root (CI, this machine's ``make test``, which installs bubblewrap with apt-get) a test that needs bubblewrap
fails when it cannot run: a sandbox test that skips there would be a test step that runs nothing. Elsewhere (a
laptop without bubblewrap, a container without user namespaces) it skips, saying why.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from course.sandbox import jail


def require_sandbox() -> None:
    """Fail (as root) or skip (otherwise) unless bubblewrap confines processes on this machine."""
    found = jail.status()
    if found.confined:
        return
    if os.geteuid() == 0 and jail.mode() != "off":
        pytest.fail(f"bubblewrap must run here (root: `make test` installs it): {found.how}")
    pytest.skip(f"no sandbox here: {found.how}")


@contextmanager
def grader_config_file() -> Iterator[Path]:
    """A file in the grading user's home config folder (where an instructor keeps a seed), removed afterwards."""
    folder = Path.home() / ".config" / f"pact-course-test-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    path = folder / "seed"
    path.write_text("instructor secret", encoding="utf-8")
    try:
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)
