"""The crisis engine: pure, seeded, deterministic.

>>> from course.scenario import load
>>> from course.engine import Crisis, replay
>>> game = Crisis(load("korean-peninsula-2024"), seed=7)
>>> turn = game.play("coordinate-with-allies")
>>> turn.number, turn.action
(1, 'coordinate-with-allies')
>>> replay(game.scenario, game.log).history == game.history
True

Same scenario, seed and moves give the same states on every machine: the only randomness is
``random.Random(seed).random()`` (choices and spreads are built from it here), nothing iterates a set,
and the scenario hash is sha256 over canonical JSON. Explanations (:attr:`Turn.why`) are built on demand,
so the hot loop only records numbers.
"""

from __future__ import annotations

import json
import random
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from course import doctrines as _doctrines
from course.scenario import Scenario, compile_condition

ENGINE_VERSION = "1"


class IllegalMove(ValueError):
    """A move that is not legal now; the game is unchanged. ``legal`` lists the legal actions."""

    def __init__(self, action: str, legal: Sequence[str], reason: str = "") -> None:
        self.action = action
        self.legal = tuple(legal)
        why = reason or "not legal now"
        super().__init__(f"{action!r}: {why}; legal now: {', '.join(self.legal) or '(none: the game is over)'}")


class ReplayError(ValueError):
    """A decision log that does not fit this scenario or engine."""


class Seen(NamedTuple):
    """One turn as the player saw it: no hidden doctrine."""

    turn: int
    action: str
    responses: tuple[tuple[str, str], ...]  # (opponent id, response id)
    intel: tuple[tuple[str, str], ...]  # (opponent id, report id)
    state: tuple[float, ...]  # after the turn, in the scenario's variable order


class View(NamedTuple):
    """What the player may see now. Strategies are functions ``policy(view) -> action_id``."""

    scenario: Scenario
    turn: int
    state: dict[str, float]
    actions: tuple[str, ...]
    history: tuple[Seen, ...]
    over: bool
    outcome: str | None

    @property
    def moves(self) -> tuple[str, ...]:
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


class _Compiled:
    """The scenario turned into indices and closures once (cached on the scenario object)."""

    def __init__(self, s: Scenario) -> None:
        self.names = tuple(v.id for v in s.variables)
        index = {n: i for i, n in enumerate(self.names)}
        self.lo = tuple(v.min for v in s.variables)
        self.hi = tuple(v.max for v in s.variables)
        self.start = [float(v.start) for v in s.variables]

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
            {d.id: _cumulate([(o.reports.index(o.report(k)), p) for k, p in d.intel.items()]) for d in o.doctrines}
            for o in s.opponents
        )
        self.outcomes = tuple((compile_condition(o.when, index), o.id) for o in s.outcomes)
        self.kinds = {o.id: o.kind for o in s.outcomes}
        self.values = dict(s.scoring.outcomes)
        self.weights = tuple((index[k], w) for k, w in s.scoring.state.items())


def _cumulate(pairs: Sequence[tuple[int, float]]) -> tuple[tuple[float, ...], tuple[int, ...]]:
    cum, idx, total = [], [], 0.0
    for i, p in pairs:
        if p > 0:
            total += p
            cum.append(total)
            idx.append(i)
    cum[-1] = 1.0
    return tuple(cum), tuple(idx)


def compiled(scenario: Scenario) -> _Compiled:
    g = scenario._cache.get("engine")
    if g is None:
        g = scenario._cache["engine"] = _Compiled(scenario)
    return g


