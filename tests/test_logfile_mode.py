"""Decision logs are saved with the mode any saved file gets (umask), so an instructor can read them (issue 12)."""

from __future__ import annotations

import os
import stat

import pytest

from course.engine import logfile
from course.engine.crisis import Crisis
from course.scenario.loader import load


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_save_gives_the_log_the_umask_mode_not_owner_only(tmp_path, monkeypatch, umask, mask, mode):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    umask(mask)
    game = Crisis(load("korean-peninsula-2024"), seed=1)
    path = logfile.log_path("04-crisis-wargame", tmp_path)
    assert logfile.save(game.log, path)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert logfile.save(game.log, path)  # replacing it keeps the mode, and leaves no temporary file
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
