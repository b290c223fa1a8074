"""Opponent doctrines: how an opponent reads the coalition's move and which table of replies it uses.

A doctrine is a small class named for the international-relations idea it stands for (like Axelrod's
strategies). The *rule* (which situation applies) lives here; the *numbers* (what it then does, with what
probability) live in the scenario YAML under ``opponents[].doctrines[].replies``, so an author can retune
them without touching code. Each class lists its ``situations`` with the sentence a debrief uses to explain
a reply, and ``needs`` (extra YAML keys the rule reads).

These are modelling choices for teaching, not claims about how Pyongyang or Moscow decide.
Osgood's GRIT is on the player's side (:mod:`course.engine.strategies`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from course.scenario.loader import DoctrineSpec, Opponent, Scenario, compile_condition

FIRM = frozenset({"deterrence", "pressure"})


class Doctrine:
    """Base: pick a situation from the coalition's stance (and the state), then reply from its table."""

    rule: ClassVar[str] = ""
    source: ClassVar[str] = ""
    situations: ClassVar[dict[str, str]] = {}
    needs: ClassVar[tuple[str, ...]] = ()

    def __init__(self, spec: DoctrineSpec, opponent: Opponent, scenario: Scenario) -> None:
        self.spec = spec
        self.id = spec.id
        self.responses = tuple(r.id for r in opponent.responses)
        self._index = {v.id: i for i, v in enumerate(scenario.variables)}
        self._tables = {s: self._cumulative(dist) for s, dist in spec.replies.items()}

    def _cumulative(self, dist: Mapping[str, float]) -> tuple[tuple[float, ...], tuple[int, ...]]:
        cum, idx, total = [], [], 0.0
        for rid, p in dist.items():  # YAML order: deterministic
            if p > 0:
                total += p
                cum.append(total)
                idx.append(self.responses.index(rid))
        cum[-1] = 1.0  # guard against rounding: the last reply takes the remainder
        return tuple(cum), tuple(idx)

    def situation(self, stance: str, previous: str | None, values: list[float], turn: int, clash: bool) -> str:
        """The situation this doctrine sees (state ``values`` are those before the turn)."""
        return stance

    def table(self, situation: str, values: list[float]) -> tuple[tuple[float, ...], tuple[int, ...]]:
        """Cumulative probabilities and response indices for this situation."""
        return self._tables[situation]

    def probabilities(self, situation: str, values: list[float]) -> dict[str, float]:
        """The reply distribution as ``{response_id: p}`` (for explanations and for Bayesian players)."""
        cum, idx = self.table(situation, values)
        out: dict[str, float] = {}
        last = 0.0
        for c, i in zip(cum, idx, strict=True):
            out[self.responses[i]] = out.get(self.responses[i], 0.0) + c - last
            last = c
        return out


class Reciprocator(Doctrine):
    """Spiral-prone reciprocator: answers like with like, and firmness twice running reads as a threat.

    Jervis's spiral model (*Perception and Misperception*, 1976): measures taken for security look
    offensive to the other side, which answers in kind; Axelrod's tit-for-tat is the reciprocity.
    """

    rule = "reciprocator"
    source = "Jervis, spiral model (1976); Axelrod, tit-for-tat (1984)"
    situations = {
        "firmness": "it answers firmness with firmness",
        "spiral": "two firm moves in a row look to it like preparation for attack, and it escalates",
        "offer": "it answers an offer with an offer",
        "reassurance": "it reads allied coordination as a mild threat (the security dilemma)",
    }

    def situation(self, stance, previous, values, turn, clash):
        if stance in FIRM:
            return "spiral" if previous in FIRM else "firmness"
        return "offer" if stance == "diplomacy" else "reassurance"


class Opportunist(Doctrine):
    """Deterrence-sensitive opportunist: probes when the coalition looks weak, holds back when it does not.

    The deterrence model (Schelling, *Arms and Influence*, 1966; Jervis 1976 for the contrast with the
    spiral model): concessions to a revisionist invite more demands; credible firmness restrains it.
    ``weak_when`` (a structured condition) says what looks weak.
    """

    rule = "opportunist"
    source = "deterrence model: Schelling (1966); Jervis (1976)"
    situations = {
        "weakness": "the coalition looks weak to it (low cohesion or a stretched US), so it probes",
        "firmness": "the coalition looks resolved, so it holds back",
        "offer": "an offer from a resolved coalition is worth taking",
    }
    needs = ("weak_when",)

    def __init__(self, spec, opponent, scenario):
        super().__init__(spec, opponent, scenario)
        self._weak = compile_condition(spec.weak_when, self._index)

    def situation(self, stance, previous, values, turn, clash):
        if self._weak(values, turn):
            return "weakness"
        return "offer" if stance == "diplomacy" else "firmness"


