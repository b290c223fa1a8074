"""Start a grading kernel under a memory cap, tied to the process that grades it.

Why: student code runs in the kernel nbgrader starts, and one ``[0] * 10**11`` must not take a
shared 2-core machine down. ``pact-course grade`` prefixes every kernel command with::

    python -m course.autograde.kernel_limits --memory-mb 4096 -- python -m ipykernel_launcher -f conn.json

which sets ``RLIMIT_AS`` (the address space; allocations beyond it fail with ``MemoryError`` in the
student's cell, the kernel survives), asks Linux to SIGKILL the kernel when its parent (the grading
worker) dies, so an interrupted or crashed run leaves no orphan kernels, and then ``exec``s the real
command, so the kernel keeps this process id and jupyter_client manages it as usual.

Stdlib only and no package imports: it runs once per graded notebook.

Measured on this machine (Python 3.11, ipykernel, course packages imported): a normal kernel's
address space peaks at about 0.8 GB (VmPeak; 13 threads, most of it reserved and never touched)
while its resident memory is about 55 MB. The default cap of 4 GiB is five times that peak.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys

DEFAULT_MEMORY_MB = 4096
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Best effort: Linux only; elsewhere the kernel is still stopped by jupyter_client."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def limit(memory_mb: int) -> None:
    """Cap this process's address space at ``memory_mb`` MiB (inherited across ``exec``)."""
    cap = int(memory_mb) * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def main(argv: list[str] | None = None) -> None:
    """``--memory-mb N -- CMD...``: apply the limits, then replace this process with CMD."""
    args = list(sys.argv[1:] if argv is None else argv)
    memory_mb = DEFAULT_MEMORY_MB
    if args[:1] == ["--memory-mb"]:
        memory_mb = int(args[1])
        args = args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        sys.exit("usage: python -m course.autograde.kernel_limits [--memory-mb N] -- COMMAND...")
    _die_with_parent()
    if memory_mb > 0:
        limit(memory_mb)
    os.execvp(args[0], args)


if __name__ == "__main__":
    main()
