"""The service's disk: every event in SQLite (WAL), and the same events appended to a JSON-lines log.

Why both: SQLite is the authority (one transaction per command, so a command's events land together or not at
all, and WAL lets a reader such as an export run beside the writer); the JSON-lines file is the plain, append-only
record an instructor can read, archive or grep after class. A crash between the two leaves the file short, never
the database: opening the store appends whatever the file lacks.

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> with Store(folder) as store:
...     store.append([{"kind": "opened", "session": "s1"}])
[1]
>>> with Store(folder) as store:
...     [e["kind"] for e in store.events()]
['opened']
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

DB = "classroom.sqlite"
LOG = "events.jsonl"
SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL
);
"""


class Store:
    """Events in order, on disk. ``append`` returns their sequence numbers once they are durable."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._db = sqlite3.connect(self.folder / DB, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a committed move survives a power cut, not just a crash
        self._db.executescript(SCHEMA)
        self._log = open(self.folder / LOG, "a+", encoding="utf-8")  # noqa: SIM115 - kept open for appends
        self._catch_up_log()

    def _catch_up_log(self) -> None:
        """Append to the JSON-lines file the events it lacks (a crash after the database's commit); a torn last
        line (a crash mid-write) is cut off first."""
        text = (self.folder / LOG).read_bytes()
        last, good = 0, 0
        for line in text.splitlines(keepends=True):
            try:
                seq = json.loads(line)["seq"]
            except (ValueError, KeyError, TypeError):
                break
            if not line.endswith(b"\n"):
                break
            last, good = seq, good + len(line)
        if good < len(text):
            self._log.truncate(good)
        rows = self._db.execute("SELECT seq, body FROM events WHERE seq > ? ORDER BY seq", (last,)).fetchall()
        if rows:
            self._write_lines(rows)

    def _write_lines(self, rows: Sequence[tuple[int, str]]) -> None:
        self._log.seek(0, os.SEEK_END)
        for seq, body in rows:
            self._log.write(json.dumps({"seq": seq} | json.loads(body), sort_keys=True) + "\n")
        self._log.flush()
        os.fsync(self._log.fileno())

    def append(self, events: Sequence[Mapping[str, Any]]) -> list[int]:
        """Write the events in one transaction, then to the JSON-lines file; their sequence numbers."""
        bodies = [json.dumps(dict(e), sort_keys=True) for e in events]
        self._db.execute("BEGIN IMMEDIATE")
        try:
            seqs = [self._db.execute("INSERT INTO events (body) VALUES (?)", (b,)).lastrowid for b in bodies]
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._write_lines(list(zip(seqs, bodies, strict=True)))
        return seqs

    def events(self) -> Iterator[dict[str, Any]]:
        """Every event, oldest first, each with its ``seq``."""
        for seq, body in self._db.execute("SELECT seq, body FROM events ORDER BY seq"):
            yield {"seq": seq} | json.loads(body)

    def close(self) -> None:
        self._log.close()
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
