"""The ``pact-course`` command line.

Each subcommand lives in its own module under :mod:`course.commands` and declares ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``. Modules import what they need inside ``run`` so that
``pact-course --help`` and light commands never pay for nbgrader or nbformat (seconds each; see
notes/import-costs.md).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from course import __version__, commands


def _command_modules() -> list[tuple[str, object]]:
    found = []
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"course.commands.{info.name}")
        found.append((info.name.replace("_", "-"), module))
    return found


def build_parser() -> argparse.ArgumentParser:
    """The full parser, one sub-parser per module in :mod:`course.commands`."""
    parser = argparse.ArgumentParser(
        prog="pact-course",
        description="Teaching and wargame kit on the 2024 Russia-North Korea pact.",
    )
    parser.add_argument("--version", action="version", version=f"pact-course {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, module in _command_modules():
        child = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(child)
        child.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
