"""Stand a class up on a local JupyterHub, and take it down again (`make class`, `make class-down`).

Run as root with the system's Python (standard library only):

    /usr/bin/python3 hub/classroom.py up --env ENV [--students N | --roster FILE] [--port P] [--name NAME] [--prefix P]
    /usr/bin/python3 hub/classroom.py down [--name NAME]

`up` makes the accounts (an instructor and the students, each with a random password), the nbgrader exchange, the
instructor's private copy of the course with the students in its gradebook, and starts JupyterHub on loopback; it
returns once the hub answers, printing its address and where the passwords are. `down` stops the hub and
everything running as the class's accounts, archives their home folders (the instructor's course copy among them),
the exchange and the class service's sessions into a dated tar file, then removes the accounts this class created,
and only those.
docs/how-to/jupyterhub.md explains each part.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import accounts  # noqa: E402 - hub/ is not a package: its scripts run by path with the system's Python
from environment import INSTRUCTOR_LAB, INSTRUCTOR_SERVER  # noqa: E402

HERE = Path(__file__).resolve().parent
CLONE = HERE.parent
STATE = Path("/var/lib/pact-course-hub")
EXCHANGES = Path("/srv/pact-course-hub")
ARCHIVES = Path("/var/backups/pact-course-hub")
COURSE_ID = "pact-course"
COURSE_PARTS = (
    "nbgrader_config.py",
    ".pact-build.json",
    "source",
    "exercises",
    "solutions",
)  # the build's record: a rebuild there replaces only what it made
READY_SECONDS = 120
STOP_SECONDS = 60


def say(message: str) -> None:
    print(message, flush=True)


def free_port(preferred: int | None = None) -> int:
    """``preferred`` if nothing listens on it on loopback, else a port the system picks."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port left in TIME_WAIT by a stopped hub is free
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise accounts.ClassError("no free port on 127.0.0.1")


