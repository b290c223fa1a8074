"""course.sandbox.jail: what a process under bubblewrap can and cannot reach, and the fallback without it.

Real bubblewrap, real kernels, real sandbox children (no mocks). As root these fail when bubblewrap cannot run
(tests/sandboxing.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course.sandbox import jail
from course.sandbox.runner import evaluate
from tests.conftest import ROOT
from tests.sandboxing import grader_config_file, require_sandbox

PROBE = """
import json, os, socket, sys
paths = sys.argv[1:]
seen = {p: os.path.exists(p) for p in paths}
try:
    socket.create_connection(("127.0.0.1", 22), timeout=2)
    net = "connected"
except OSError as err:
    net = type(err).__name__
def writes(folder):
    try:
        with open(os.path.join(folder, "pact-probe.txt"), "w") as out:
            out.write("x")
        return True
    except OSError:
        return False
print(json.dumps({"seen": seen, "net": net, "kit": writes(os.path.dirname(__import__("course").__file__)),
                  "scratch": writes(os.getcwd()), "pid": os.getpid()}))
"""


def _confined(scratch: Path, *paths: str) -> dict:
    command = jail.command([str(scratch)], cwd=str(scratch)) + [sys.executable, "-c", PROBE, *paths]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_confined_process_sees_the_kit_but_not_the_course_home_or_network(tmp_path: Path) -> None:
    require_sandbox()
    outside = Path("/tmp") / f"pact-outside-{os.getpid()}"
    outside.write_text("host /tmp")
    try:
        with grader_config_file() as seed:
            found = _confined(tmp_path, str(ROOT / "source"), str(ROOT / "course"), str(seed), str(outside),
                              str(Path.home() / ".local"), "/proc/1/cwd")  # fmt: skip
    finally:
        outside.unlink()
    assert found["seen"] == {
        str(ROOT / "source"): False,  # the course root: only course/ and the venv are bound
        str(ROOT / "course"): True,
        str(seed): False,  # the grading user's home config folder
        str(outside): False,  # a private /tmp
        str(Path.home() / ".local"): False,
        "/proc/1/cwd": True,  # its own PID namespace: 1 is bubblewrap's init, not the host's
    }
    assert found["net"] != "connected"
    assert found["kit"] is False and found["scratch"] is True
    assert found["pid"] < 10  # a PID namespace of its own


def test_a_sandbox_child_runs_confined_and_without_the_sandbox_it_does_not(monkeypatch) -> None:  # noqa: ANN001
    require_sandbox()
    source = "def sees(path):\n    import os\n    return os.path.exists(path)\n"
    cases = [(str(ROOT / "source"),), (str(ROOT / "course"),)]
    assert evaluate(source, "sees", cases, allowed_imports=None).values == [False, True]
    monkeypatch.setenv(jail.ENV, "off")
    assert not jail.status().confined and "forced off" in jail.describe()
    assert evaluate(source, "sees", cases, allowed_imports=None).values == [True, True]


def test_require_refuses_and_off_is_said_in_one_line(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv(jail.ENV, "off")
    assert jail.describe().startswith("sandbox: NONE - forced off (PACT_COURSE_SANDBOX=off)")
    monkeypatch.setenv(jail.ENV, "require")
    if not jail.status().confined:
        with pytest.raises(RuntimeError, match="require"):
            jail.confined()
    else:
        assert jail.confined() and jail.describe().startswith("sandbox: bubblewrap")


def test_command_binds_no_home_but_the_python_installation() -> None:
    args = jail.command(["/tmp/x"])
    bound = [args[i + 1] for i, a in enumerate(args) if a in ("--ro-bind", "--bind")]
    home = str(Path.home())
    assert str(ROOT) not in bound and home not in bound
    assert all(not b.startswith(home) or b == os.path.realpath(sys.base_prefix) for b in bound)
    assert str(ROOT / "course") in bound and "/tmp/x" in bound
    for flag in ("--unshare-all", "--die-with-parent", "--cap-drop", "--unsetenv"):
        assert flag in args


def test_a_sandbox_child_reads_the_files_it_is_handed_and_not_their_neighbours(tmp_path: Path) -> None:
    """05's summarise_logs is handed log files by path: confined, the child reads those files and nothing else
    of their folder (the folder could be source/ or another student's)."""
    require_sandbox()
    from course.sandbox import DEFAULT_ALLOWED_IMPORTS

    handed, neighbour = tmp_path / "handed.json", tmp_path / "neighbour.json"
    handed.write_text('{"turns": 3}')
    neighbour.write_text('{"secret": 1}')
    source = (
        "import json\n"
        "from pathlib import Path\n"
        "def peek(path):\n"
        "    return [json.loads(Path(path).read_text())['turns'], Path(path).with_name('neighbour.json').exists()]\n"
    )
    allowed = DEFAULT_ALLOWED_IMPORTS | {"pathlib", "json"}
    result = evaluate(source, "peek", [(str(handed),)], allowed_imports=allowed)
    assert result.ok, result.first_failure()
    assert result.values[0] == [3, False]
