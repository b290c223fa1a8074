"""The store: SQLite is the authority; the JSON-lines log catches up after a crash and loses a torn line only."""

from __future__ import annotations

import json
import sqlite3

from course.classroom.store import DB, LOG, Store


def lines(folder) -> list[dict]:
    return [json.loads(line) for line in (folder / LOG).read_text().splitlines()]


def test_store_uses_wal_and_keeps_order(tmp_path):
    with Store(tmp_path) as store:
        assert store.append([{"kind": "a"}, {"kind": "b"}]) == [1, 2]
        assert store.append([{"kind": "c"}]) == [3]
    mode = sqlite3.connect(tmp_path / DB).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    with Store(tmp_path) as store:
        assert [(e["seq"], e["kind"]) for e in store.events()] == [(1, "a"), (2, "b"), (3, "c")]
    assert [e["kind"] for e in lines(tmp_path)] == ["a", "b", "c"]


def test_store_log_catches_up_after_a_crash_between_database_and_file(tmp_path):
    with Store(tmp_path) as store:
        store.append([{"kind": "a"}, {"kind": "b"}])
    text = (tmp_path / LOG).read_text()
    first, second = text.splitlines(keepends=True)
    (tmp_path / LOG).write_text(first + second[:7])  # the second line torn mid-write
    with Store(tmp_path) as store:
        pass
    assert [(e["seq"], e["kind"]) for e in lines(tmp_path)] == [(1, "a"), (2, "b")]
