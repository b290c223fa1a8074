"""Open nbgrader's gradebook once, before any work, and say in one line why it cannot be opened.

Why: nbgrader opens the gradebook inside each conversion, so an unreachable database (a PostgreSQL
``db_url`` whose driver is not installed, a wrong port, no password) makes every student fail with
"There was an error processing assignment", the real cause only in nbgrader's log, and removes each
student's autograded folder. Checked first, the same cause is one line and the run does not start.
"""

from __future__ import annotations

# Causes a person can act on, by a piece of the error's text.
HINTS = {
    "No module named 'psycopg": "install the database driver where grading runs (e.g. `pip install psycopg2-binary`) "
    "and name it in the URL (postgresql+psycopg2://...)",
    "no password supplied": "give the password in ~/.pgpass, PGPASSFILE or PGPASSWORD",
    "Connection refused": "is the database server running, on that host and port?",
}


def safe_url(url: str) -> str:
    """The URL with any password replaced by ***."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL: show only its scheme
        return url.split("://", 1)[0] + "://..."


def gradebook_problem(db_url: str, course_id: str) -> str | None:
    """None if the gradebook opens and answers a query; else one line naming the URL, the error and a hint."""
    try:
        from nbgrader.api import Gradebook

        with Gradebook(db_url, course_id=course_id) as gb:
            gb.assignments  # noqa: B018 - a real query: the connection works, the tables exist
    except Exception as err:  # noqa: BLE001 - any failure to open is reported, not raised
        text = str(err).strip()
        first = text.splitlines()[0] if text else ""
        hint = next((h for key, h in HINTS.items() if key in text), "")
        return f"cannot open the gradebook {safe_url(db_url)}: {type(err).__name__}: {first[:300]}" + (
            f" - {hint}" if hint else ""
        )
    return None
