"""course.autograde.kernel_manager: grading kernels under bubblewrap, over IPC, interrupted by message.

Real kernels (jupyter_client, ipykernel) under real bubblewrap; as root these fail when it cannot run.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

from course.autograde import reaper
from course.autograde.kernel_manager import LimitedKernelManager
from tests.sandboxing import grader_config_file, require_sandbox

pytestmark = pytest.mark.nbgrader


def _started(folder: Path) -> tuple[LimitedKernelManager, object]:
    folder.mkdir(parents=True, exist_ok=True)
    km = LimitedKernelManager(kernel_name="python3")
    run_sync(km.start_kernel)(cwd=str(folder), extra_arguments=["--HistoryManager.hist_file=:memory:"])
    kc = km.client()
    kc.start_channels()
    run_sync(kc.wait_for_ready)(timeout=120)
    return km, kc


def _value(kc, expression: str) -> str:  # noqa: ANN001 - a jupyter_client client
    reply = run_sync(kc.execute_interactive)("", user_expressions={"v": expression}, timeout=60)
    found = reply["content"]["user_expressions"]["v"]
    assert found["status"] == "ok", found
    return found["data"]["text/plain"]


def _stop(km, kc) -> None:  # noqa: ANN001
    kc.stop_channels()
    run_sync(km.shutdown_kernel)(now=True)


def test_a_grading_kernel_sees_neither_another_kernel_nor_the_graders_home(tmp_path: Path) -> None:
    require_sandbox()
    first, first_client = _started(tmp_path / "a" / "01-x")
    second, second_client = _started(tmp_path / "b" / "01-x")
    try:
        assert first.confined and first.transport == "ipc" and first.kernel_spec.interrupt_mode == "message"
        assert Path(first.connection_file).parent != Path(second.connection_file).parent
        with grader_config_file() as seed:
            exists = "__import__('os').path.exists({!r})"
            assert _value(first_client, exists.format(second.connection_file)) == "False"
            assert _value(first_client, exists.format(first.connection_file)) == "True"  # its own: harmless
            assert _value(first_client, exists.format(str(seed))) == "False"
            assert _value(first_client, exists.format(str(tmp_path / "b"))) == "False"
            assert _value(first_client, "__import__('os').getcwd()") == repr(str(tmp_path / "a" / "01-x"))
            assert _value(first_client, "__import__('os').environ.get('JPY_PARENT_PID')") == "None"
    finally:
        _stop(first, first_client)
        _stop(second, second_client)
    assert not Path(first.connection_file).parent.exists()  # its folder goes with it


def test_a_cell_time_out_inside_the_sandbox_leaves_the_kernel_running(tmp_path: Path) -> None:
    """nbclient interrupts a cell that runs too long; with bwrap a SIGINT would end the sandbox, the message
    interrupt reaches the kernel: the next cell runs in the same kernel."""
    require_sandbox()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in ("x = 41", "while True:\n    pass", "print(x + 1)")]
    folder = tmp_path / "run" / "01-x"
    folder.mkdir(parents=True)
    client = NotebookClient(
        nb, timeout=3, interrupt_on_timeout=True, allow_errors=True, kernel_name="python3",
        kernel_manager_class=LimitedKernelManager, resources={"metadata": {"path": str(folder)}},
    )  # fmt: skip
    client.execute()
    assert client.km is not None and client.km.confined is True or client.km is None
    assert [o.get("ename") for o in nb.cells[1].outputs if o.output_type == "error"] == ["KeyboardInterrupt"]
    assert nb.cells[2].outputs[0]["text"] == "42\n"


DAEMON = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(600)
    os._exit(0)
os.wait()
"""


def test_a_process_a_kernel_started_ends_with_the_kernel(tmp_path: Path) -> None:
    require_sandbox()
    km, kc = _started(tmp_path / "a" / "01-x")
    try:
        run_sync(kc.execute_interactive)(DAEMON, timeout=60)
        left = reaper.descendants(km.provisioner.pid)  # bwrap's init, the kernel, the daemon
        assert len(left) >= 3
    finally:
        _stop(km, kc)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(_running(pid) for pid in left):
        time.sleep(0.05)
    assert not any(_running(pid) for pid in left)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_without_the_sandbox_the_kernel_starts_as_before(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("PACT_COURSE_SANDBOX", "off")
    km, kc = _started(tmp_path / "a" / "01-x")
    try:
        assert not km.confined and km.transport == "tcp"
        assert _value(kc, "__import__('os').getcwd()") == repr(str(tmp_path / "a" / "01-x"))
    finally:
        _stop(km, kc)
    assert os.path.exists(Path(__file__))  # nothing of the test's own files was touched
