"""Subcommands of ``pact-course``: one module each, discovered by :mod:`course.cli`.

A command module defines ``HELP`` (a one-line summary), ``add_arguments(parser)`` and
``run(args) -> int`` (the exit status), and keeps heavy imports inside ``run``.
"""
