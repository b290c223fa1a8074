"""The ``--root`` option every instructor command shares, and the check that it is a course directory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_root(parser: argparse.ArgumentParser) -> None:
    """``--root DIR``: the course directory (the folder holding nbgrader_config.py), by default here."""
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="course directory (default: here)")


def course_root(args: argparse.Namespace) -> Path | None:
    """The resolved course directory, or None after saying on stderr why it is not one."""
    root = args.root.resolve()
    if not (root / "nbgrader_config.py").exists():
        print(f"{root}: not a course directory (no nbgrader_config.py)", file=sys.stderr)
        return None
    return root
