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

from collections.abc import Iterable, Mapping
from typing import ClassVar

from course.scenario.loader import DoctrineSpec, Opponent, Scenario, compile_condition
from course.scenario.rules import RULES as _VOCABULARY

FIRM = frozenset({"deterrence", "pressure"})


def _vocabulary(rule: str) -> tuple[str, dict[str, str], tuple[str, ...]]:
    """A rule's source, situations and needed keys, from :mod:`course.scenario.rules` (one home)."""
    v = _VOCABULARY[rule]
    return v.source, dict(v.situations), v.needs


def cumulate(weights: Iterable[tuple[int, float]]) -> tuple[tuple[float, ...], tuple[int, ...]]:
    """Cumulative probabilities and their indices for ``(index, weight)`` pairs, in the order given (YAML
    order: deterministic); zero weights are left out and the last entry is exactly 1.0 (rounding).

    >>> cumulate([(0, 0.25), (1, 0.0), (2, 0.75)])
    ((0.25, 1.0), (0, 2))
    """
    cum, idx, total = [], [], 0.0
    for i, w in weights:
        if w > 0:
            total += w
            cum.append(total)
            idx.append(i)
    cum[-1] = 1.0  # guard against rounding: the last index takes the remainder
    return tuple(cum), tuple(idx)


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
        vocabulary = _VOCABULARY[self.rule]
        self._replies = {s: spec.replies[vocabulary.resolve(s, spec.replies)] for s in vocabulary.situations}
        self._tables = {s: self._cumulative(dist) for s, dist in self._replies.items()}

    def _cumulative(self, dist: Mapping[str, float]) -> tuple[tuple[float, ...], tuple[int, ...]]:
        return cumulate((self.responses.index(rid), p) for rid, p in dist.items())

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
    """Spiral-prone reciprocator: answers like with like, and firmness twice running reads as a threat;
    a single firm move right after an offer reads as a hedge (the record counts, as in GRIT).

    Jervis's spiral model (*Perception and Misperception*, 1976): measures taken for security look
    offensive to the other side, which answers in kind; Axelrod's tit-for-tat is the reciprocity.
    """

    rule = "reciprocator"
    source, situations, needs = _vocabulary("reciprocator")

    def situation(self, stance, previous, values, turn, clash):
        if stance in FIRM:  # it reads the record, not the move alone: after an offer, a drill is a hedge
            return "spiral" if previous in FIRM else "guarded" if previous == "diplomacy" else "firmness"
        return "offer" if stance == "diplomacy" else "reassurance"


class Opportunist(Doctrine):
    """Deterrence-sensitive opportunist: probes when the coalition looks weak, holds back when it does not.

    The deterrence model (Schelling, *Arms and Influence*, 1966; Jervis 1976 for the contrast with the
    spiral model): concessions to a revisionist invite more demands; credible firmness restrains it.
    ``weak_when`` (a structured condition) says what looks weak. ``deterred_when`` says when resolve shown
    lately is still believed (Schelling: a costly signal lasts, and allies that stand together make it
    last longer); without it, an offer is an offer (a concession to pocket) and reassuring the allies is
    not firmness (it is tested). A deterrent move itself is firmness, unless the coalition looks weak.
    """

    rule = "opportunist"
    source, situations, needs = _vocabulary("opportunist")

    def __init__(self, spec, opponent, scenario):
        super().__init__(spec, opponent, scenario)
        self._weak = compile_condition(spec.weak_when, self._index)
        self._resolved = compile_condition(spec.deterred_when, self._index) if spec.deterred_when else None

    def situation(self, stance, previous, values, turn, clash):
        if self._weak(values, turn):
            return "weakness"
        if stance == "deterrence":  # a costly signal now (Schelling): believed while the coalition is not weak
            return "firmness"
        resolved = self._resolved is None or self._resolved(values, turn)  # resolve shown lately, still believed
        if stance == "diplomacy":
            return "offer" if resolved else "concession"
        return "firmness" if resolved else "untested"


