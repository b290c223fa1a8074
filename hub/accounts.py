"""System accounts for a class: the roster, creating accounts with random passwords, and removing them.

Standard library only; run as root (hub/classroom.py calls it).
"""

from __future__ import annotations

import csv
import os
import pwd
import re
import secrets
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

# What useradd accepts on Debian and nbgrader accepts as a student id (it becomes a folder name in the exchange).
ACCOUNT = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")


class ClassError(Exception):
    """Something a person must fix (a roster line, an account that exists already); said in one line."""


@dataclass(frozen=True)
class Person:
    account: str
    name: str


def roster(path: Path | None, students: int | None, prefix: str) -> list[Person]:
    """The students: from a CSV file of `id,name` lines (a header `id,name` is allowed), or student1..N."""
    if path is None:
        people = [Person(f"{prefix}student{i}", f"Student {i}") for i in range(1, (students or 0) + 1)]
    else:
        people = []
        with open(path, newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.reader(fh), start=1):
                if not row or not "".join(row).strip() or (line == 1 and row[0].strip().lower() == "id"):
                    continue
                if len(row) < 2 or not row[0].strip():
                    raise ClassError(f"{path}:{line}: expected `id,name`, got {','.join(row)!r}")
                people.append(Person(prefix + row[0].strip(), ",".join(row[1:]).strip()))
    if not people:
        raise ClassError("no students: give ROSTER=file.csv (lines `id,name`) or STUDENTS=N")
    seen: set[str] = set()
    for person in people:
        if not ACCOUNT.match(person.account):
            raise ClassError(
                f"{person.account!r} cannot be an account name: lower-case letters, digits, '-' and '_', "
                "starting with a letter, at most 32 characters"
            )
        if person.account in seen:
            raise ClassError(f"{person.account!r} is in the roster twice")
        seen.add(person.account)
    return people


def exists(account: str) -> bool:
    try:
        pwd.getpwnam(account)
    except KeyError:
        return False
    return True


def create(person: Person) -> str:
    """A new account with a private home folder (0700) and a random password; returns the password."""
    if exists(person.account):
        raise ClassError(f"account {person.account!r} exists already and was not made by this class: choose PREFIX=")
    comment = person.name.replace(":", " ").replace("\n", " ")
    subprocess.run(
        ["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", "--comment", comment, person.account],
        check=True,
        capture_output=True,
    )
    home = Path(pwd.getpwnam(person.account).pw_dir)
    os.chmod(home, 0o700)  # Debian's useradd follows UMASK 022 (0755): classmates could read each other's work
    password = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{person.account}:{password}\n", text=True, check=True, capture_output=True)
    return password


def processes_of(uids: set[int]) -> list[int]:
    """Ids of the running processes owned by any of ``uids`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Uid:") and int(line.split()[1]) in uids:
                found.append(int(entry.name))
                break
    return found


def stop_processes(accounts: list[str]) -> int:
    """SIGKILL whatever still runs as these accounts (after the hub stopped their servers); how many."""
    uids = {pwd.getpwnam(a).pw_uid for a in accounts if exists(a)}
    pids = processes_of(uids) if uids else []
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(pids)


def remove(account: str) -> None:
    """Remove an account this class created, with its home folder (archived before) and its own group."""
    if exists(account):
        subprocess.run(["userdel", "--remove", account], check=True, capture_output=True)
