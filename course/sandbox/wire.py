"""Plain data: the only values that cross the sandbox's pipe, encoded as JSON with their exact types kept.

Why a module of its own: both sides of :mod:`course.sandbox.runner` use it (the parent encodes the cases and
decodes the answers, the child the other way round) and :mod:`course.grading.checks` checks answers with it; the
child imports it on every start, so it imports nothing but ``sys``.

JSON arrays are lists; other containers are one-key objects, so a tuple stays a tuple and a dict may have
non-string keys. Only exact builtin types pass: a subclass could carry a lying ``__eq__``.

>>> decode(encode({(1, 2): [frozenset({3})]}))
{(1, 2): [frozenset({3})]}
"""

from __future__ import annotations

import sys
from typing import Any

_SCALARS = (int, float, str, bool, type(None))
_TAGS = {tuple: "t", set: "s", frozenset: "f"}
_UNTAG = {"t": tuple, "s": set, "f": frozenset}
MAX_ITEMS = 100_000


class NotPlainData(TypeError):
    """A value the grader cannot check: not built from numbers, strings, None, lists, tuples, sets, dicts."""


def encode(value: Any, _count: list[int] | None = None, _depth: int = 0) -> Any:
    """Plain data -> JSON-able, exact types kept (``fractions.Fraction`` too); else :class:`NotPlainData`."""
    count = _count if _count is not None else [0]
    count[0] += 1
    if count[0] > MAX_ITEMS or _depth > 50:
        raise NotPlainData(f"more than {MAX_ITEMS} items or nested more than 50 deep")
    kind = type(value)
    if kind in _SCALARS:
        if kind is int and value.bit_length() > 13_000:  # ~4000 digits: JSON's str() limit is 4300
            raise NotPlainData("an int with more than 3900 digits")
        return value
    if kind is list:
        return [encode(v, count, _depth + 1) for v in value]
    if kind in _TAGS:
        return {_TAGS[kind]: [encode(v, count, _depth + 1) for v in value]}
    if kind is dict:
        return {"d": [[encode(k, count, _depth + 1), encode(v, count, _depth + 1)] for k, v in value.items()]}
    if kind.__name__ == "Fraction" and kind is getattr(sys.modules.get("fractions"), "Fraction", None):
        return {"q": [value.numerator, value.denominator]}  # the kit's games use exact arithmetic
    article = "an" if kind.__name__[:1].lower() in "aeiou" else "a"
    raise NotPlainData(f"{article} {kind.__name__} object")


def encode_fields(encoded: dict[str, Any]) -> Any:
    """A dict of string keys whose values are already encoded, in the wire format (what :func:`encode` of the
    plain dict gives): lets a caller encode a large part once and reuse it."""
    return {"d": [[key, value] for key, value in encoded.items()]}


def encode_tuple_of(encoded: list[Any]) -> Any:
    """A tuple whose items are already encoded, in the wire format (see :func:`encode_fields`)."""
    return {_TAGS[tuple]: list(encoded)}


def decode(data: Any) -> Any:
    """The inverse of :func:`encode`."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if isinstance(data, dict):
        ((tag, items),) = data.items()
        if tag == "d":
            return {decode(k): decode(v) for k, v in items}
        if tag == "q":
            from fractions import Fraction

            return Fraction(*items)
        return _UNTAG[tag](decode(v) for v in items)
    return data
