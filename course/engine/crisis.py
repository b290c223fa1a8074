"""The crisis engine: pure, seeded, deterministic.

>>> from course.scenario.loader import load
>>> from course.engine.crisis import Crisis, replay
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

import random
from bisect import bisect_right
from collections.abc import Mapping, Sequence

from course.engine.decision_log import DecisionLog
from course.engine.errors import IllegalMove, ReplayError
from course.engine.tables import compiled
from course.engine.turn import Turn
from course.engine.view import Seen, View
from course.scenario.conditions import describe
from course.scenario.loader import Outcome, Scenario

__all__ = [
    "ENGINE_VERSION",
    "Crisis",
    "DecisionLog",
    "IllegalMove",
    "Outcome",
    "ReplayError",
    "Seen",
    "Turn",
    "View",
    "compiled",
    "replay",
]

ENGINE_VERSION = "1"


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
        """Outcome value (if over) plus the weighted final state plus the weighted change since the start
        (:mod:`course.engine.scoring`); ``weights`` replace the scenario's final-state weights."""
        g = self._g
        total = g.values[self._outcome] if self._outcome else 0.0
        if weights is None:
            for i, w in g.weights:
                total += w * self._v[i]
        else:
            for name, w in weights.items():
                total += w * self._v[g.names.index(name)]
        for i, w in g.changes:
            total += w * (self._v[i] - g.start[i])
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
            needs = describe(self.scenario.action(action_id).requires)
            raise IllegalMove(action_id, self.actions, f"it needs {needs}")
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
        for i, keep, lo in g.fades:  # a signal wears off (Schelling: resolve must be shown again)
            v[i] = lo + (v[i] - lo) * keep
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
            self.scenario,
            self._d,
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
        """After the game: the ending and the theory that explains it, the score as value judgements, the
        hidden doctrines revealed, and why each turn went as it did (:mod:`course.engine.debrief`). (It names
        the doctrines: show it only once the game is over.)"""
        from course.engine.debrief import debrief

        return debrief(self)

    def run(self, policy) -> Crisis:
        """Play ``policy(view) -> action_id`` until the game ends."""
        while self._outcome is None:
            self.play(policy(self.view))
        return self


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