class Turn:
    """A played turn. ``why`` tells it in a sentence (it names the hidden doctrine: show it in a debrief)."""

    __slots__ = (
        "number",
        "action",
        "responses",
        "situations",
        "rolls",
        "before",
        "state",
        "intel",
        "outcome",
        "_c",
    )

    def __init__(self, number, action, responses, situations, rolls, before, state, intel, outcome, crisis):
        self.number = number
        self.action = action
        self.responses = responses  # tuple of response ids, one per opponent
        self.situations = situations
        self.rolls = rolls
        self.before = before
        self.state = state
        self.intel = intel  # tuple of report ids, one per opponent
        self.outcome = outcome
        self._c = crisis

    def _key(self) -> tuple:
        return (
            self.number,
            self.action,
            self.responses,
            self.situations,
            self.rolls,
            self.state,
            self.intel,
            self.outcome,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Turn) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Turn({self.number}, {self.action!r}, responses={self.responses}, outcome={self.outcome!r})"

    def as_dict(self) -> dict[str, Any]:
        """The turn as the player saw it (for ``pact-course play --json``)."""
        g = self._c._g
        return {
            "turn": self.number,
            "action": self.action,
            "responses": dict(zip(g.opponents, self.responses, strict=True)),
            "intel": dict(zip(g.opponents, self.intel, strict=True)),
            "state": {n: round(x, 2) for n, x in zip(g.names, self.state, strict=True)},
            "outcome": self.outcome,
        }

    @property
    def why(self) -> str:
        """One sentence: the action, each opponent's doctrine rule and the roll that picked its reply."""
        s, g, c = self._c.scenario, self._c._g, self._c
        parts = [f"Turn {self.number}: the coalition chose {s.action(self.action).name}"]
        for k, opp in enumerate(s.opponents):
            doctrine = g.doctrines[k][c._doctrines[k]]
            rule = type(doctrine).situations[self.situations[k]]
            p = doctrine.probabilities(self.situations[k], list(self.before))[self.responses[k]]
            reply = opp.response(self.responses[k]).name
            parts.append(
                f"{opp.name}, as a {doctrine.spec.name or doctrine.id}, answered with {reply} because {rule}"
                f" (roll {self.rolls[k]:.2f}; that reply had probability {p:.2f})"
            )
        text = "; ".join(parts)
        if self.outcome:
            text += f"; the game ended: {s.outcome(self.outcome).name}"
        return text + "."


