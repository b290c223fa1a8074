"""Open nbgrader's gradebook once, before any work, and say in one line why it cannot be opened.

Why: nbgrader opens the gradebook inside each conversion, so an unreachable database (a PostgreSQL
``db_url`` whose driver is not installed, a wrong port, no password) makes every student fail with
"There was an error processing assignment", the real cause only in nbgrader's log, and removes each
student's autograded folder. Checked first, the same cause is one line and the run does not start.

Also: repair a gradebook that nbgrader left without its alembic version stamp (``repair_version_stamp``;
the build and ``make lab`` call it), and read the course's gradebook URL (``course_db_url``).
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


def course_db_url(root) -> str:
    """The gradebook URL ``nbgrader_config.py`` in ``root`` names (nbgrader's default when it names none)."""
    from pathlib import Path

    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    url = config.get("CourseDirectory", {}).get("db_url")
    return url if isinstance(url, str) and url else f"sqlite:///{root / 'gradebook.db'}"


def repair_version_stamp(db_url: str) -> str | None:
    """Stamp a gradebook that nbgrader made without its alembic version; say so, or return None.

    nbgrader creates the tables first and then runs the ``alembic`` program to learn the schema version it
    records; when ``alembic`` is not on PATH (JupyterLab started without the venv's bin: the formgrader
    hangs on "Loading") the tables stay, unstamped, and nbgrader never stamps them later, so a later
    ``nbgrader db upgrade`` cannot tell their version. The tables were made from the installed nbgrader's
    models, which are its newest migration: that is the version recorded here (nothing else changes).
    """
    if db_url.startswith("sqlite:///"):
        from pathlib import Path

        path = db_url.removeprefix("sqlite:///")
        if path and path != ":memory:" and not Path(path).exists():
            return None  # no gradebook yet: nbgrader makes (and stamps) it
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        if not tables or "alembic_version" in tables:
            return None
        head = _alembic_head()
        with engine.begin() as db:
            db.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            db.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})
    finally:
        engine.dispose()
    return (
        f"the gradebook {safe_url(db_url)} had nbgrader's tables but no alembic version stamp "
        f"(made while `alembic` was not on PATH): stamped it {head}; its contents are unchanged"
    )


def _alembic_head() -> str:
    """nbgrader's newest schema revision, read with alembic's Python API (no `alembic` program needed)."""
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    return ScriptDirectory(ALEMBIC_DIR).get_current_head()


if __name__ == "__main__":  # `python -m course.autograde.gradebook [ROOT]`: repair the course's gradebook (make lab)
    import sys

    note = repair_version_stamp(course_db_url(sys.argv[1] if len(sys.argv) > 1 else "."))
    if note:
        print(note)
