"""The doctrine rules a scenario may name: each rule's situations (with the sentence a debrief uses) and the
extra YAML keys it reads.

Why a module of its own: the scenario checks need this vocabulary to validate ``opponents[].doctrines[]``
(every situation has replies, no unknown keys), and the engine's doctrine classes need it to decide which
situation applies. Keeping it here, below both, lets the checks validate a file without importing the engine
(before, ``scenario`` -> ``scenario_checks`` -> ``doctrines`` -> ``scenario`` was an import cycle).
The behaviour of each rule is in :mod:`course.engine.doctrines`; its numbers are in the scenario YAML.

>>> sorted(RULES)
['cautious', 'hardliner', 'opportunist', 'patron', 'reciprocator']
>>> RULES["opportunist"].needs
('weak_when',)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    """A doctrine rule's vocabulary: where the idea comes from, its situations, the YAML keys it needs.

    ``fallbacks`` maps a finer situation to the one whose replies it uses when a scenario gives none for it
    (a scenario written before the distinction was made still loads and plays as it did); ``optional`` are
    keys the rule reads when present.
    """

    source: str
    situations: Mapping[str, str]
    needs: tuple[str, ...] = field(default=())
    fallbacks: Mapping[str, str] = field(default_factory=dict)
    optional: tuple[str, ...] = field(default=())

    def required(self) -> tuple[str, ...]:
        """The situations a scenario must give replies for."""
        return tuple(s for s in self.situations if s not in self.fallbacks)

    def resolve(self, situation: str, given: Mapping[str, object]) -> str:
        """The situation whose replies apply: ``situation`` itself if the scenario gives replies for it,
        else its fallback (followed as far as needed)."""
        while situation not in given and situation in self.fallbacks:
            situation = self.fallbacks[situation]
        return situation


#: Keys a doctrine entry may carry for its rule (beyond id, name, rule, prior, description, replies, intel).
RULE_KEYS = ("weak_when", "deterred_when", "clash_when", "engaged_when", "licence", "abandonment", "commitment")

RULES: dict[str, Rule] = {
    "reciprocator": Rule(
        source="Jervis, spiral model (1976); Axelrod, tit-for-tat (1984)",
        situations={
            "firmness": "it answers firmness with firmness",
            "spiral": "two firm moves in a row look to it like preparation for attack, and it escalates",
            "guarded": "a firm move right after an offer reads to it as the coalition keeping its guard up, "
            "not as a threat, so it answers warily",
            "offer": "it answers an offer with an offer",
            "reassurance": "it reads allied coordination as a mild threat (the security dilemma)",
        },
        fallbacks={"guarded": "firmness"},
    ),
    "opportunist": Rule(
        source="deterrence model: Schelling (1966); Jervis (1976)",
        situations={
            "weakness": "the coalition looks weak to it (low cohesion or a stretched US), so it probes",
            "firmness": "the coalition shows resolve it believes, so it holds back",
            "offer": "an offer from a coalition that has shown resolve is worth taking",
            "concession": "an offer from a coalition that has shown no resolve is a concession to pocket: "
            "it talks while it builds",
            "untested": "the coalition reassures its allies but has shown no resolve lately, so it tests it",
        },
        needs=("weak_when",),
        fallbacks={"concession": "offer", "untested": "firmness"},
        optional=("deterred_when",),
    ),
    "hardliner": Rule(
        source="greedy-state type: Glaser (2010)",
        situations={
            "deterrence": "threats do not change its aim; it answers them in kind",
            "pressure": "sanctions raise the cost of its programme and slow it",
            "diplomacy": "it pockets talks as time to build",
            "reassurance": "allied coordination changes nothing for it",
        },
    ),
    "cautious": Rule(
        source="defensive realism: Waltz (1979); Jervis (1978)",
        situations={
            "deterrence": "it avoids risk and holds back under threat",
            "pressure": "it resents pressure but does not gamble",
            "diplomacy": "it takes an offer that leaves it secure",
            "reassurance": "it waits and watches",
        },
    ),
    "patron": Rule(
        source="Snyder, alliance security dilemma (1984)",
        situations={
            "clash": "there is a clash its client started (or the brink of war), and an armed attack on a party "
            "is what the clause speaks of: the clause must be read one way or another",
            "provoked": "there is a clash that followed an allied show of force, which it can present as an "
            "answer to aggression: the clause must be read one way or another",
            "engaged": "its forces are now engaged for its client, and it keeps supplying it",
            "courted": "it is being courted directly, and hedges",
            "pressed": "pressure on its client calls for support short of war",
            "calm": "nothing forces its hand",
        },
        needs=("clash_when", "licence", "abandonment", "commitment"),
        fallbacks={"provoked": "clash", "engaged": "calm"},
        optional=("engaged_when",),
    ),
}
