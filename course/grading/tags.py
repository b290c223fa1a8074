"""The tagging check of 01: a student's tag for each statement against the reference, counted, never shown.

The five tags are the digest's (``course.reading.digest.TAGS``), repeated here so that a graded cell does not
import the digest (whose claims and tags are the answers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from course.grading.checks import _short, check_type
from course.grading.errors import GradingError, WrongValue

__all__ = ["TAGS", "check_tag_form", "check_tags"]

TAGS = ("reported", "attributed", "judgement", "speculation", "recommendation")  # as course.reading.digest.TAGS


def check_tags(
    answers: Any,
    reference: Mapping[str, str | Iterable[str]],
    *,
    what: str = "claims",
    tags: Iterable[str] = TAGS,
    at_least: int | None = None,
    reveal: bool = False,
) -> int:
    """Check claim tags against a reference (kept in a hidden test); return how many agree.

    ``answers`` must be a dict of claim id -> tag, with every reference id tagged and only known tags.
    A reference value may list several accepted tags. Fails when fewer than ``at_least`` (default: all)
    agree, giving the count only: which ones are wrong stays hidden unless ``reveal=True``.
    """
    known = tuple(tags)
    check_type(answers, dict, f"your {what} tags")
    for key, tag in answers.items():
        check_type(key, str, f"the id {_short(key)}")
        check_type(tag, str, f"the tag of {key}")
        if tag not in known:
            raise WrongValue(f"{key}: {tag!r} is not a tag; use one of {', '.join(known)}")
    missing = [k for k in reference if k not in answers]
    if missing:
        raise GradingError(f"tag every {what[:-1] if what.endswith('s') else what}: missing {', '.join(missing)}")
    wrong = []
    for key, accepted in reference.items():
        accepted = (accepted,) if isinstance(accepted, str) else tuple(accepted)
        if answers[key] not in accepted:
            wrong.append(key)
    right, need = len(reference) - len(wrong), len(reference) if at_least is None else at_least
    if right < need:
        message = f"{right} of {len(reference)} {what} are tagged as the reference does; {need} needed"
        raise WrongValue(message + (f" (look again at {', '.join(wrong)})" if reveal else ""))
    return right


def check_tag_form(
    answers: Any, ids: Iterable[str], *, name: str = "your answer", what: str = "claims", tags: Iterable[str] = TAGS
) -> None:
    """The form of a tagging answer: a dict with one known tag for each of ``ids`` and no other key (any tag
    passes: what a visible test may check without a reference)."""
    ids = tuple(ids)
    known = tuple(tags)
    check_tags(answers, {i: known for i in ids}, what=what, tags=known)
    unknown = [str(k) for k in answers if k not in ids]
    if unknown:
        raise WrongValue(f"{name} has ids that are not {what} {ids[0]}..{ids[-1]}: {', '.join(unknown)}")
