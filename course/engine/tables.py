"""A scenario compiled for the engine's hot loop: indices, cumulative probabilities and closures, built once
per scenario object and cached on it."""

from __future__ import annotations

from collections.abc import Mapping

from course.engine import doctrines as _doctrines
from course.scenario.loader import Scenario, compile_condition


class Compiled:
    """The scenario turned into indices and closures once (cached on the scenario object)."""

    def __init__(self, s: Scenario) -> None:
        self.names = tuple(v.id for v in s.variables)
        index = {n: i for i, n in enumerate(self.names)}
        self.lo = tuple(v.min for v in s.variables)
        self.hi = tuple(v.max for v in s.variables)
        self.start = [float(v.start) for v in s.variables]
        # (index, share kept, min): a fading variable moves toward its min at the end of every turn
        self.fades = tuple((i, 1.0 - v.fade, float(v.min)) for i, v in enumerate(s.variables) if v.fade)

        def effects(e: Mapping[str, float], spread: Mapping[str, float]) -> tuple:
            # (index, mean - spread, 2 * spread, lo, hi): the change is a + b * u, u uniform on [0, 1)
            out = []
            for k in [*e, *(k for k in spread if k not in e)]:
                mean, half = float(e.get(k, 0.0)), float(spread.get(k, 0.0))
                out.append((index[k], mean - half, 2.0 * half, self.lo[index[k]], self.hi[index[k]]))
            return tuple(out)

        self.actions = {
            a.id: (
                effects(a.effects, a.spread),
                compile_condition(a.requires, index) if a.requires else None,
                a.stance,
            )
            for a in s.actions
        }
        self.action_order = tuple(a.id for a in s.actions)
        self.checks = tuple((a.id, self.actions[a.id][1]) for a in s.actions)
        self.free = all(req is None for _, req in self.checks)
        self.opponents = tuple(o.id for o in s.opponents)
        self.responses = tuple(
            tuple((r.id, effects(r.effects, r.spread), r.clash) for r in o.responses) for o in s.opponents
        )
        self.doctrines = tuple({d.id: _doctrines.build(d, o, s) for d in o.doctrines} for o in s.opponents)
        self.priors = tuple(tuple((d.id, d.prior) for d in o.doctrines) for o in s.opponents)
        self.reports = tuple(tuple(r.id for r in o.reports) for o in s.opponents)
        self.intel = tuple(
            {
                d.id: _doctrines.cumulate((o.reports.index(o.report(k)), p) for k, p in d.intel.items())
                for d in o.doctrines
            }
            for o in s.opponents
        )
        self.outcomes = tuple((compile_condition(o.when, index), o.id) for o in s.outcomes)
        self.kinds = {o.id: o.kind for o in s.outcomes}
        self.values = dict(s.scoring.outcomes)
        self.weights = tuple((index[k], w) for k, w in s.scoring.state.items())
        self.changes = tuple((index[k], w) for k, w in s.scoring.change.items())


def compiled(scenario: Scenario) -> Compiled:
    g = scenario._cache.get("engine")
    if g is None:
        g = scenario._cache["engine"] = Compiled(scenario)
    return g
