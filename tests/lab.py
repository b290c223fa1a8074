"""Start a real JupyterLab server for a test, on a free local port, and stop it afterwards."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

BIN = Path(sys.executable).parent
VENV = BIN.parent


@dataclass(frozen=True)
class Lab:
    """A running server: its base URL and token."""

    url: str
    token: str
    root: Path

    def get(self, path: str, timeout: float = 5) -> tuple[int, bytes]:
        req = urllib.request.Request(self.url + path, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()

    def open_url(self, path: str) -> str:
        """A browser URL that logs in with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(lab: Lab, proc: subprocess.Popen, log, log_path: Path, what: str, seconds: float = 90) -> None:
    """Until the server answers /api/status (a bounded wait on an observable event); raise with the tail of its
    log if it ends first or does not answer within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if lab.get("/api/status", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.flush()
            raise RuntimeError(f"{what} did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.3)


@contextlib.contextmanager
def running_lab(root: Path, runtime_dir: Path, env: dict[str, str] | None = None) -> Iterator[Lab]:
    """JupyterLab on ``root`` with ``window.jupyterapp`` exposed (for Playwright to drive commands)."""
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        str(BIN / "jupyter"), "lab", "--no-browser", f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True", "--ServerApp.open_browser=False",
        # Fresh workspace and user settings: tabs left open by an earlier run must not come back.
        f"--LabApp.workspaces_dir={runtime_dir / 'workspaces'}",
        f"--LabApp.user_settings_dir={runtime_dir / 'settings'}",
    ]  # fmt: skip
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = (runtime_dir / "lab.log").open("w")
    proc_env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(runtime_dir), **(env or {}))
    proc_env["PATH"] = str(BIN) + os.pathsep + proc_env.get("PATH", "")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=proc_env)
    lab = Lab(f"http://127.0.0.1:{port}", token, Path(root))
    try:
        wait_until_serving(lab, proc, log, runtime_dir / "lab.log", "JupyterLab")
        yield lab
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _bare_env(runtime: Path) -> dict[str, str]:
    """This process's environment without the venv's bin on PATH and without the calling make's flags."""
    bin_dir = str(VENV / "bin")
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != bin_dir)
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VIRTUAL_ENV"}}
    return env | {"PATH": path or "/usr/bin:/bin", "JUPYTER_RUNTIME_DIR": str(runtime), "SHELL": "/bin/bash"}


@contextlib.contextmanager
def make_lab(root: Path, runtime: Path) -> Iterator[Lab]:
    """`make lab-server` on ``root`` with this venv, on a free port; stopped (its whole process group) after."""
    port, token = free_port(), secrets.token_hex(16)
    lab_args = " ".join(
        [
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.workspaces_dir={runtime / 'workspaces'}",
            f"--LabApp.user_settings_dir={runtime / 'settings'}",
        ]
    )
    cmd = ["make", "-s", "-f", str(ROOT / "Makefile"), "-C", str(root), "lab-server"]
    cmd += [f"VENV={VENV}", f"PORT={port}", f"LAB_ARGS={lab_args}"]
    log = (runtime / "lab.log").open("w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=_bare_env(runtime), start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}", token, root)
    try:
        wait_until_serving(lab, proc, log, runtime / "lab.log", "make lab-server")
        yield lab
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # make and the server it started (a session of its own)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