class Hardliner(Doctrine):
    """Resolved hardliner: pursues its programme whatever the coalition does; only pressure slows it.

    A "greedy" state with fixed aims (Glaser, *Rational Theory of International Politics*, 2010): neither
    reassurance nor threats change its goal, costs only change its pace.
    """

    rule = "hardliner"
    source = "greedy-state type: Glaser (2010)"
    situations = {
        "deterrence": "threats do not change its aim; it answers them in kind",
        "pressure": "sanctions raise the cost of its programme and slow it",
        "diplomacy": "it pockets talks as time to build",
        "reassurance": "allied coordination changes nothing for it",
    }


class Cautious(Doctrine):
    """Status-quo cautious: wants security above gains, avoids risk, takes a safe offer.

    Defensive realism (Waltz 1979; Jervis 1978, "Cooperation under the Security Dilemma"): a
    security-seeker can be reassured, and does not gamble.
    """

    rule = "cautious"
    source = "defensive realism: Waltz (1979); Jervis (1978)"
    situations = {
        "deterrence": "it avoids risk and holds back under threat",
        "pressure": "it resents pressure but does not gamble",
        "diplomacy": "it takes an offer that leaves it secure",
        "reassurance": "it waits and watches",
    }


class Patron(Doctrine):
    """Patron: a great-power ally weighing entrapment against abandonment.

    Snyder's alliance security dilemma ("The Security Dilemma in Alliance Politics", 1984): a patron fears
    being dragged into its client's war (entrapment) and fears losing the client (abandonment). In a clash,
    with clause ambiguity ``a`` and commitment ``c`` (0..1), a share ``1 - a`` of its reaction follows the
    ``clash`` table (the clause read plainly) and a share ``a`` goes to the extremes: ``licence`` (intervene)
    with weight ``c``, ``abandonment`` (stand aside) with ``1 - c``. More ambiguity, wider spread: the
    kit's modelling choice after p9-p10.
    """

    rule = "patron"
    source = "Snyder, alliance security dilemma (1984)"
    situations = {
        "clash": "there is a clash, and the clause must be read one way or another",
        "courted": "it is being courted directly, and hedges",
        "pressed": "pressure on its client calls for support short of war",
        "calm": "nothing forces its hand",
    }
    needs = ("clash_when", "licence", "abandonment", "commitment")

    def __init__(self, spec, opponent, scenario):
        super().__init__(spec, opponent, scenario)
        self._clash = compile_condition(spec.clash_when, self._index)
        self._ambiguity = scenario.clause.ambiguity
        self._licence = self.responses.index(spec.licence)
        self._abandon = self.responses.index(spec.abandonment)
        var = scenario.variable(spec.commitment)
        self._commit = (self._index[var.id], var.min, var.max - var.min)
        self._clash_probs = tuple((self.responses.index(r), p) for r, p in spec.replies["clash"].items())

    def situation(self, stance, previous, values, turn, clash):
        if clash or self._clash(values, turn):
            return "clash"
        if stance == "diplomacy":
            return "courted"
        return "pressed" if stance in FIRM else "calm"

    def table(self, situation, values):
        if situation != "clash":
            return self._tables[situation]
        i, lo, width = self._commit
        c = (values[i] - lo) / width
        a = self._ambiguity
        weights = [0.0] * len(self.responses)
        for r, p in self._clash_probs:
            weights[r] += (1 - a) * p
        weights[self._licence] += a * c
        weights[self._abandon] += a * (1 - c)
        cum, idx, total = [], [], 0.0
        for r, w in enumerate(weights):
            if w > 0:
                total += w
                cum.append(total)
                idx.append(r)
        cum[-1] = 1.0
        return tuple(cum), tuple(idx)


RULES: dict[str, type[Doctrine]] = {cls.rule: cls for cls in (Reciprocator, Opportunist, Hardliner, Cautious, Patron)}


def build(spec: DoctrineSpec, opponent: Opponent, scenario: Scenario) -> Doctrine:
    """The doctrine object for a scenario's doctrine entry."""
    return RULES[spec.rule](spec, opponent, scenario)