class Crisis:
    """One game. Opponents' doctrines are drawn from the priors with the seed unless given.

    ``doctrines`` maps opponent id to doctrine id for those you want to fix (the draws are made anyway,
    so the rest of the game's rolls do not depend on it).
    """

    def __init__(self, scenario: Scenario, seed: int = 0, doctrines: Mapping[str, str] | None = None) -> None:
        self.scenario = scenario
        self.seed = seed
        self._g = g = compiled(scenario)
        self._rng = random.Random(seed)
        rnd = self._rng.random
        chosen = []
        for priors in g.priors:
            u, total, pick = rnd(), 0.0, priors[-1][0]
            for did, p in priors:
                total += p
                if u < total:
                    pick = did
                    break
            chosen.append(pick)
        fixed = dict(doctrines or {})
        for opp, did in fixed.items():
            if opp not in g.opponents:
                raise ValueError(f"no opponent {opp!r} (known: {', '.join(g.opponents)})")
            k = g.opponents.index(opp)
            if did not in g.doctrines[k]:
                raise ValueError(f"no doctrine {did!r} for {opp!r} (known: {', '.join(g.doctrines[k])})")
            chosen[k] = did
        self._fixed = fixed or None
        self._doctrines = tuple(chosen)
        self._d = tuple(g.doctrines[k][d] for k, d in enumerate(chosen))
        self._intel = tuple(g.intel[k][d] for k, d in enumerate(chosen))
        self._v = list(g.start)
        self._turn = 0
        self._outcome: str | None = None
        self._history: list[Turn] = []
        self._seen: list[Seen] = []
        self._prev: str | None = None

    # --- what anyone may read -------------------------------------------------------------------------
    @property
    def turn(self) -> int:
        """Turns played so far."""
        return self._turn

    @property
    def over(self) -> bool:
        return self._outcome is not None

    @property
    def outcome(self) -> str | None:
        """The id of the outcome reached, or None while the game goes on."""
        return self._outcome

    @property
    def outcome_kind(self) -> str | None:
        return self._g.kinds[self._outcome] if self._outcome else None

    @property
    def state(self) -> dict[str, float]:
        return dict(zip(self._g.names, self._v, strict=True))

    @property
    def history(self) -> tuple[Turn, ...]:
        return tuple(self._history)

    @property
    def moves(self) -> tuple[str, ...]:
        return tuple(t.action for t in self._history)

    @property
    def intel(self) -> tuple[tuple[str, str], ...]:
        """Every intelligence report so far, oldest first, as (opponent id, report id)."""
        return tuple(r for s in self._seen_now() for r in s.intel)

    @property
    def actions(self) -> tuple[str, ...]:
        """The actions legal now (none once the game is over)."""
        if self._outcome is not None:
            return ()
        g = self._g
        if g.free:
            return g.action_order
        v, t = self._v, self._turn
        return tuple([a for a, req in g.checks if req is None or req(v, t)])

    def _seen_now(self) -> tuple[Seen, ...]:
        """The player's view of the history, built on demand (the hot loop does not pay for it)."""
        seen, opps = self._seen, self._g.opponents
        for t in self._history[len(seen) :]:
            responses = tuple(zip(opps, t.responses, strict=True))
            seen.append(Seen(t.number, t.action, responses, tuple(zip(opps, t.intel, strict=True)), t.state))
        return tuple(seen)

    @property
    def view(self) -> View:
        return View(
            self.scenario,
            self._turn,
            self.state,
            self.actions,
            self._seen_now(),
            self._outcome is not None,
            self._outcome,
        )

    @property
    def doctrines(self) -> dict[str, str]:
        """The hidden doctrines, opponent id -> doctrine id. For debriefs and tournaments, not for players."""
        return dict(zip(self._g.opponents, self._doctrines, strict=True))

    @property
    def log(self) -> DecisionLog:
        return DecisionLog(
            scenario_id=self.scenario.id,
            scenario_hash=self.scenario.content_hash,
            engine_version=ENGINE_VERSION,
            seed=self.seed,
            moves=self.moves,
            seen_outcome=self._outcome,
            doctrines=self._fixed,
        )

    def score(self, weights: Mapping[str, float] | None = None) -> float:
        """Outcome value (if over) plus the weighted state (``weights`` replace the scenario's)."""
        g = self._g
        total = g.values[self._outcome] if self._outcome else 0.0
        if weights is None:
            for i, w in g.weights:
                total += w * self._v[i]
        else:
            for name, w in weights.items():
                total += w * self._v[g.names.index(name)]
        return total

    # --- the hot loop ---------------------------------------------------------------------------------
    def play(self, action_id: str) -> Turn:
        """Play one turn: the action's effects, each opponent's reply, intelligence, then the end check."""
        g = self._g
        spec = g.actions.get(action_id)
        v, t = self._v, self._turn
        if self._outcome is not None:
            raise IllegalMove(action_id, (), "the game is over")
        if spec is None:
            raise IllegalMove(action_id, self.actions, "no such action")
        effects, req, stance = spec
        if req is not None and not req(v, t):
            raise IllegalMove(action_id, self.actions, "its precondition does not hold")
        rnd = self._rng.random
        before = tuple(v)
        for i, a, b, lo, hi in effects:
            x = v[i] + a + b * rnd() if b else v[i] + a
            v[i] = lo if x < lo else hi if x > hi else x
        t += 1
        responses, situations, rolls = [], [], []
        clash = False
        prev = self._prev
        k = 0
        for doctrine in self._d:
            sit = doctrine.situation(stance, prev, before, t - 1, clash)
            cum, idx = doctrine.table(sit, before)
            u = rnd()
            rid, reffects, rclash = g.responses[k][idx[bisect_right(cum, u)]]
            clash = clash or rclash
            for i, a, b, lo, hi in reffects:
                x = v[i] + a + b * rnd() if b else v[i] + a
                v[i] = lo if x < lo else hi if x > hi else x
            responses.append(rid)
            situations.append(sit)
            rolls.append(u)
            k += 1
        intel = []
        k = 0
        for cum, idx in self._intel:
            intel.append(g.reports[k][idx[bisect_right(cum, rnd())]])
            k += 1
        outcome = None
        for pred, oid in g.outcomes:
            if pred(v, t):
                outcome = oid
                break
        turn = Turn(
            t,
            action_id,
            tuple(responses),
            tuple(situations),
            tuple(rolls),
            before,
            tuple(v),
            tuple(intel),
            outcome,
            self,
        )
        self._history.append(turn)
        self._turn = t
        self._prev = stance
        self._outcome = outcome
        return turn

    def play_all(self, moves: Sequence[str]) -> Crisis:
        for move in moves:
            self.play(move)
        return self

    def debrief(self) -> str:
        """After the game: the ending's debrief, the hidden doctrines revealed, and why each turn went as it
        did. (It names the doctrines: show it only once the game is over.)"""
        s = self.scenario
        if self._outcome is None:
            return f"The game is not over yet ({self._turn} of {s.turn_limit} turns played)."
        outcome = s.outcome(self._outcome)
        who = "; ".join(
            f"{opp.name} was a {opp.doctrine(d).name or d}" for opp, d in zip(s.opponents, self._doctrines, strict=True)
        )
        lines = [
            f"{outcome.name} after {self._turn} turn(s); score {self.score():.1f}.",
            outcome.debrief,
            f"Hidden doctrines: {who}.",
            *(t.why for t in self._history),
        ]
        return "\n\n".join(lines[:3]) + "\n\n" + "\n".join(lines[3:])

    def run(self, policy) -> Crisis:
        """Play ``policy(view) -> action_id`` until the game ends."""
        while self._outcome is None:
            self.play(policy(self.view))
        return self