def as_user(account: str, env_dir: Path, *cmd: str | Path, cwd: Path | None = None) -> None:
    """Run a command as the account (its own uid, gid and no other groups), with the environment on PATH."""
    entry = pwd.getpwnam(account)
    env = {
        "HOME": entry.pw_dir,
        "USER": account,
        "LANG": "C.UTF-8",
        "PATH": f"{env_dir}/bin:/usr/local/bin:/usr/bin:/bin",  # nbgrader's gradebook shells out to alembic
        "JUPYTER_PREFER_ENV_PATH": "0",  # as in the user's server (jupyterhub_config.py)
    }
    done = subprocess.run(
        [str(c) for c in cmd],
        user=entry.pw_uid,
        group=entry.pw_gid,
        extra_groups=[],
        cwd=cwd or entry.pw_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise accounts.ClassError(f"as {account}: {' '.join(map(str, cmd))} failed:\n{done.stdout}{done.stderr}")


def write_private(path: Path, text: str, owner: str, mode: int = 0o600) -> None:
    entry = pwd.getpwnam(owner)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.chown(path, entry.pw_uid, entry.pw_gid)
    os.chmod(path, mode)


def student_config(exchange: Path) -> str:
    return (
        "# nbgrader for a student of this class (written by pact-course's hub/classroom.py)\n"
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
    )


def set_up_instructor(instructor: str, env_dir: Path, exchange: Path, people: list[accounts.Person]) -> Path:
    """The instructor's private course copy, their nbgrader settings and extensions, the roster in the gradebook."""
    entry = pwd.getpwnam(instructor)
    home = Path(entry.pw_dir)
    course = home / COURSE_ID
    course.mkdir(mode=0o700)
    for part in COURSE_PARTS:
        src = CLONE / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, course / part)
    for path in [course, *course.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    config = student_config(exchange) + f"c.CourseDirectory.root = {str(course)!r}\n"
    write_private(home / ".jupyter" / "nbgrader_config.py", config, instructor)
    os.chown(home / ".jupyter", entry.pw_uid, entry.pw_gid)
    # nbgrader's per-user extensions, on for the instructor (the environment turns them off for everyone). These
    # are the files `jupyter labextension enable --level=user` and `jupyter server extension enable --user` write;
    # written directly because the first refuses an extension locked at the environment's level (locked so that no
    # student turns it on from the plugin manager) and the second refuses nbgrader's submodules ("could not be
    # found": they have no extension-points function), while the server loads them by name all the same.
    labs = {ext: False for ext in INSTRUCTOR_LAB}
    write_private(
        home / ".jupyter" / "labconfig" / "page_config.json", json.dumps({"disabledExtensions": labs}), instructor
    )
    servers = {"ServerApp": {"jpserver_extensions": {ext: True for ext in INSTRUCTOR_SERVER}}}
    write_private(home / ".jupyter" / "jupyter_server_config.json", json.dumps(servers, indent=2), instructor)
    os.chown(home / ".jupyter" / "labconfig", entry.pw_uid, entry.pw_gid)
    lines = ["id,first_name,last_name"]
    for person in people:
        first, _, last = person.name.rpartition(" ")
        lines.append(",".join(part.replace(",", " ") for part in (person.account, first, last)))
    write_private(course / "roster.csv", "\n".join(lines) + "\n", instructor)
    as_user(instructor, env_dir, env_dir / "bin" / "nbgrader", "db", "student", "import", "roster.csv", cwd=course)
    return course


def hub_alive(state: Path) -> int | None:
    try:
        pid = int((state / "jupyterhub.pid").read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def start_hub(state: Path, env_dir: Path, port: int) -> None:
    env = {"PATH": f"{env_dir}/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "HOME": str(state)}
    with open(state / "hub.log", "ab") as log:
        hub = subprocess.Popen(
            [str(env_dir / "bin" / "jupyterhub"), "-f", str(state / "jupyterhub_config.py")],
            cwd=state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # outlives `make class`; `down` stops it
        )
    url = f"http://127.0.0.1:{port}/hub/api/"
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            tail = (state / "hub.log").read_text(errors="replace")[-3000:]
            raise accounts.ClassError(f"JupyterHub exited ({hub.returncode}); end of {state / 'hub.log'}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)  # polling an observable condition (the hub's API answering), bounded by the deadline
    raise accounts.ClassError(f"JupyterHub did not answer on {url} within {READY_SECONDS} s; see {state / 'hub.log'}")


def up(args: argparse.Namespace) -> int:
    state = STATE / args.name
    if (state / "class.json").exists():
        info = json.loads((state / "class.json").read_text())
        if "course" not in info:
            raise accounts.ClassError(f"an earlier `up` of class {args.name!r} did not finish")
        if hub_alive(state) is None:
            say(f"class {args.name!r} exists: starting its hub again")
            start_hub(state, Path(info["env"]), info["port"])
        report(info, state)
        return 0
    env_dir = Path(args.env).resolve()
    prefix = args.prefix
    people = accounts.roster(args.roster, args.students, prefix)
    instructor = prefix + "instructor"
    taken = [a for a in [instructor, *(p.account for p in people)] if accounts.exists(a)]
    if taken:
        raise accounts.ClassError(
            f"account(s) {', '.join(taken)} exist already and were not made by this class: choose PREFIX="
        )
    exchange = Path(args.exchange) if args.exchange else EXCHANGES / args.name / "exchange"
    if exchange.exists():
        raise accounts.ClassError(f"{exchange} exists already: remove it or choose another exchange")
    state.mkdir(parents=True, mode=0o700)
    info = {
        "name": args.name,
        "env": str(env_dir),
        "port": free_port(args.port),
        "hub_port": free_port(),
        "proxy_api_port": free_port(),
        "classroom_port": free_port(),  # the class service (course/classroom/service.py), behind the proxy
        "instructor": instructor,
        "students": [p.account for p in people],
        "exchange": str(exchange),
        "idle": args.idle,
        "created": [],  # every account this class made, written before anything else uses it
        "created_at": datetime.now().isoformat(timespec="seconds"),
    }

    def save() -> None:
        (state / "class.json").write_text(json.dumps(info, indent=2) + "\n")

    save()
    passwords = ["account,password,name"]
    for person in [accounts.Person(instructor, "Instructor"), *people]:
        info["created"].append(person.account)
        save()
        passwords.append(f"{person.account},{accounts.create(person)},{person.name.replace(',', ' ')}")
    # The state folder stays root's alone (the hub's database and secrets); the passwords sit beside it, readable
    # by root and the instructor's own group.
    entry = pwd.getpwnam(instructor)
    write_private(passwords_file(args.name), "\n".join(passwords) + "\n", "root", 0o640)
    os.chown(passwords_file(args.name), 0, entry.pw_gid)
    # nbgrader's exchange: everyone may write (nbgrader checks for 777), plus the sticky bit so that no student can
    # rename or remove the instructor's course folder in it; the course folder is the instructor's.
    exchange.parent.mkdir(parents=True, exist_ok=True)
    exchange.mkdir()
    os.chmod(exchange, 0o1777)
    (exchange / COURSE_ID).mkdir()
    os.chown(exchange / COURSE_ID, entry.pw_uid, entry.pw_gid)
    os.chmod(exchange / COURSE_ID, 0o755)
    for person in people:
        home = Path(pwd.getpwnam(person.account).pw_dir)
        write_private(home / ".jupyter" / "nbgrader_config.py", student_config(exchange), person.account, 0o644)
        os.chown(home / ".jupyter", *_ids(person.account))
    course = set_up_instructor(instructor, env_dir, exchange, people)
    info["course"] = str(course)
    save()
    shutil.copy(HERE / "jupyterhub_config.py", state / "jupyterhub_config.py")
    start_hub(state, env_dir, info["port"])
    report(info, state)
    return 0


def passwords_file(name: str) -> Path:
    return STATE / f"{name}-passwords.csv"


def _ids(account: str) -> tuple[int, int]:
    entry = pwd.getpwnam(account)
    return entry.pw_uid, entry.pw_gid


def report(info: dict, state: Path) -> None:
    say(f"class {info['name']!r} is ready: http://127.0.0.1:{info['port']}/")
    say(f"  accounts: {info['instructor']} and {len(info['students'])} students")
    say(f"  passwords: {passwords_file(info['name'])} (readable by root and {info['instructor']} only)")
    say(f"  course copy: {info.get('course')}")
    say(f"  exchange {info['exchange']}; hub log {state}/hub.log; stop with `make class-down`")


def stop_hub(state: Path) -> None:
    pid = hub_alive(state)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)  # JupyterHub stops every user's server and its proxy, then exits
        deadline = time.monotonic() + STOP_SECONDS
        while hub_alive(state) is not None and time.monotonic() < deadline:
            time.sleep(0.2)  # waiting for an observable condition (the process gone), bounded
        if hub_alive(state) is not None:
            os.killpg(pid, signal.SIGKILL)
    try:
        proxy = int((state / "jupyterhub-proxy.pid").read_text())
        os.kill(proxy, signal.SIGKILL)  # only if the hub could not stop it
    except (OSError, ValueError):
        pass


def down(args: argparse.Namespace) -> int:
    state = STATE / args.name
    if not (state / "class.json").exists():
        say(f"no class {args.name!r} here ({state}): nothing to take down")
        return 0
    info = json.loads((state / "class.json").read_text())
    stop_hub(state)
    created = [a for a in info["created"] if accounts.exists(a)]
    deadline = time.monotonic() + STOP_SECONDS
    while accounts.stop_processes(created) and time.monotonic() < deadline:
        time.sleep(0.2)
    archive_dir = Path(args.archive_dir) if args.archive_dir else ARCHIVES
    archive_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    archive = archive_dir / f"{info['name']}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.tar.gz"
    # Owner only: it holds every student's work.
    fd = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for account in created:
            tar.add(pwd.getpwnam(account).pw_dir, arcname=f"home/{account}")
        if Path(info["exchange"]).exists():
            tar.add(info["exchange"], arcname="exchange")
        tar.add(state / "class.json", arcname="class.json")
        if (state / "classroom").exists():  # the class service's sessions: its database and event log
            tar.add(state / "classroom", arcname="classroom")
    for account in created:
        accounts.remove(account)
    exchange = Path(info["exchange"])
    if exchange.exists():
        shutil.rmtree(exchange)
    shutil.rmtree(state)
    passwords_file(info["name"]).unlink(missing_ok=True)
    for folder in (exchange.parent, EXCHANGES, STATE):  # this class's own folders, once nothing else is in them
        if folder in (EXCHANGES / info["name"], EXCHANGES, STATE) and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    say(f"class {info['name']!r} is down: removed the accounts {', '.join(created) or '(none left)'}")
    say(f"  their home folders (the instructor's course copy too) and the exchange are archived in {archive}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="verb", required=True)
    start = sub.add_parser("up", help="set up and start a class")
    start.add_argument("--env", required=True, help="the shared environment (hub/environment.py prints it)")
    who = start.add_mutually_exclusive_group()
    who.add_argument("--students", type=int, help="make student1..N (a trial class)")
    who.add_argument("--roster", type=Path, help="a CSV file of `id,name` lines")
    start.add_argument("--port", type=int, default=8000, help="where people connect (another if it is taken)")
    start.add_argument("--prefix", default="", help="put before every account name (two classes on one machine)")
    start.add_argument("--exchange", help="nbgrader's exchange folder (default /srv/pact-course-hub/NAME/exchange)")
    start.add_argument("--idle", type=int, default=3600, help="stop a user's server after this many idle seconds")
    stop = sub.add_parser("down", help="stop a class, archive its work, remove its accounts")
    stop.add_argument("--archive-dir", help=f"where the tar file goes (default {ARCHIVES})")
    for verb in (start, stop):
        verb.add_argument(
            "--name", default="class", help="the class's name (its state is /var/lib/pact-course-hub/NAME)"
        )
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("classroom: run as root (it creates system accounts and starts JupyterHub)")
    try:
        return up(args) if args.verb == "up" else down(args)
    except accounts.ClassError as err:
        print(f"classroom: {err}", file=sys.stderr)
        if args.verb == "up" and (STATE / args.name / "class.json").exists():
            print(
                f"classroom: `classroom.py down --name {args.name}` (make class-down) undoes what was made",
                file=sys.stderr,
            )
        return 2


if __name__ == "__main__":
    sys.exit(main())
