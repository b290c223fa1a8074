"""course.autograde.undumpable: a same-user child cannot read a planted value from a non-dumpable parent's memory.

Each case starts a fresh parent (so the test process itself is left as it was) that plants a random value,
optionally marks itself non-dumpable, and starts a child that reads the value's bytes through
``/proc/<parent>/mem``. Run as root, both start without capabilities (``setpriv``): grading runs as an ordinary
user, and a student's code has no ``CAP_SYS_PTRACE``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl and /proc are Linux's")

ROOT = Path(__file__).resolve().parents[2]
PARENT = r"""
import os, secrets, subprocess, sys
from course.autograde.undumpable import make_undumpable
secret = secrets.token_hex(16).encode()
address = id(secret) + sys.getsizeof(b"") - 1  # where a bytes object keeps its data (CPython)
if sys.argv[1] == "guard":
    assert make_undumpable()
child = [sys.executable, "-c", '''
import sys
pid, address, size = map(int, sys.argv[1:4])
try:
    with open(f"/proc/{pid}/mem", "rb") as mem:
        mem.seek(address)
        print("read", mem.read(size).decode("ascii", "replace"))
except OSError as err:
    print("refused", type(err).__name__)
''', str(os.getpid()), str(address), str(len(secret))]
out = subprocess.run(child, capture_output=True, text=True, check=True).stdout.strip()
print(out == "read " + secret.decode(), out.split()[0])
"""


def _attempt(guard: bool) -> tuple[bool, str]:
    drop = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.fail("running as root needs setpriv (util-linux) to drop the child's capabilities")
        drop = [setpriv, "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all"]
    args = [*drop, sys.executable, "-c", PARENT, "guard" if guard else "plain"]
    out = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, check=True, timeout=60).stdout.split()
    return out[0] == "True", out[1]


def test_a_same_user_child_reads_a_dumpable_parent_here():
    """The threat is real on this machine (no Yama restriction): the control case reads the planted value."""
    scope = Path("/proc/sys/kernel/yama/ptrace_scope")
    got, how = _attempt(guard=False)
    if not scope.exists() or scope.read_text().strip() == "0":
        assert got and how == "read"
    else:
        assert how in ("read", "refused")


def test_a_same_user_child_cannot_read_a_non_dumpable_parent():
    got, how = _attempt(guard=True)
    assert not got and how == "refused"