class Hardliner(Doctrine):
    """Resolved hardliner: pursues its programme whatever the coalition does; only pressure slows it.

    A "greedy" state with fixed aims (Glaser, *Rational Theory of International Politics*, 2010): neither
    reassurance nor threats change its goal, costs only change its pace.
    """

    rule = "hardliner"
    source, situations, needs = _vocabulary("hardliner")


class Cautious(Doctrine):
    """Status-quo cautious: wants security above gains, avoids risk, takes a safe offer.

    Defensive realism (Waltz 1979; Jervis 1978, "Cooperation under the Security Dilemma"): a
    security-seeker can be reassured, and does not gamble.
    """

    rule = "cautious"
    source, situations, needs = _vocabulary("cautious")


class Patron(Doctrine):
    """Patron: a great-power ally weighing entrapment against abandonment.

    Snyder's alliance security dilemma ("The Security Dilemma in Alliance Politics", 1984): a patron fears
    being dragged into its client's war (entrapment) and fears losing the client (abandonment). In a clash,
    with clause ambiguity ``a`` and commitment ``c`` (0..1), a share ``1 - a`` of its reaction follows the
    ``clash`` table (the clause read plainly) and a share ``a`` goes to the extremes: ``licence`` (intervene)
    with weight ``c``, ``abandonment`` (stand aside) with ``1 - c``. More ambiguity, wider spread: the
    kit's modelling choice after p9-p10. Who started the clash matters: the treaty's Article 4 speaks of an
    armed attack on a party, so a clash that answers an allied show of force (``provoked``) is easier to
    read as licence than one the client started. ``engaged_when`` says when its forces count as engaged
    after an intervention, which changes what follows (the ``engaged`` replies).
    """

    rule = "patron"
    source, situations, needs = _vocabulary("patron")

    def __init__(self, spec, opponent, scenario):
        super().__init__(spec, opponent, scenario)
        self._clash = compile_condition(spec.clash_when, self._index)
        self._ambiguity = scenario.clause.ambiguity
        self._licence = self.responses.index(spec.licence)
        self._abandon = self.responses.index(spec.abandonment)
        var = scenario.variable(spec.commitment)
        self._commit = (self._index[var.id], var.min, var.max - var.min)
        self._engaged = compile_condition(spec.engaged_when, self._index) if spec.engaged_when else None
        self._clash_probs = {
            s: tuple((self.responses.index(r), p) for r, p in self._replies[s].items()) for s in ("clash", "provoked")
        }

    def situation(self, stance, previous, values, turn, clash):
        if clash or self._clash(values, turn):
            # who started it: a clash answering an allied show of force can be sold as defence against
            # aggression; one the client started after an offer is hard to call an armed attack on a party
            return "provoked" if clash and stance in FIRM else "clash"
        if self._engaged is not None and self._engaged(values, turn):
            return "engaged"
        if stance == "diplomacy":
            return "courted"
        return "pressed" if stance in FIRM else "calm"

    def table(self, situation, values):
        if situation not in self._clash_probs:
            return self._tables[situation]
        i, lo, width = self._commit
        c = (values[i] - lo) / width
        a = self._ambiguity
        weights = [0.0] * len(self.responses)
        for r, p in self._clash_probs[situation]:
            weights[r] += (1 - a) * p
        weights[self._licence] += a * c
        weights[self._abandon] += a * (1 - c)
        return cumulate(enumerate(weights))


RULES: dict[str, type[Doctrine]] = {cls.rule: cls for cls in (Reciprocator, Opportunist, Hardliner, Cautious, Patron)}


def build(spec: DoctrineSpec, opponent: Opponent, scenario: Scenario) -> Doctrine:
    """The doctrine object for a scenario's doctrine entry."""
    return RULES[spec.rule](spec, opponent, scenario)
