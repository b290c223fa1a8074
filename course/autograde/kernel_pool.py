"""The next submission's kernel, started while the current one is graded.

Why: a grading worker spends about 0.6 s per notebook waiting for a new kernel to boot (Python, ipykernel,
zmq) and 0.1-0.3 s (once 2.9 s) waiting for it to shut down gracefully: time in which that worker does
nothing (timed around nbclient's kernel start and clean-up while grading ``benchmarks/grading.py``'s class,
04-crisis-wargame). nbgrader starts each
notebook's kernel on demand, and nbclient lets the caller pass a kernel manager whose kernel is already
running; so each worker keeps one kernel booting for the next notebook while it grades this one, and kills
a kernel once its notebook's outputs are in instead of asking it to shut down.

Why this cannot change a grade: a warm kernel is the same fresh process nbgrader would start, from the same
kernel manager class (the memory cap of ``course.autograde.kernel_limits`` included), kernel spec, command-line
arguments and environment (``NBGRADER_EXECUTION=autograde`` included), in an empty working folder into
which the submission's files are copied before its first cell runs; it has run no code. Only the moment it
started differs. ``Warm.key`` holds everything the start depends on; a warm kernel whose key differs from
the one the notebook needs, or which is no longer alive, is discarded, and a kernel is started for the
notebook there and then. Killing a kernel after the last cell's outputs arrived loses nothing: nbclient has
already waited for each cell's reply and its outputs.

Used by ``course.autograde.nbgrader_plugins.TracingExecute`` when ``warm_kernels`` is on, which ``pact-course grade``
sets and nbgrader_config.py does not: a serial ``nbgrader autograde`` starts kernels as nbgrader does.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Warm:
    """A started kernel waiting for its notebook: its manager, what it was started with, and its folder."""

    km: Any
    key: tuple
    folder: Path  # the kernel's working directory, <temporary>/<assignment>: empty until the notebook comes


def environment_digest() -> str:
    """A digest of this process's environment: a kernel inherits it when it starts."""
    text = "\0".join(f"{k}={v}" for k, v in sorted(os.environ.items()))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _run(coroutine_function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one of jupyter_client's async methods on the thread's loop, as nbclient does."""
    from jupyter_core.utils import run_sync

    return run_sync(coroutine_function)(*args, **kwargs)


class KernelPool:
    """At most one warm kernel per process (one grading worker grades one notebook at a time)."""

    def __init__(self) -> None:
        self._next: Warm | None = None
        atexit.register(self.close)

    def start(self, km: Any, key: tuple, leaf: str, arguments: list[str]) -> Warm:
        """Start ``km``'s kernel now, in a new empty folder named ``leaf``; return without waiting for it to boot."""
        base = Path(tempfile.mkdtemp(prefix="pact-run-"))
        folder = base / leaf
        folder.mkdir()
        try:
            _run(km.start_kernel, extra_arguments=list(arguments), cwd=str(folder))
        except BaseException:
            shutil.rmtree(base, ignore_errors=True)
            raise
        return Warm(km, key, folder)

    def take(self, key: tuple) -> Warm | None:
        """The warm kernel if it was started exactly as ``key`` says and is still alive; else None."""
        warm, self._next = self._next, None
        if warm is None:
            return None
        if warm.key == key and _alive(warm.km):
            return warm
        self.dispose(warm)
        return None

    def prepare(self, km: Any, key: tuple, leaf: str, arguments: list[str]) -> None:
        """Start the kernel for the next notebook (best effort: if it fails, that notebook starts its own)."""
        if self._next is not None:
            self.dispose(self._next)
            self._next = None
        try:
            self._next = self.start(km, key, leaf, arguments)
        except Exception:  # noqa: BLE001 - the next notebook will start a kernel itself and report any failure
            self._next = None

    @staticmethod
    def dispose(warm: Warm, client: Any = None) -> None:
        """Stop a kernel at once (its notebook's outputs are in, or it was never used) and remove its folder."""
        try:
            if client is not None:
                client.stop_channels()
            if warm.km.has_kernel:
                _run(warm.km.shutdown_kernel, now=True)
        except Exception:  # noqa: BLE001 - a kernel that is already gone is what we want
            pass
        finally:
            shutil.rmtree(warm.folder.parent, ignore_errors=True)

    def pids(self) -> list[int]:
        """The process id of the warm kernel (or of the bubblewrap around it), if there is one."""
        pid = getattr(getattr(self._next.km, "provisioner", None), "pid", None) if self._next is not None else None
        return [pid] if isinstance(pid, int) else []

    def close(self) -> None:
        """Stop the warm kernel, if any (the worker is leaving)."""
        if self._next is not None:
            warm, self._next = self._next, None
            self.dispose(warm)


def _alive(km: Any) -> bool:
    try:
        return bool(km.has_kernel and _run(km.is_alive))
    except Exception:  # noqa: BLE001 - cannot tell: treat as dead
        return False


POOL = KernelPool()
