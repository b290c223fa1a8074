"""Bubblewrap around every process that runs student code while grading: a grading kernel, a sandbox child.

Why: a grading kernel and a sandbox child run as the grading user and would reach whatever that user reaches —
the course directory (``source/`` by absolute path, the gradebook), other kernels' connection files, the
instructor's files in their home — and could leave a process behind that edits the gradebook after the grade
is reported (issue 15). Under ``bwrap`` (Debian's ``bubblewrap``) such a process sees only:

- the system (``/usr``, ``/etc``, the ``/bin`` and ``/lib`` links) and the kit read-only: the Python it runs
  (``sys.base_prefix``, resolved: on this machine ``/root/.pyenv/versions/3.11.7``, never the whole home),
  the virtual environment (``sys.prefix``) and the ``course`` package at their own paths — nothing else of
  the course root, where the kit is installed editable;
- a private ``/tmp``, ``/proc`` of its own PID namespace and a minimal ``/dev``;
- its scratch folders (``writable``), bound read-write at their own paths.

It has no network (``--unshare-net``: a kernel then talks over ZMQ's IPC transport, its sockets in its run
folder), no capabilities (``--cap-drop ALL``: as root it could otherwise unmount what hides a folder), and a
PID namespace that ends with it (``--unshare-pid --die-with-parent``): a process it starts, daemonised or
not, dies when it does. ``JPY_PARENT_PID`` is unset inside (ipykernel would exit at once: its parent there is
the namespace's init).

Where bubblewrap is missing or cannot create namespaces (some containers), :func:`status` says why and the
callers run the process as before; ``pact-course grade`` says so in its summary. ``PACT_COURSE_SANDBOX=off``
forces that fallback (a test does), ``=require`` refuses to grade without the sandbox.

Standard library only (``os``, ``shutil``, ``sys`` at import time): a sandbox child's parent imports it where it
starts one.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from typing import NamedTuple

ENV = "PACT_COURSE_SANDBOX"  # auto (default) | off | require
# Set inside the sandbox: a process there knows it is confined (a nested bwrap would fail: no capabilities).
INSIDE = "PACT_COURSE_SANDBOXED"
SYSTEM = ("/usr", "/etc", "/opt")
SYSTEM_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # this course/ package


class Status(NamedTuple):
    """Whether processes that run student code are confined, and if not, why (for the grading summary)."""

    confined: bool
    how: str  # "bubblewrap 0.8.0", or why not: "bubblewrap is not installed", "forced off (...)"


def mode() -> str:
    """``auto``, ``off`` or ``require``, from ``PACT_COURSE_SANDBOX`` (anything else counts as ``auto``)."""
    value = os.environ.get(ENV, "auto").strip().lower()
    return value if value in ("off", "require") else "auto"


def readonly_paths() -> list[str]:
    """What a confined Python needs to read besides the system: its installation, the venv, the kit."""
    paths = [os.path.realpath(sys.base_prefix), sys.prefix, os.path.realpath(sys.prefix), PACKAGE]
    here = os.path.realpath(sys.executable)
    if not any(here.startswith(p.rstrip("/") + "/") for p in paths + list(SYSTEM)):
        paths.append(os.path.dirname(here))
    seen: list[str] = []
    for path in paths:
        if path and os.path.exists(path) and path not in seen and not path.startswith(SYSTEM):
            seen.append(path)
    return seen


def command(
    writable: list[str], cwd: str | None = None, env: dict[str, str] | None = None, readable: list[str] = ()
) -> list[str]:
    """The ``bwrap`` prefix for a command that may write only in ``writable`` (folders bound at their paths) and
    may read, besides the system and the kit, only the files in ``readable`` (a call's input files)."""
    # --unshare-all: user (where possible), IPC, PID, network, UTS and cgroup namespaces.
    args = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent", "--new-session"]
    args += ["--cap-drop", "ALL"]
    for path in SYSTEM:
        args += ["--ro-bind-try", path, path]
    for link in SYSTEM_LINKS:
        if os.path.islink(link):
            args += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            args += ["--ro-bind", link, link]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in readonly_paths():
        args += ["--ro-bind", path, path]
    for path in writable:
        args += ["--bind", path, path]
    for path in readable:
        args += ["--ro-bind", path, path]
    args += ["--unsetenv", "JPY_PARENT_PID", "--setenv", INSIDE, "1", "--setenv", "HOME", "/tmp"]
    for key, value in (env or {}).items():
        args += ["--setenv", key, value]
    if cwd:
        args += ["--chdir", cwd]
    return args + ["--"]


def status() -> Status:
    """Can this process confine a child? ``PACT_COURSE_SANDBOX`` as it is now, then the machine (tried once)."""
    if mode() == "off":
        return Status(False, f"forced off ({ENV}=off)")
    if os.environ.get(INSIDE):
        return Status(False, "already inside the sandbox")
    return _machine()


@functools.cache
def _machine() -> Status:
    """Whether ``bwrap`` runs this Python with every flag, tried once per process."""
    import subprocess

    if not sys.platform.startswith("linux") or shutil.which("bwrap") is None:
        return Status(False, "bubblewrap is not installed (Debian: apt-get install bubblewrap)")
    try:
        done = subprocess.run(
            [*command([]), sys.executable, "-I", "-S", "-c", "pass"], capture_output=True, text=True, timeout=30
        )
        version = subprocess.run(["bwrap", "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError) as err:
        return Status(False, f"bubblewrap could not run: {err}")
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return Status(False, f"bubblewrap cannot create its namespaces here ({why})")
    return Status(True, version or "bubblewrap")


def confined() -> bool:
    """Whether children started now will run under bubblewrap; raises under ``require`` when they cannot."""
    found = status()
    if not found.confined and mode() == "require" and not os.environ.get(INSIDE):
        raise RuntimeError(f"{ENV}=require, but student code cannot be confined: {found.how}")
    return found.confined


def describe() -> str:
    """One line for a grading summary: what confines student code in this run."""
    found = status()
    if found.confined:
        return f"sandbox: {found.how} (no network, course directory and other kernels invisible)"
    return (
        f"sandbox: NONE - {found.how}; graded without it: kernels see what the grading user sees, "
        "tricks only the sandbox stops are flagged instead (docs/explanation/grading-integrity.md)"
    )
