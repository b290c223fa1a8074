"""Seeds for a session's teams, chosen so that every doctrine of the main opponent is in the room.

Why: the debrief that teaches compares teams that met different North Koreas (a spiral against the reciprocator,
a probe by the opportunist, ...). A random seed per team would often leave a doctrine out of a class of four
teams; here team i meets doctrine i modulo their number, in the scenario's order, found by trying seeds from a
base upwards (the engine draws the doctrines from the seed, so the search is deterministic).

>>> from course.scenario.loader import load
>>> from course.engine.crisis import Crisis
>>> s = load("korean-peninsula-2024")
>>> seeds = seeds_for(s, 4, base=1000)
>>> sorted(Crisis(s, seed).doctrines["north-korea"] for seed in seeds) == sorted(d.id for d in s.opponents[0].doctrines)
True
"""

from __future__ import annotations

from course.engine.crisis import Crisis
from course.scenario.loader import Scenario

TRIES = 10_000


def seeds_for(scenario: Scenario, teams: int, base: int) -> list[int]:
    """``teams`` distinct seeds from ``base`` upwards; team i's first opponent follows doctrine i mod the count."""
    opponent = scenario.opponents[0]
    wanted = [d.id for d in opponent.doctrines]
    seeds: list[int] = []
    start = base
    for i in range(teams):
        target = wanted[i % len(wanted)]
        # A doctrine with a prior of zero (or nearly) is never met: take the next seed rather than fail the class.
        match = (s for s in range(start, start + TRIES) if Crisis(scenario, s).doctrines[opponent.id] == target)
        seed = next(match, start)
        seeds.append(seed)
        start = seed + 1
    return seeds
