"""Nothing a submission starts outlives its grading: the grading process adopts and then ends it.

Why: a submission once started a process in a new session that outlived its kernel, and after ``pact-course
grade`` had reported 0/36 the process rewrote that student's grades in the gradebook (issue 15). Under
bubblewrap (``course.sandbox.jail``) the kernel's PID namespace ends such a process when the kernel ends.
Without it (the fallback), this module does the same job from the outside:

- :func:`become_subreaper` makes the grading process a *child subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``):
  a process that leaves its parent behind — a double fork, ``setsid``, a daemon — is re-parented to the grading
  process instead of to init, so it stays among the grader's descendants;
- :func:`reap`, called when a notebook's last cell has run, before its kernel is stopped, and again after, and
  always *before* nbgrader writes the gradebook (``course.autograde.nbgrader_plugins.TracingExecute``), stops
  and then kills every descendant started since the notebook began (the kernel too, when it was), except the
  kernel kept for the next notebook (``course.autograde.kernel_pool``), and collects them. Stopping all first
  matters: a process that waits for its kernel's end to act would otherwise act in the moment between.

So the gradebook is written by the trusted process alone, after the submission's processes are gone.
Linux only (``/proc``, ``prctl``); elsewhere both are no-ops.

>>> become_subreaper() in (True, False)
True
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterable

PR_SET_CHILD_SUBREAPER = 36
PR_GET_CHILD_SUBREAPER = 37
ROUNDS = 20  # a process that forks while being killed re-parents to us: look again, this many times at most


def become_subreaper() -> bool:
    """Adopt this process's orphaned descendants; ``True`` when it now does (Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        flag = ctypes.c_int(0)
        libc.prctl(PR_GET_CHILD_SUBREAPER, ctypes.byref(flag), 0, 0, 0)
        return flag.value == 1
    except (OSError, AttributeError):
        return False


def _parents() -> dict[int, tuple[int, bool]]:
    """Every visible process's parent and whether it has ended (a zombie), from ``/proc/<pid>/stat`` (the
    fields after the command's name)."""
    found: dict[int, tuple[int, bool]] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return found
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            found[int(name)] = (int(fields[1]), fields[0] == b"Z")
        except (OSError, IndexError, ValueError):
            continue  # it ended while we looked
    return found


def descendants(pid: int | None = None) -> set[int]:
    """The processes below ``pid`` (this process by default), at this moment; ended ones (zombies) only when
    they are this process's to collect."""
    top = os.getpid() if pid is None else pid
    children: dict[int, list[int]] = {}
    for child, (parent, ended) in _parents().items():
        if not ended or parent == os.getpid():
            children.setdefault(parent, []).append(child)
    found: set[int] = set()
    todo = list(children.get(top, []))
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def reap(before: Iterable[int] = (), keep: Iterable[int] = ()) -> list[int]:
    """Kill (SIGKILL) this process's descendants except those in ``before`` (alive before the submission began)
    and the subtrees of ``keep``; collect those that are its children. Returns the killed process ids."""
    spared = set(before)
    killed: list[int] = []
    for _ in range(ROUNDS):
        kept = set(keep)
        for pid in keep:
            kept |= descendants(pid)
        targets = sorted(descendants() - spared - kept)
        if not targets:
            break
        # Stop them all first, then kill: a process waiting for another one's end (its kernel's) to act never
        # sees that end while it can still run.
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid in targets:
                try:
                    os.kill(pid, sig)
                except (ProcessLookupError, PermissionError):
                    continue
                if sig == signal.SIGKILL:
                    killed.append(pid)
        for pid in targets:
            try:
                os.waitpid(pid, 0)  # ours (a child, or adopted): collect it, so it is gone, not a zombie
            except ChildProcessError:
                pass  # another's child: its parent, killed too, leaves it to us; the next round collects it
    return sorted(set(killed))
