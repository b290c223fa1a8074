"""The class hub's shared environment: one venv every account can run, built once per set of inputs.

Run as root with the system's Python (Debian's /usr/bin/python3, 3.11 on Debian 12); prints the environment's
folder on stdout:

    /usr/bin/python3 hub/environment.py            # -> /opt/pact-course-hub/env-<hash>

Why here and not the repository's .venv: the hub starts each user's server as that user, and a student account
cannot run a Python under /root (this machine's default python3.11 is pyenv's, in /root/.pyenv). So the
environment is a venv in a system folder, made from the system's Python, world-readable and root-owned, with:

- JupyterHub and the idle culler (hub/requirements.txt), and configurable-http-proxy from npm in its proxy/ folder;
- the kit, installed non-editable (a student's kernel must not import from an instructor's clone), with
  JupyterLab, nbgrader and the rest that pyproject.toml pins;
- nbgrader's per-role extensions as nbgrader's own JupyterHub demos set them: the formgrader, create-assignment and
  course-list extensions off for everyone at the environment's level (hub/classroom.py turns them on for the
  instructor with `--user`); the Assignments panel and validate on for everyone;
- JupyterLab's news and update checks off (jupyter/overrides.json).

The folder's name is a hash of what shapes the dependencies (pyproject.toml's dependencies, hub/requirements.txt,
the proxy's version, the system Python, LAYOUT), so a re-run finds it and returns at once; the kit itself (course/) is
reinstalled in place, without its dependencies, when its files change. Old environments are never removed by
this script: `rm -rf /opt/pact-course-hub/env-*` when no class runs reclaims the space.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

CLONE = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("PACT_HUB_CACHE", "/opt/pact-course-hub"))
PROXY = "configurable-http-proxy@5.3.0"
LAYOUT = "1"  # bump when the environment's layout or settings below change
# The kit's files that pip's build reads (pyproject.toml's package data and readme included).
KIT_FILES = ("pyproject.toml", "README.md")
KIT_DIRS = ("course",)
# nbgrader's instructor-only extensions: off for everyone here, on for the instructor with --user.
INSTRUCTOR_LAB = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
INSTRUCTOR_SERVER = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")


def _digest(parts: list[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big") + part)
    return h.hexdigest()[:16]


def deps_hash(python: str) -> str:
    """What decides the dependencies: a change here means a new environment folder. Only the dependency parts of
    pyproject.toml count (a new pytest marker or ruff setting must not cost a rebuild)."""
    version = subprocess.run([python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True).stdout
    project = tomllib.loads((CLONE / "pyproject.toml").read_text(encoding="utf-8"))
    deps = {
        "build-system": project.get("build-system"),
        "requires-python": project["project"].get("requires-python"),
        "dependencies": project["project"].get("dependencies"),
    }
    parts = [json.dumps(deps, sort_keys=True).encode(), (CLONE / "hub" / "requirements.txt").read_bytes()]
    return _digest(parts + [PROXY.encode(), LAYOUT.encode(), python.encode(), version.encode()])


def _kit_paths() -> list[Path]:
    paths = [CLONE / name for name in KIT_FILES]
    for folder in KIT_DIRS:
        paths += sorted(
            p
            for p in (CLONE / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        )
    return paths


def kit_hash() -> str:
    """The kit's own files: a change here means reinstalling the kit (quick, no dependencies)."""
    return _digest([str(p.relative_to(CLONE)).encode() + b"\0" + p.read_bytes() for p in _kit_paths()])


def _run(*cmd: str | Path, **kw) -> None:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if done.returncode != 0:
        command = " ".join(map(str, cmd))
        sys.exit(f"environment: {command} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


def _kit_source(where: Path) -> Path:
    """A clean copy of what pip builds from: an in-tree build would leave build/ in the clone and can ship stale
    modules from it."""
    src = where / "kit"
    for path in _kit_paths():
        dest = src / path.relative_to(CLONE)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    return src


def _say(message: str) -> None:
    print(f"environment: {message}", file=sys.stderr, flush=True)


def build(env: Path, python: str) -> None:
    """Make the environment from nothing (the caller holds the lock; a half-built folder was removed)."""
    _say(f"building {env} (first time for these inputs: a few minutes)")
    _run(python, "-m", "venv", env)
    pip = [env / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    with tempfile.TemporaryDirectory() as tmp:
        _run(*pip, "-r", CLONE / "hub" / "requirements.txt", _kit_source(Path(tmp)))
    jupyter = env / "bin" / "jupyter"
    for ext in INSTRUCTOR_LAB:
        _run(jupyter, "labextension", "disable", "--level=sys_prefix", ext)
    # Locked: no student turns them back on from JupyterLab's plugin manager (their own ~/.jupyter still could,
    # which gives them nothing: the formgrader would serve their own files, with their own permissions). The
    # instructor's ~/.jupyter turns them on (hub/classroom.py).
    _run(jupyter, "labextension", "lock", "--level=sys_prefix", *INSTRUCTOR_LAB)
    for ext in INSTRUCTOR_SERVER:
        _run(jupyter, "server", "extension", "disable", "--sys-prefix", ext)
    settings = env / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    shutil.copy(CLONE / "jupyter" / "overrides.json", settings / "overrides.json")
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("environment: npm is missing (Debian: apt-get install npm); configurable-http-proxy comes from npm")
    _run(npm, "install", "--prefix", env / "proxy", "--no-audit", "--no-fund", "--omit=dev", PROXY)


def ensure(python: str) -> Path:
    """The environment for this clone's inputs, built or updated if needed; its folder."""
    os.umask(0o022)  # every account reads and runs it
    CACHE.mkdir(parents=True, exist_ok=True)
    os.chmod(CACHE, 0o755)
    env = CACHE / f"env-{deps_hash(python)}"
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two suites or a suite and `make class` at once: one builds, one waits
        complete = env / ".complete"
        if env.exists() and not complete.exists():
            _say(f"removing {env}: an earlier build of it did not finish")
            shutil.rmtree(env)
        if not env.exists():
            build(env, python)
            (env / ".kit").write_text(kit_hash())
            complete.write_text("ok\n")
        elif (env / ".kit").read_text() != (wanted := kit_hash()):
            _say("the kit changed: reinstalling it (no dependencies)")
            with tempfile.TemporaryDirectory() as tmp:
                _run(
                    env / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--no-deps", "--force-reinstall", _kit_source(Path(tmp)),
                )  # fmt: skip
            (env / ".kit").write_text(wanted)
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="/usr/bin/python3", help="the system Python every account can run")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("environment: run as root (it installs into a system folder)")
    if not Path(args.python).exists():
        sys.exit(f"environment: {args.python} is missing (Debian: apt-get install python3-venv)")
    print(ensure(args.python))
    return 0


if __name__ == "__main__":
    sys.exit(main())
