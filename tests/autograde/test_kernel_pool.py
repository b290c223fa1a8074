"""course.kernel_pool: a kernel started ahead is handed out only to a notebook that needs exactly it.

Real kernels (jupyter_client's AsyncKernelManager, ipykernel), as the grading workers start them.
"""

from __future__ import annotations

import os
import time

import pytest
from jupyter_client.manager import AsyncKernelManager

from course.autograde.kernel_pool import KernelPool, _alive, environment_digest

pytestmark = pytest.mark.nbgrader

ARGS = ["--HistoryManager.hist_file=:memory:"]


def _key(leaf: str = "00-demo") -> tuple:
    return ("python3", tuple(ARGS), leaf, environment_digest())


def _started(pool: KernelPool, key: tuple) -> object:
    warm = pool.start(AsyncKernelManager(kernel_name="python3"), key, key[2], ARGS)
    assert warm.folder.is_dir() and warm.folder.name == key[2] and not any(warm.folder.iterdir())
    return warm


def _wait_dead(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_the_warm_kernel_goes_to_a_notebook_with_the_same_key_only():
    pool = KernelPool()
    pool._next = first = _started(pool, _key())
    assert pool.take(_key()) is first and _alive(first.km)
    pool.dispose(first)
    assert not first.folder.parent.exists() and not first.km.has_kernel

    pool._next = second = _started(pool, _key())
    pid = second.km.provisioner.pid
    assert pool.take(_key("01-other")) is None  # another assignment's folder name: not this kernel
    assert _wait_dead(pid) and not second.folder.parent.exists()
    assert pool.take(_key()) is None  # and it is gone


def test_a_warm_kernel_started_before_the_environment_changed_is_not_used(monkeypatch):
    pool = KernelPool()
    pool._next = warm = _started(pool, _key())
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    assert pool.take(_key()) is None  # the key holds the environment the kernel inherited
    assert not warm.folder.parent.exists()


def test_a_warm_kernel_that_died_is_not_used():
    pool = KernelPool()
    pool._next = warm = _started(pool, _key())
    pid = warm.km.provisioner.pid
    os.kill(pid, 9)
    assert _wait_dead(pid)
    assert pool.take(_key()) is None
    assert not warm.folder.parent.exists()


def test_prepare_replaces_and_close_stops_the_warm_kernel():
    pool = KernelPool()
    pool.prepare(AsyncKernelManager(kernel_name="python3"), _key(), "00-demo", ARGS)
    first = pool._next
    pool.prepare(AsyncKernelManager(kernel_name="python3"), _key(), "00-demo", ARGS)
    second = pool._next
    assert second is not first and not first.folder.parent.exists()
    pid = second.km.provisioner.pid
    pool.close()
    assert pool._next is None and _wait_dead(pid) and not second.folder.parent.exists()
