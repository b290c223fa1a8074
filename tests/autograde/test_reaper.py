"""course.autograde.reaper: without the sandbox, what a submission leaves behind is adopted and ended."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from course.autograde import reaper

DAEMON = (
    "import os, time\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"
    "        open(os.sys.argv[1], 'w').write(str(os.getpid()))\n"
    "        time.sleep(600)\n"
    "    os._exit(0)\n"
    "os.wait()\n"
)


def test_a_daemon_comes_back_to_the_subreaper_and_is_ended_but_what_is_kept_stays(tmp_path: Path) -> None:
    assert reaper.become_subreaper() is True
    before = reaper.descendants()
    kept = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    where = tmp_path / "pid"
    subprocess.run([sys.executable, "-c", DAEMON, str(where)], timeout=60, check=True)
    while not where.exists() or not where.read_text():  # written by the grandchild, after its parents left
        pass
    daemon = int(where.read_text())
    try:
        assert daemon in reaper.descendants()  # its parents are gone: re-parented here, not to init
        killed = reaper.reap(before, keep=[kept.pid])
        assert daemon in killed and kept.pid not in killed
        assert daemon not in reaper.descendants() and kept.poll() is None
        assert reaper.descendants() - before == {kept.pid}
    finally:
        kept.kill()
        kept.wait()
