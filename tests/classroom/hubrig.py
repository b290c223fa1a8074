"""A real JupyterHub for the class service's tests, and the service as a real process beside it.

The hub is the class hub's own (hub/environment.py's JupyterHub and configurable-http-proxy), on loopback ports
of its own, with a throw-away database: no system accounts and no user servers, because these tests need only what
the service needs from a hub, its REST API and its login. People are made through that API by an admin service,
and each gets a real hub token with the scopes a user's server token has in a class (hub/jupyterhub_config.py), or
none of them; a browser logs in with JupyterHub's dummy authenticator (any password: loopback and a test only).
The class service is registered as an external service, so a test can kill it and start it again (restart-resume);
it runs from the class hub's environment (the kit installed there, reinstalled when it changes, and the jupyterhub
package its dashboard's login needs), with the environment variables JupyterHub gives a service it starts.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

from tests.hub.hub_client import HUB, SYSTEM_PYTHON, until

SERVICE = "classroom"
KERNEL_SCOPES = ["users:activity!user", "access:servers!server", f"access:services!service={SERVICE}"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hub_env() -> Path:
    """The class hub's environment (built on first use; as root, like `make hub-env`)."""
    done = subprocess.run([SYSTEM_PYTHON, str(HUB / "environment.py")], capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


def _get(url: str, token: str | None = None, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")
    except (urllib.error.URLError, OSError):
        return 0, {}


class Hub:
    """A running JupyterHub: ``api`` is its REST API's URL; ``token(user)`` makes a real token for a person."""

    def __init__(self, env: Path, folder: Path) -> None:
        self.env, self.folder = env, folder
        self.port, self.hub_port, self.proxy_port, self.service_port = (free_port() for _ in range(4))
        self.api = f"http://127.0.0.1:{self.hub_port}/hub/api"
        self.admin_token = secrets.token_hex(16)
        self.service_token = secrets.token_hex(16)
        self.service_url = f"http://127.0.0.1:{self.service_port}"
        config = f"""
c = get_config()  # noqa
c.JupyterHub.bind_url = "http://127.0.0.1:{self.port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{self.hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{self.proxy_port}"
c.ConfigurableHTTPProxy.command = [{str(env / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy")!r}]
c.JupyterHub.db_url = "sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/cookie_secret"
c.JupyterHub.pid_file = "{folder}/jupyterhub.pid"
c.ConfigurableHTTPProxy.pid_file = "{folder}/proxy.pid"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_existing_users = True  # the people the tests make through the API, and nobody else
c.Authenticator.admin_users = {{"dean"}}  # making an admin through the API takes an admin; the hub's config can
c.JupyterHub.services = [
    {{"name": "admin", "api_token": {self.admin_token!r}}},
    {{"name": {SERVICE!r}, "api_token": {self.service_token!r}, "url": {self.service_url!r}, "oauth_no_confirm": True}},
]
c.JupyterHub.load_roles = [
    {{"name": "admin-service", "scopes": ["admin:users", "admin:groups", "tokens"], "services": ["admin"]}},
    {{"name": "classroom", "scopes": ["read:users", "read:groups"], "services": [{SERVICE!r}]}},
    {{"name": "user", "scopes": ["self", "access:services!service={SERVICE}"]}},
]
"""
        (folder / "jupyterhub_config.py").write_text(config)
        env_vars = {"PATH": f"{env}/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(folder)}
        self.log = open(folder / "hub.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(env / "bin" / "jupyterhub"), "-f", str(folder / "jupyterhub_config.py")],
            cwd=folder,
            env=env_vars,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        until(self._ready, 120, "JupyterHub's API")

    def _ready(self) -> bool:
        assert self.process.poll() is None, (self.folder / "hub.log").read_text()[-3000:]
        return _get(self.api + "/")[0] == 200

    def person(self, name: str, groups: tuple[str, ...] = ()) -> None:
        status, _ = _get(f"{self.api}/users/{name}", self.admin_token, "POST", {})
        assert status in (201, 409), status  # 409: there already (the configured admin)
        for group in groups:
            _get(f"{self.api}/groups/{group}", self.admin_token, "POST", {})
            status, _ = _get(f"{self.api}/groups/{group}/users", self.admin_token, "POST", {"users": [name]})
            assert status == 200, status

    def token(self, name: str, scopes: list[str] | None = None) -> str:
        """A real token of ``name``'s, by default with a kernel's scopes in a class."""
        body = {"note": "classroom test", "scopes": KERNEL_SCOPES if scopes is None else scopes}
        status, model = _get(f"{self.api}/users/{name}/tokens", self.admin_token, "POST", body)
        assert status == 201, (status, model)
        return model["token"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
        self.log.close()


class Service:
    """The class service as JupyterHub would run it (its environment variables), started and killed by the test."""

    def __init__(self, hub: Hub, state: Path) -> None:
        self.hub, self.state = hub, state
        self.prefix = f"/services/{SERVICE}/"
        self.url = hub.service_url + self.prefix
        self.public = f"http://127.0.0.1:{hub.port}{self.prefix}"  # through the hub's proxy, as a browser sees it
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            "PATH": os.environ["PATH"],
            "JUPYTERHUB_API_URL": self.hub.api,
            "JUPYTERHUB_API_TOKEN": self.hub.service_token,
            "JUPYTERHUB_SERVICE_NAME": SERVICE,
            "JUPYTERHUB_SERVICE_URL": self.hub.service_url,
            "JUPYTERHUB_SERVICE_PREFIX": self.prefix,
            "JUPYTERHUB_BASE_URL": "/",
            "JUPYTERHUB_CLIENT_ID": f"service-{SERVICE}",
            "JUPYTERHUB_OAUTH_CALLBACK_URL": f"{self.prefix}oauth_callback",
            "JUPYTERHUB_OAUTH_ACCESS_SCOPES": json.dumps(["access:services", f"access:services!service={SERVICE}"]),
        }
        log = open(self.state.parent / "service.log", "ab")  # noqa: SIM115 - the child holds it
        self.process = subprocess.Popen(
            [str(self.hub.env / "bin" / "python"), "-m", "course.classroom.service", "--state", str(self.state)],
            cwd=self.state.parent,  # not the clone: the kit comes from the environment, as under the hub
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        until(self._ready, 60, "the class service")

    def _ready(self) -> bool:
        assert self.process is not None and self.process.poll() is None, self.log_text()
        return _get(self.url + "api/")[0] == 200

    def log_text(self) -> str:
        return (self.state.parent / "service.log").read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        """SIGKILL: no chance to tidy up, as in a crash."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
