"""Record which packaged data files pass their schemas: ``course/data/validated.json``.

Each entry is :func:`course.datafile.memo_key` of a packaged file (the article digest, every packaged
scenario) with its schema, written only after the file has been validated here for real. At load time
:func:`course.datafile.read_valid` skips the schema run for a file whose key is listed: the same schema on
the same text gives the same answer. A file edited since (a new scenario, a changed digest) has another key,
so it is validated as before; the list only saves time, never decides validity.

    python -m course.autograde.validated           # validate the packaged files, write the list (make build does)
    python -m course.autograde.validated --check   # exit 1 if the list is not the current one (a test does)
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path

from course import datafile

# Packaged data file (relative to course/data) -> its schema.
SCHEMAS = {"article.yaml": "article.schema.json", "scenarios/*.yaml": "scenario.schema.json"}
ABOUT = (
    "Written by `python -m course.autograde.validated` (make build): sha256 of each packaged schema and data file "
    "that passed validation. Loading skips the schema run for a listed file; any other file is validated."
)


def data_folder() -> Path:
    return Path(str(resources.files("course.data")))


def current() -> dict[str, str]:
    """Validate every packaged data file against its schema (raising DataError on the first problem);
    return each file's key, by its path under course/data."""
    folder = data_folder()
    keys: dict[str, str] = {}
    for pattern, schema_name in SCHEMAS.items():
        for path in sorted(folder.glob(pattern)):
            data, node = datafile.read_yaml(path)
            datafile.validate(data, node, path, schema_name)
            keys[path.relative_to(folder).as_posix()] = datafile.memo_key(schema_name, path.read_text(encoding="utf-8"))
    return keys


def render(keys: dict[str, str]) -> str:
    return json.dumps({"about": ABOUT, "valid": keys}, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.autograde.validated", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not write: exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    target = data_folder() / datafile.MEMO
    try:
        text = render(current())
    except datafile.DataError as err:
        print(f"not recorded: {err}", file=sys.stderr)
        return 1
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run `python -m course.autograde.validated` (make build)", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
