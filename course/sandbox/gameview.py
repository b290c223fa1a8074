"""A game's view as plain data: how the trusted side writes it, and the read-only object a strategy gets from it.

Why a module of its own: the strategy runner (:mod:`course.grading.strategy`) keeps the game on the trusted side
and sends the sandbox's child only what the player may see; this module is both ends of that wire. The trusted
side turns the engine's ``View`` into plain data with :func:`plain_record` (any dataclass or named tuple,
generically: whatever fields the engine's ``View`` and the scenario hold today are sent, none is named here); the
child turns it back with :func:`materialise` into a :class:`View` that has the attributes and methods
strategies use (``view.actions``, ``view.state[...]``, ``view.turn``, ``view.history``, ``view.moves``,
``view.intel``, ``view.over``, ``view.outcome``, ``view.state_before(k)``, ``view.scenario.action(id).stance``,
...) and holds data only: no engine, no game, no hidden doctrine is in the child to reach.

Standard library only, and ``dataclasses`` only where the trusted side encodes: the child imports this on start.

>>> from typing import NamedTuple
>>> class Seen(NamedTuple):
...     turn: int
...     action: str
>>> data = plain_record(Seen(1, "talks"))
>>> data
{'__record__': 'Seen', '__tuple__': True, 'turn': 1, 'action': 'talks'}
>>> materialise(data)
Seen(turn=1, action='talks')
"""

from __future__ import annotations

from collections import namedtuple
from types import MappingProxyType
from typing import Any

RECORD = "__record__"  # a dict with this key is a record: the type's name
TUPLE = "__tuple__"  # ... and with this one a named tuple (kept a tuple in the child: unpacking, repr)
NOT_SENT = frozenset({"path"})  # where the scenario file lies on the grading machine: no rule of the game


def plain_record(obj: Any) -> Any:
    """Trusted side: dataclasses and named tuples -> tagged dicts, mappings -> dicts, recursively.

    Fields whose names start with ``_`` (caches) and those in :data:`NOT_SENT` are left out; what remains is
    plain data for :func:`course.sandbox.wire.encode`.
    """
    import dataclasses

    if isinstance(obj, tuple) and hasattr(type(obj), "_fields"):
        out = {RECORD: type(obj).__name__, TUPLE: True}
        out.update((f, plain_record(getattr(obj, f))) for f in type(obj)._fields)
        return out
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {RECORD: type(obj).__name__}
        for f in dataclasses.fields(obj):
            if not f.name.startswith("_") and f.name not in NOT_SENT:
                out[f.name] = plain_record(getattr(obj, f.name))
        return out
    if isinstance(obj, dict) or (hasattr(obj, "keys") and hasattr(obj, "__getitem__")):
        return {k: plain_record(obj[k]) for k in obj.keys()}
    if type(obj) in (list, tuple):
        return type(obj)(plain_record(v) for v in obj)
    return obj


_TUPLE_TYPES: dict[tuple, type] = {}


def materialise(data: Any) -> Any:
    """Child side: tagged dicts -> read-only records (named tuples stay tuples), dicts -> read-only mappings."""
    kind = type(data)
    if kind is dict:
        if RECORD in data:
            name = data[RECORD]
            fields = {k: materialise(v) for k, v in data.items() if k not in (RECORD, TUPLE)}
            if data.get(TUPLE):
                key = (name, tuple(fields))
                if key not in _TUPLE_TYPES:
                    _TUPLE_TYPES[key] = namedtuple(name, tuple(fields))  # noqa: PYI024 - names known at run time only
                return _TUPLE_TYPES[key](*fields.values())
            return Record(name, fields)
        return MappingProxyType({k: materialise(v) for k, v in data.items()})
    if kind is list:
        return [materialise(v) for v in data]
    if kind is tuple:
        return tuple(materialise(v) for v in data)
    return data


class Record:
    """A read-only object made of fields (a scenario, an action, an opponent...): attributes only, no code.

    A tuple field of records with ids (``actions``) also answers a lookup by id under its singular name
    (``action("talks-with-guarantees")``), as the scenario's own classes do.
    """

    __slots__ = ("_name", "_fields")

    def __init__(self, name: str, fields: dict[str, Any]) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_fields", fields)

    def __getattr__(self, attr: str) -> Any:
        fields = object.__getattribute__(self, "_fields")
        if attr in fields:
            return fields[attr]
        items = fields.get(attr + "s")
        if type(items) is tuple and all(type(i) is Record and "id" in i._fields for i in items):

            def lookup(ident: str) -> Any:
                return next(i for i in items if i.id == ident)  # StopIteration when absent, as the scenario's

            lookup.__name__ = attr
            return lookup
        raise AttributeError(f"{object.__getattribute__(self, '_name')} has no attribute {attr!r}")

    def __setattr__(self, attr: str, value: Any) -> None:
        raise AttributeError(f"{self._name} is read-only")

    __delattr__ = __setattr__

    def __dir__(self) -> list[str]:
        return sorted(self._fields)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._fields.items() if k in ("id", "name"))
        return f"{self._name}({shown})"


class View:
    """What the player may see now: the engine's ``View`` as data (every field it sends), read-only.

    Strategies are functions ``policy(view) -> action_id``; a View is all they get.
    """

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        object.__setattr__(self, "_fields", fields)

    def __getattr__(self, attr: str) -> Any:
        try:
            return object.__getattribute__(self, "_fields")[attr]
        except KeyError:
            raise AttributeError(f"View has no attribute {attr!r}") from None

    def __setattr__(self, attr: str, value: Any) -> None:
        raise AttributeError("the view is read-only: return the id of your move instead")

    __delattr__ = __setattr__

    def __dir__(self) -> list[str]:
        return sorted({*self._fields, "moves", "intel", "state_before"})

    def __repr__(self) -> str:
        return f"<view before turn {self._fields.get('turn', 0) + 1}>"

    @property
    def moves(self) -> tuple[str, ...]:
        """Your moves so far, oldest first."""
        return tuple(s.action for s in self.history)

    @property
    def intel(self) -> tuple[tuple[str, str], ...]:
        """Every intelligence report so far, oldest first, as (opponent id, report id)."""
        return tuple(r for s in self.history for r in s.intel)

    def state_before(self, turn: int) -> tuple[float, ...]:
        """The state at the start of a turn (1-based), in variable order."""
        if turn <= 1:
            return tuple(v.start for v in self.scenario.variables)
        return self.history[turn - 2].state


def view_from(fields: Any, context: dict[str, Any]) -> View:
    """Child side: one turn's view from its decoded fields and what was sent once per run (the scenario)."""
    made = materialise(fields)
    return View({**dict(made), **context})
