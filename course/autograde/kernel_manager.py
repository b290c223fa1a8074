"""The kernel manager of every grading kernel: a memory cap, and bubblewrap where the machine allows.

Why a class of its own: nbclient starts each notebook's kernel through ``Execute.kernel_manager_class``, which
``pact-course grade`` (``course.autograde.worker.grading_config``) and the course's ``nbgrader_config.py`` (plain
``nbgrader autograde``, the formgrader) both set to this class (by its historical name,
``course.autograde.nbgrader_plugins.LimitedKernelManager``). Its kernel command is::

    bwrap ... -- python -m course.autograde.kernel_limits --memory-mb 4096 -- python -m ipykernel_launcher -f ...

where ``bwrap ...`` is :func:`course.sandbox.jail.command`: the kernel sees the system and the kit read-only,
writes only in its working folder (the scratch run folder ``TracingExecute`` makes, outside the course) and its
own kernel folder, and sees neither the course directory nor any other kernel. Three consequences:

- **Transport.** Inside its own network namespace a kernel cannot reach the grader over TCP, so a confined
  kernel uses ZMQ's IPC transport: its connection file and sockets live in a fresh ``pact-kernel-*`` folder
  bound into its sandbox (and into no other), removed when the kernel is cleaned up. A socket's path must fit
  in 107 bytes, so the folder is in ``/tmp`` when the grading worker's own temporary folder is too deep.
- **Interrupts.** jupyter_client interrupts a kernel with SIGINT to the process it started, which is ``bwrap``:
  that would end the sandbox, and a cell time-out would become a dead kernel. A confined kernel's spec says
  ``interrupt_mode = "message"``: the interrupt is an ``interrupt_request`` on the control channel, and
  ipykernel interrupts its own cell (nbgrader then records the time-out and goes on, as without the sandbox).
- **Lifetime.** Killing ``bwrap`` ends the kernel's PID namespace: every process the student started in it dies.

Where the sandbox cannot run (``course.sandbox.jail.status``), or ``sandbox`` is off, the kernel starts as
before (TCP, signals), under the memory cap only.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer

SOCKET_PATH_MAX = 107  # sun_path of a Unix socket, less its final NUL: ZMQ's ipc:// addresses must fit


def _short_tmp() -> str:
    """Where a kernel folder's socket paths fit (``<folder>/ipc-<port>``): the usual temporary folder when its
    path is short (a grading worker's own, removed with it), else ``/tmp`` (removed when the kernel is)."""
    here = tempfile.gettempdir()
    return here if len(here) + len("/pact-kernel-xxxxxxxx/ipc-65535") < SOCKET_PATH_MAX else "/tmp"


class LimitedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start under ``course.autograde.kernel_limits``, and under bubblewrap
    (``course.sandbox.jail``) where the machine allows it."""

    memory_mb = Integer(4096, help="Address-space cap of the kernel in MiB (0: none).").tag(config=True)
    sandbox = Bool(True, help="Run the kernel under bubblewrap where the machine allows it.").tag(config=True)

    _jail_folder: str | None = None
    _jail_cwd: str | None = None

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        from course.sandbox import jail

        self._jail_folder = self._jail_cwd = None
        if self.sandbox and jail.confined():
            folder = tempfile.mkdtemp(prefix="pact-kernel-", dir=_short_tmp())
            cwd = kw.get("cwd")
            if not cwd:  # never the grader's own folder (the course root): an empty one of its own
                cwd = kw["cwd"] = tempfile.mkdtemp(prefix="work-", dir=folder)
            self._jail_folder, self._jail_cwd = folder, os.path.realpath(cwd)
            self.transport = "ipc"
            self.cache_ports = False
            self.connection_file = os.path.join(folder, "kernel.json")
            self.ip = os.path.join(folder, "ipc")
            self.kernel_spec.interrupt_mode = "message"
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        prefix = [sys.executable, "-m", "course.autograde.kernel_limits", "--memory-mb", str(self.memory_mb), "--"]
        if self._jail_folder and self._jail_cwd:
            from course.sandbox import jail

            writable = [self._jail_folder] + ([] if self._jail_cwd.startswith(self._jail_folder) else [self._jail_cwd])
            return jail.command(writable, cwd=self._jail_cwd) + prefix + cmd
        return prefix + cmd

    @property
    def confined(self) -> bool:
        """Whether this manager's kernel runs under bubblewrap."""
        return self._jail_folder is not None

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self._jail_folder and not restart:
            shutil.rmtree(self._jail_folder, ignore_errors=True)
