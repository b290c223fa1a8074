"""Read the article digest in the terminal, and point the kit at an instructor's copy of the full text.

With PATH, the copy is checked against the digest (24 lines, every quote verbatim) and remembered in
~/.config/pact-course/article-path (or $XDG_CONFIG_HOME); $PACT_COURSE_ARTICLE overrides it. The kit never
ships the article itself.
"""

from __future__ import annotations

import argparse
import sys

HELP = "show the article digest (sections, a paragraph, a search) or point the kit at a full text"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH", help="a full text to check and remember")
    parser.add_argument("--show", metavar="ID", help="print a paragraph (p14) or a section (intro)")
    parser.add_argument("--search", metavar="TEXT", help="find paragraphs mentioning TEXT")
    parser.add_argument("--forget", action="store_true", help="forget the remembered full text")


def run(args: argparse.Namespace) -> int:
    from course import datafile
    from course.reading import digest as reading

    try:
        if args.forget:
            had = reading.forget()
            print(f"Forgot the full text ({reading.config_file()})." if had else "No full text was remembered.")
        if args.path:
            digest = reading.load(full_text=args.path)
            config = reading.remember(args.path)
            signals = sum(len(claim.signals) for claim in digest.claims())
            print(
                f"{args.path}: all {len(digest.quotes())} quotes and {signals} signals of the digest found "
                f"verbatim in its {reading.PARAGRAPHS} paragraphs."
            )
            print(f"Remembered in {config}.")
        if args.show or args.search:
            digest, _ = _digest()
            if args.show:
                print(reading.render_text(digest, args.show))
            if args.search:
                _search(digest, args.search)
        elif not (args.path or args.forget):
            _overview()
    except (datafile.DataError, KeyError, ValueError) as err:
        print(f"pact-course reading: {err}", file=sys.stderr)
        return 1
    return 0


def _digest():
    """The digest with the configured full text; without it (and a warning) when that text is unusable."""
    from course.reading import digest as reading

    try:
        digest = reading.load(full_text=True)
    except reading.FullTextError as err:
        print(f"pact-course reading: warning: {err}; showing the digest alone", file=sys.stderr)
        return reading.load(), f"configured but not usable: {err}"
    status = f"{digest.full_text_path} (checked against the digest)" if digest.full_text_path else None
    return digest, status


def _search(digest, text: str) -> None:
    matches = digest.search(text)
    if not matches:
        print(f"No paragraph mentions {text!r}.")
    for match in matches:
        print(f"{match.paragraph.id}: {', '.join(match.fields)} - {match.paragraph.summary}")


def _overview() -> None:
    from course.reading import digest as reading

    digest, status = _digest()
    for section in digest.sections():
        ids = [p.id for p in section.paragraphs]
        span = f"{ids[0]}-{ids[-1]}" if ids else ""
        heading = f"{section.heading.id} " if section.heading else ""
        claims = sum(len(p.claims) for p in section.paragraphs)
        print(f"[{section.id}] {heading}{section.title} ({span}, {claims} claims)")
    contested = len(digest.claims(contested=True))
    print(f"{len(digest.paragraphs)} paragraphs, {len(digest.claims())} claims ({contested} contested).")
    print(f"Full text: {status or f'not configured (pact-course reading PATH, or ${reading.ENV_VAR})'}.")
