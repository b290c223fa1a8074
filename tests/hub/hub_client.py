"""Talk to a class hub as its people do: log in with a password, start a server, call that server's APIs.

Standard library HTTP only (what a script of the instructor's would use), every call with a timeout, every wait
bounded and on something observable. The student's calls are the ones JupyterLab's Assignments panel makes
(nbgrader's assignment_list server extension) and the contents API that saving a notebook uses.
"""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HUB = REPO / "hub"
SYSTEM_PYTHON = "/usr/bin/python3"
COURSE_ID = "pact-course"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to look at (a login page is not the resource asked for), not one to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def until(condition, timeout: float, what: str, every: float = 0.25):
    """Call ``condition`` until it returns something truthy; fail after ``timeout`` seconds naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)  # polling an observable condition, bounded by the deadline above


@dataclass
class Response:
    status: int
    body: bytes

    def json(self):
        return json.loads(self.body)


class Person:
    """One account on the hub, logged in through the hub's API with its password (PAM checks it)."""

    def __init__(self, base: str, account: str, password: str) -> None:
        self.base, self.account, self.token = base.rstrip("/"), account, ""
        made = self.hub("POST", "tokens", {"auth": {"username": account, "password": password}, "note": "hub test"})
        assert made.status == 201, f"{account} could not log in: {made.status} {made.body[:300]!r}"
        self.token = made.json()["token"]

    def call(self, method: str, path: str, body=None, form: dict | None = None, timeout: float = 120) -> Response:
        data, headers = None, ({"Authorization": f"token {self.token}"} if self.token else {})
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                return Response(response.status, response.read())
        except urllib.error.HTTPError as err:
            return Response(err.code, err.read())

    def hub(self, method: str, what: str, body=None) -> Response:
        return self.call(method, f"/hub/api/users/{self.account}/{what}", body)

    def start(self) -> None:
        started = self.hub("POST", "server", {})
        assert started.status in (201, 202, 400), f"{self.account}: server did not start: {started.body[:300]!r}"

    def ready(self) -> bool:
        server = (self.call("GET", f"/hub/api/users/{self.account}").json().get("servers") or {}).get("")
        return bool(server and server.get("ready"))

    def server(self, method: str, path: str, **kw) -> Response:
        """A call to this person's own JupyterLab server, through the hub's proxy."""
        return self.call(method, f"/user/{self.account}/{path.lstrip('/')}", **kw)

    # The Assignments panel's calls (nbgrader's assignment_list server extension).
    def assignments(self) -> dict:
        listed = self.server("GET", f"assignments?course_id={COURSE_ID}")
        assert listed.status == 200, listed.body[:300]
        result = listed.json()
        assert result["success"], result
        return result

    def act(self, action: str, assignment: str) -> dict:
        done = self.server("POST", f"assignments/{action}", form={"course_id": COURSE_ID, "assignment_id": assignment})
        assert done.status == 200, f"{self.account} {action} {assignment}: {done.status} {done.body[:500]!r}"
        result = done.json()
        assert result.get("success", True), f"{self.account} {action} {assignment}: {result}"
        return result

    # The contents API, as JupyterLab saves and opens files.
    def save(self, path: str, content, kind: str) -> None:
        model = {"type": kind, "format": "json" if kind == "notebook" else "text", "content": content}
        saved = self.server("PUT", f"api/contents/{urllib.parse.quote(path)}", body=model)
        assert saved.status in (200, 201), f"{self.account} save {path}: {saved.status} {saved.body[:300]!r}"

    def read(self, path: str) -> Response:
        return self.server("GET", f"api/contents/{urllib.parse.quote(path)}?content=1")


def run_as(account: str, env: Path, *cmd: str, cwd: Path | None = None, timeout: float = 600):
    """A command as the account would type it in a terminal on its server: its uid, its home, the class's PATH."""
    entry = pwd.getpwnam(account)
    environ = {"HOME": entry.pw_dir, "USER": account, "LANG": "C.UTF-8", "PATH": f"{env}/bin:/usr/bin:/bin"}
    return subprocess.run(
        list(cmd),
        user=entry.pw_uid,
        group=entry.pw_gid,
        extra_groups=[],
        cwd=cwd or entry.pw_dir,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def can_read(account: str, path: str | Path) -> bool:
    """Whether the account can list (a folder) or read (a file) ``path``: tried as that account."""
    probe = (
        "import os, sys\np = sys.argv[1]\n"
        "try:\n    os.listdir(p) if os.path.isdir(p) else open(p, 'rb').read(1)\nexcept OSError:\n    sys.exit(1)\n"
    )
    return run_as(account, Path("/usr"), SYSTEM_PYTHON, "-c", probe, str(path), cwd=Path("/")).returncode == 0


def processes_of(accounts: list[str]) -> list[str]:
    uids = set()
    for account in accounts:
        try:
            uids.add(pwd.getpwnam(account).pw_uid)
        except KeyError:
            continue
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                status = Path(f"/proc/{entry}/status").read_text()
            except OSError:
                continue
            uid = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("Uid:")), None)
            if uid in uids:
                found.append(entry)
    return found
