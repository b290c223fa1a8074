"""Keep a trusted process's memory from other processes of the same user: ``prctl(PR_SET_DUMPABLE, 0)``.

Why: the processes that grade (``pact-course grade`` and its workers) hold what a submission must not see —
the reference values of hidden tests, the instructor's source notebooks. Student code runs as the same
operating-system user (the kernel, the sandbox's child), and Linux lets a process read the memory of another
process of its user through ``/proc/<pid>/mem`` (or ``ptrace``) when that process is *dumpable*, unless Yama
restricts it (this machine has no Yama: a same-user child read a planted value from its parent). A
non-dumpable process's ``/proc/<pid>/mem``, ``environ`` and ``maps`` are closed to everyone without
``CAP_SYS_PTRACE`` (root keeps it: grade as an ordinary user). The flag is kept across ``fork`` and reset by
``execve`` of another program, so each trusted process sets it itself, first thing.

>>> make_undumpable() in (True, False)
True
"""

from __future__ import annotations

import sys

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3


def make_undumpable() -> bool:
    """Mark this process non-dumpable; ``True`` when it is now (``False`` off Linux or without libc)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        return libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