@dataclass(frozen=True)
class DecisionLog:
    """What a game's replay needs, plus the outcome the student saw (display only; replay recomputes it)."""

    scenario_id: str
    scenario_hash: str
    engine_version: str
    seed: int
    moves: tuple[str, ...] = ()
    seen_outcome: str | None = None
    doctrines: Mapping[str, str] | None = field(default=None)

    def to_json(self) -> str:
        data = {
            "scenario_id": self.scenario_id,
            "scenario_hash": self.scenario_hash,
            "engine_version": self.engine_version,
            "seed": self.seed,
            "moves": list(self.moves),
            "seen_outcome": self.seen_outcome,
            "doctrines": dict(self.doctrines) if self.doctrines else None,
        }
        return json.dumps(data, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> DecisionLog:
        """Parse a log; raises ``ValueError`` naming what is wrong."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("a decision log is a JSON object")
        wanted = {"scenario_id": str, "scenario_hash": str, "engine_version": str, "seed": int, "moves": list}
        for key, typ in wanted.items():
            if key not in data:
                raise ValueError(f"decision log: missing {key!r}")
            if not isinstance(data[key], typ) or isinstance(data[key], bool):
                raise ValueError(f"decision log: {key!r} should be {typ.__name__}, got {data[key]!r}")
        if not all(isinstance(m, str) for m in data["moves"]):
            raise ValueError("decision log: every move should be an action id (a string)")
        if not isinstance(data.get("seen_outcome"), str | None):
            raise ValueError("decision log: 'seen_outcome' should be an outcome id or null")
        doctrines = data.get("doctrines")
        if doctrines is not None and not (
            isinstance(doctrines, dict) and all(isinstance(v, str) for v in doctrines.values())
        ):
            raise ValueError("decision log: 'doctrines' should map opponent ids to doctrine ids, or be null")
        unknown = set(data) - {*wanted, "seen_outcome", "doctrines"}
        if unknown:
            raise ValueError(f"decision log: unknown key(s) {', '.join(sorted(unknown))}")
        return cls(
            scenario_id=data["scenario_id"],
            scenario_hash=data["scenario_hash"],
            engine_version=data["engine_version"],
            seed=data["seed"],
            moves=tuple(data["moves"]),
            seen_outcome=data.get("seen_outcome"),
            doctrines=data.get("doctrines") or None,
        )


def replay(scenario: Scenario, log: DecisionLog) -> Crisis:
    """Rebuild a game from its log; refuses a log made for other play-relevant content or another engine."""
    if log.scenario_id != scenario.id:
        raise ReplayError(f"this log is for scenario {log.scenario_id!r}, not {scenario.id!r}")
    if log.scenario_hash != scenario.content_hash:
        raise ReplayError(
            f"this log was made with different rules for {scenario.id!r} (hash {log.scenario_hash[:12]}, "
            f"now {scenario.content_hash[:12]}): the game cannot be replayed"
        )
    if log.engine_version != ENGINE_VERSION:
        raise ReplayError(f"this log was made by engine version {log.engine_version}, this is {ENGINE_VERSION}")
    game = Crisis(scenario, seed=log.seed, doctrines=log.doctrines)
    for n, move in enumerate(log.moves, start=1):
        try:
            game.play(move)
        except IllegalMove as err:
            raise ReplayError(f"move {n} of the log is illegal: {err}") from None
    return game
