"""JupyterHub's configuration for a class that hub/classroom.py set up (copied into the class's state folder).

Everything particular to one class (ports, accounts, the environment) is in class.json beside this file, written
by `classroom.py up`; this file turns it into JupyterHub's settings. The shape is The Littlest JupyterHub's: one
machine, system accounts, PAM, the local process spawner, a proxy the hub starts, the idle culler as a service.

To use an institution's login instead of PAM, replace the authenticator lines below, e.g. for OAuth
(`pip install oauthenticator` into the environment):

    c.JupyterHub.authenticator_class = "generic-oauth"   # or "github", "google", "azuread", ...
    c.GenericOAuthenticator.client_id = "..."            # from the identity provider
    c.GenericOAuthenticator.client_secret = "..."
    c.GenericOAuthenticator.oauth_callback_url = "https://hub.example.edu/hub/oauth_callback"
    c.GenericOAuthenticator.username_claim = "preferred_username"
    c.LocalAuthenticator.create_system_users = False     # the accounts exist already (classroom.py made them)

or for LTI 1.1 from the LMS (`pip install jupyterhub-ltiauthenticator`):

    c.JupyterHub.authenticator_class = "ltiauthenticator.LTIAuthenticator"
    c.LTIAuthenticator.consumers = {"KEY": "SECRET"}

Either way, the user names the login returns must be the class's account names (the spawner runs each server as
the system account of that name); docs/how-to/jupyterhub.md says more. Neither was tried here.
"""

import json
import os

c = get_config()  # noqa: F821 - injected by JupyterHub when it loads this file

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "class.json"), encoding="utf-8") as fh:
    CLASS = json.load(fh)
ENV = CLASS["env"]
LOOPBACK = "127.0.0.1"

# Where people connect (the proxy), where the hub listens behind it, and the proxy's API: all on loopback. Put a
# TLS-terminating reverse proxy in front (or set bind_url to https with ssl_cert/ssl_key) to serve a real class.
c.JupyterHub.bind_url = f"http://{LOOPBACK}:{CLASS['port']}"
c.JupyterHub.hub_bind_url = f"http://{LOOPBACK}:{CLASS['hub_port']}"
c.ConfigurableHTTPProxy.api_url = f"http://{LOOPBACK}:{CLASS['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [os.path.join(ENV, "proxy", "node_modules", ".bin", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = os.path.join(HERE, "jupyterhub-proxy.pid")
c.JupyterHub.pid_file = os.path.join(HERE, "jupyterhub.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(HERE, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(HERE, "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server
c.JupyterHub.cleanup_proxy = True

# Who may log in: the class's accounts, checked against the system's passwords (PAM).
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(CLASS["students"]) | {CLASS["instructor"]}
c.Authenticator.admin_users = set(CLASS.get("admins", []))
c.JupyterHub.load_groups = {
    "instructors": {"users": [CLASS["instructor"]]},
    "students": {"users": list(CLASS["students"])},
}

# Each user's JupyterLab, as that system account, from the shared environment, in their home folder.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(ENV, "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.ip = LOOPBACK
c.Spawner.env_keep = ["LANG", "LC_ALL"]  # nothing of root's environment beyond these reaches a user's server
c.Spawner.environment = {
    "PATH": os.path.join(ENV, "bin") + ":/usr/local/bin:/usr/bin:/bin",
    # In a venv Jupyter reads the environment's settings before the user's (jupyter_core's default): the
    # instructor's ~/.jupyter could then not turn nbgrader's formgrader back on. The user's come first.
    "JUPYTER_PREFER_ENV_PATH": "0",
}
c.Spawner.start_timeout = 120  # a busy 2-core machine starting several servers at once
c.Spawner.http_timeout = 120

# Idle servers are stopped after an hour (The Littlest JupyterHub does the same), freeing their memory.
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [os.path.join(ENV, "bin", "python"), "-m", "jupyterhub_idle_culler", f"--timeout={CLASS['idle']}"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]

# The class service (course/classroom/service.py; docs/how-to/class-session.md): the single authority for live
# class sessions, started and stopped by the hub, listening on loopback behind the proxy at /services/classroom/.
# Its state (SQLite and an event log) is in the class's state folder, root's alone; `make class-down` archives it.
# It may read users and groups (who is an instructor: a hub admin or in the `instructors` group); users and
# their servers' tokens (which kernels inherit as JUPYTERHUB_API_TOKEN) may use it; every server is told where.
if "classroom_port" in CLASS:  # a class set up before the service existed runs without it
    CLASSROOM = "classroom"
    c.JupyterHub.services.append(
        {
            "name": CLASSROOM,
            "url": f"http://{LOOPBACK}:{CLASS['classroom_port']}",
            "command": [os.path.join(ENV, "bin", "python"), "-m", "course.classroom.service"],
            "environment": {
                "PACT_CLASS_STATE": os.path.join(HERE, "classroom"),
                "PACT_CLASS_INSTRUCTORS": "instructors",
            },
            "cwd": HERE,
            "oauth_no_confirm": True,  # the instructor's dashboard logs in through the hub without a consent page
        }
    )
    access = f"access:services!service={CLASSROOM}"
    c.JupyterHub.load_roles += [
        {"name": "classroom", "scopes": ["read:users", "read:groups"], "services": [CLASSROOM]},
        {"name": "user", "scopes": ["self", access]},
    ]
    c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server", access]
    c.Spawner.environment["PACT_CLASS_URL"] = f"http://{LOOPBACK}:{CLASS['port']}/services/{CLASSROOM}/"
