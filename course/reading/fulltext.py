"""The instructor's full text of the article: where it is configured, how it is read and checked, remembered.

Why a module of its own: the kit never ships the article; an instructor may point it at their own copy (an
argument, ``$PACT_COURSE_ARTICLE`` or a config file, in that order). This is the only part of the reading
that touches the user's files and environment. Import these from :mod:`course.reading.digest`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from course.reading.model import PARAGRAPHS, Digest, FullTextError

ENV_VAR = "PACT_COURSE_ARTICLE"


def config_file() -> Path:
    """Where ``pact-course reading PATH`` remembers the full text: ``$XDG_CONFIG_HOME`` or ``~/.config``."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "pact-course" / "article-path"


def full_text_path(path: str | Path | None = None) -> Path | None:
    """The full text to use: ``path``, else ``$PACT_COURSE_ARTICLE``, else the config file; None if none."""
    return configured(path)[0]


def configured(path: str | Path | None) -> tuple[Path | None, str]:
    """The full text's path and where that choice came from (for error messages)."""
    if path:
        return Path(path).expanduser(), "the argument"
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser(), f"${ENV_VAR}"
    config = config_file()
    if config.is_file():
        remembered = config.read_text(encoding="utf-8").strip()
        return (Path(remembered) if remembered else None), str(config)
    return None, ""


def full_text(path: str | Path | None = None) -> tuple[str, ...] | None:
    """The configured full text as 24 paragraphs (see :func:`full_text_path`), or None when none is set."""
    where, origin = configured(path)
    return None if where is None else read_full_text(where, origin)


def read_full_text(path: str | Path, origin: str = "the argument") -> tuple[str, ...]:
    """Read a full text (UTF-8, one paragraph per line) and check that it has 24 paragraphs."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FullTextError(path, None, "full text", f"not found (set by {origin})") from None
    except (OSError, UnicodeDecodeError) as err:
        raise FullTextError(path, None, "full text", f"cannot be read: {err}") from None
    return check_length(text.splitlines(), path)


def check_length(lines: list[str], path: Path) -> tuple[str, ...]:
    """The lines without trailing blank ones, which must be exactly one per paragraph."""
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) != PARAGRAPHS:
        raise FullTextError(
            path, None, "full text", f"expected {PARAGRAPHS} lines (one paragraph each), got {len(lines)}"
        )
    return tuple(lines)


def attach(digest: Digest, lines: Sequence[str], path: Path | None = None) -> Digest:
    """A copy of ``digest`` with each paragraph's text; every quote and signal must occur in its paragraph."""
    where = path or Path("<full text>")
    paragraphs = []
    for paragraph, line in zip(digest.paragraphs, lines, strict=True):
        for quote in paragraph.quotes:
            if quote.text not in line:
                raise FullTextError(where, paragraph.number, paragraph.id, f"quote not found verbatim: {quote.text!r}")
        for claim in paragraph.claims:
            for signal in claim.signals:
                if signal not in line:
                    raise FullTextError(
                        where, paragraph.number, paragraph.id, f"signal of {claim.id} not found: {signal!r}"
                    )
        paragraphs.append(replace(paragraph, text=line))
    return replace(digest, paragraphs=tuple(paragraphs), full_text_path=path)


def forget() -> bool:
    """Remove the remembered full text; True if there was one."""
    config = config_file()
    if config.is_file():
        config.unlink()
        return True
    return False
