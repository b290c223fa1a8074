"""Small, defensive helpers for nbgrader test cells.

Why: a test cell runs in the student's kernel and counts as passed when it raises nothing, so a bare
``assert answer == expected`` trusts the student's object (an ``__eq__`` that always says yes passes)
and tells the student nothing. These helpers check exact types before values, never call ``==`` on a
student's object, evaluate graded functions outside the kernel (:mod:`course.sandbox.runner`), and fail with
an :class:`AssertionError` whose short message says what to fix without giving the answer away.

>>> check_close(0.75, 0.75, "the threshold")
>>> check_close(True, 1.0, "the threshold")
Traceback (most recent call last):
...
course.grading.errors.WrongType: the threshold should be a number (int, float or Fraction), but it is a bool: True

Pure standard library plus :mod:`course.sandbox.runner`: every graded notebook imports this module.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from course.grading.errors import GradingError, KitUsed, WrongType, WrongValue
from course.grading.kit_use import ANSWER_BEARING, check_no_kit_use, flag_kit_use
from course.sandbox import runner as sandbox

__all__ = [
    "ANSWER_BEARING",
    "GradingError",
    "KitUsed",
    "WrongType",
    "WrongValue",
    "check_close",
    "check_equal",
    "check_function",
    "check_no_kit_use",
    "check_same_items",
    "check_type",
    "flag_kit_use",
]


_NUMBERS = (int, float, Fraction)


def _short(value: Any, limit: int = 60) -> str:
    try:
        text = repr(value) if type(value) in (*_NUMBERS, str, bool, type(None), list, tuple, dict) else ""
    except Exception:
        text = ""
    text = text or f"<a {type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_names(expected: type | tuple[type, ...]) -> str:
    names = [t.__name__ if t is not type(None) else "None" for t in _as_tuple(expected)]
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return text if text == "None" else _a(text)


def _a(name: str) -> str:
    """``an int``, ``a list``: messages are read by students."""
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _as_tuple(expected: type | tuple[type, ...]) -> tuple[type, ...]:
    return expected if isinstance(expected, tuple) else (expected,)


def check_type(value: Any, expected: type | tuple[type, ...], name: str) -> None:
    """Raise :class:`WrongType` unless ``type(value)`` is exactly one of ``expected``.

    Exact: ``True`` is not an ``int`` here, and a subclass (which could redefine ``__eq__``) is refused.

    >>> check_type([1, 2], list, "moves")
    >>> check_type((1, 2), list, "moves")
    Traceback (most recent call last):
    ...
    course.grading.errors.WrongType: moves should be a list, but it is a tuple: (1, 2)
    """
    if type(value) not in _as_tuple(expected):
        raise WrongType(
            f"{name} should be {_type_names(expected)}, but it is {_a(type(value).__name__)}: {_short(value)}"
        )


def _check_number(value: Any, what: str) -> float:
    if type(value) not in _NUMBERS:
        raise WrongType(
            f"{what} should be a number (int, float or Fraction), but it is {_a(type(value).__name__)}: {_short(value)}"
        )
    number = float(value)
    if not math.isfinite(number):
        raise WrongValue(f"{what} is {value!r}: check for a division by zero or an overflow")
    return number


def check_close(
    actual: Any, expected: float | Fraction, what: str, *, tol: float = 1e-6, rel: float = 0.0, hint: str = ""
) -> None:
    """Raise unless ``actual`` is a finite number within ``max(tol, rel * |expected|)`` of ``expected``.

    Refuses ``bool``, strings, NaN and objects before comparing; the message names the student's value
    and the tolerance, never the expected value. ``hint`` is added to the message.
    """
    got = _check_number(actual, what)
    if abs(got - float(expected)) > max(tol, rel * abs(float(expected))):
        raise WrongValue(
            f"{what} is {_short(actual)}, which is not within {max(tol, rel * abs(float(expected))):g} "
            "of the expected value" + (f": {hint}" if hint else "")
        )


def _difference(actual: Any, expected: Any, tol: float, where: str = "") -> str | None:
    """The first difference between a student's plain value and the expected one, in words, or None.

    Compares by exact type first, so ``1``, ``1.0`` and ``True`` differ, and never calls a student's
    ``__eq__`` (only values of exact builtin types get here).
    """
    place = f" at {where}" if where else ""
    if type(expected) in _NUMBERS and type(actual) in _NUMBERS:
        exact = {int: (int,), Fraction: (Fraction, int), float: _NUMBERS}[type(expected)]
        if type(actual) not in exact:
            allowed = " or ".join(t.__name__ for t in exact)
            return f"the value{place} should be {allowed}, not {type(actual).__name__}"
        ok = math.isfinite(float(actual)) and abs(float(actual) - float(expected)) <= tol
        return None if ok else f"the value{place} is not the expected one"
    if type(actual) is not type(expected):
        return f"the value{place} should be {_type_names(type(expected))}, but it is {_type_names(type(actual))}"
    if type(expected) in (list, tuple):
        if len(actual) != len(expected):
            return f"the {type(expected).__name__}{place} has {len(actual)} items; {len(expected)} were expected"
        for k, (a, e) in enumerate(zip(actual, expected, strict=True)):
            found = _difference(a, e, tol, f"{where}[{k}]")
            if found:
                return found
        return None
    if type(expected) is dict:
        if set(map(_key, actual)) != set(map(_key, expected)):
            return f"the dict{place} does not have the expected keys"
        by_key = {_key(k): v for k, v in actual.items()}
        for k, v in expected.items():
            found = _difference(by_key[_key(k)], v, tol, f"{where}[{k!r}]")
            if found:
                return found
        return None
    if type(expected) in (set, frozenset):
        return None if Counter(map(_key, actual)) == Counter(map(_key, expected)) else f"the set{place} differs"
    return None if _key(actual) == _key(expected) else f"the value{place} is not the expected one"


def _key(value: Any) -> Any:
    """A hashable, type-tagged form of plain data: equal keys mean equal values of the same types."""
    kind = type(value)
    if kind in (list, tuple):
        return (kind.__name__, tuple(_key(v) for v in value))
    if kind in (set, frozenset):
        return (kind.__name__, frozenset(_key(v) for v in value))
    if kind is dict:
        return ("dict", frozenset((_key(k), _key(v)) for k, v in value.items()))
    if kind not in (int, float, str, bool, type(None), Fraction):
        raise WrongType(f"a value of type {kind.__name__} cannot be checked: use plain data")
    return (kind.__name__, value)


def _check_plain(value: Any, what: str) -> None:
    try:
        sandbox.encode(value)
    except sandbox.NotPlainData as err:
        raise WrongType(
            f"{what} should be plain data (numbers, strings, lists, tuples, dicts), but it contains {err}"
        ) from None


def check_equal(actual: Any, expected: Any, what: str, *, tol: float = 1e-9) -> None:
    """Raise unless ``actual`` has the same structure, exact types and values as ``expected``.

    Floats compare within ``tol`` (an int is accepted where a float is expected, not the other way).
    The message says where the first difference is and of what kind, never the expected value.
    """
    _check_plain(actual, what)
    found = _difference(actual, expected, tol)
    if found:
        raise WrongValue(f"{what}: {found}")


def check_same_items(actual: Any, expected: Iterable[Any], what: str, *, show_extra: bool = False) -> None:
    """Raise unless ``actual`` (a list, tuple or set) holds the same items as ``expected``, in any order.

    Counts what is wrong ("2 should not be there, 1 is missing") without naming the missing items;
    ``show_extra=True`` also names the student's items that should not be there.
    """
    check_type(actual, (list, tuple, set, frozenset), what)
    _check_plain(actual, what)
    have, want = Counter(map(_key, actual)), Counter(map(_key, expected))
    extra, missing = have - want, want - have
    if extra or missing:
        parts = []
        if extra:
            parts.append(f"{sum(extra.values())} should not be there")
        if missing:
            parts.append(f"{sum(missing.values())} {'is' if sum(missing.values()) == 1 else 'are'} missing")
        message = f"{what} has {len(actual)} items: " + " and ".join(parts)
        if show_extra and extra:
            shown = [_short(v) for v in actual if extra.get(_key(v))]
            message += f" (not expected: {', '.join(dict.fromkeys(shown))})"
        raise WrongValue(message)


def check_function(
    namespace_or_fn: Mapping[str, Any] | Callable,
    name: str | None,
    cases: Sequence[tuple[tuple, Any]],
    *,
    tol: float = 1e-9,
    show_args: bool = True,
    forbid: Mapping[str, frozenset[str] | None] = ANSWER_BEARING,
    **limits: Any,
) -> sandbox.SandboxResult:
    """Run the student's function on ``cases`` — ``[(args, expected), ...]`` — outside the kernel.

    The function and what it uses are copied from the notebook (:func:`course.sandbox.runner.definitions_from`),
    checked for use of the kit's answer-bearing functions, and evaluated in a fresh subprocess with the
    sandbox's limits (``limits`` go to :func:`course.sandbox.runner.evaluate`). Raises on the first failing case,
    saying how many fail; ``show_args=False`` hides the arguments (for hidden cases shown in feedback).
    Returns the sandbox result for further checks.
    """
    name, source = student_source(namespace_or_fn, name, forbid)
    result = sandbox.evaluate(source, name, [args for args, _ in cases], **limits)
    if result.setup_error:
        raise GradingError(result.setup_error)
    problems = []
    for k, (call, (args, expected)) in enumerate(zip(result.calls, cases, strict=True)):
        shown = sandbox._describe_call(name, args)
        label = shown if show_args else f"{name} on test case {k + 1}"
        if not call.ok:  # the sandbox's message, with the arguments left out when they are hidden
            problems.append(call.message if show_args else call.message.replace(shown, f"test case {k + 1}"))
            continue
        found = _difference(call.value, expected, tol)
        if found:
            problems.append(f"{label} returned {_short(call.value)}: {found}")
    if problems:
        raise WrongValue(f"{len(problems)} of {len(cases)} cases fail. First: {problems[0]}")
    return result


def student_source(
    namespace_or_fn: Mapping[str, Any] | Callable,
    name: str | None,
    forbid: Mapping[str, frozenset[str] | None] = ANSWER_BEARING,
) -> tuple[str, str]:
    """The student's function ``name`` (from a namespace such as ``globals()``, or the function itself) and
    the source of what it uses, checked for use of the kit's answer-bearing code: what every check that runs
    student code in the sandbox sends there. Returns ``(name, source)``."""
    if isinstance(namespace_or_fn, sandbox.Submitted):  # on the grader's side, from the kernel
        name = name or namespace_or_fn.name
        namespace_or_fn = {name: namespace_or_fn}
    if callable(namespace_or_fn):
        target = getattr(namespace_or_fn, "__wrapped__", namespace_or_fn)
        name = name or target.__name__
        namespace = getattr(target, "__globals__", None) or vars(sys.modules[target.__module__])
    else:
        namespace, name = namespace_or_fn, name or ""
    if not name or name not in namespace:
        raise GradingError(f"define a function called {name or '(no name given)'} and run its cell before this test")
    try:
        source = sandbox.definitions_from(namespace, [name])
    except sandbox.SourceUnavailable as err:
        raise GradingError(str(err)) from None
    check_no_kit_use(source, forbid, what=name)
    return name, source
