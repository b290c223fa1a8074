"""Reference player strategies: functions ``policy(view) -> action_id``.

They see only a :class:`course.engine.crisis.View` (state, legal actions, the player's own moves, the opponents'
visible replies, intelligence reports; never the hidden doctrine). Each is registered by name in
:data:`STRATEGIES` so tournaments can refer to it by an importable name (it pickles across processes).

>>> from course.scenario.loader import load
>>> from course.engine.crisis import Crisis
>>> game = Crisis(load("korean-peninsula-2024"), seed=3).run(get("adaptive"))
>>> game.over
True
"""

from __future__ import annotations

import random
from collections.abc import Callable

from course.engine.crisis import View, compiled

Policy = Callable[[View], str]

DETER, TALK, SMALL_STEP = "joint-exercises", "talks-with-guarantees", "humanitarian-opening"
PRESSURE, REASSURE, EASE = "sanctions-enforcement", "coordinate-with-allies", "burden-sharing"


def _legal(view: View, *wanted: str) -> str:
    """The first wanted action that is legal now, else one of the same stance, else the first legal one."""
    for action in wanted:
        if action in view.actions:
            return action
    stances = {view.scenario.action(a).stance for a in wanted if _exists(view, a)}
    for action in view.actions:
        if view.scenario.action(action).stance in stances:
            return action
    return view.actions[0]


def _exists(view: View, action: str) -> bool:
    return any(a.id == action for a in view.scenario.actions)


def hostile(view: View, response_id: str, opponent: int = 0) -> bool:
    """Whether a reply raised tension or nuclear progress on average (a provocation)."""
    effects = view.scenario.opponents[opponent].response(response_id).effects
    return effects.get("tension", 0) + effects.get("nuclear_progress", 0) > 0


def always_deter(view: View) -> str:
    """Relentless deterrence: joint exercises every turn."""
    return _legal(view, DETER)


def always_talk(view: View) -> str:
    """Relentless concessions: talks with guarantees every turn (a smaller opening when talks are closed)."""
    return _legal(view, TALK, SMALL_STEP)


def firm_but_fair(view: View) -> str:
    """Reciprocity: open with talks, then answer a provocation with deterrence and restraint with talks."""
    if not view.history:
        return _legal(view, TALK, SMALL_STEP)
    last = view.history[-1].responses[0][1]
    return _legal(view, DETER) if hostile(view, last) else _legal(view, TALK, SMALL_STEP)


def grit(view: View) -> str:
    """Osgood's GRIT: small unilateral conciliatory steps; bigger ones once reciprocated; answer two
    provocations in a row with one measured deterrent move, then resume the steps."""
    replies = [s.responses[0][1] for s in view.history]
    if len(replies) >= 2 and hostile(view, replies[-1]) and hostile(view, replies[-2]):
        if not view.history or view.history[-1].action != DETER:
            return _legal(view, DETER)
    if replies and not hostile(view, replies[-1]):
        return _legal(view, TALK, SMALL_STEP)
    return _legal(view, SMALL_STEP)


def posterior(view: View, opponent: int = 0) -> dict[str, float]:
    """Belief over an opponent's doctrines: the prior updated by Bayes' rule with every intelligence report
    and every reply seen (their likelihoods are public in the scenario; which doctrine holds is not)."""
    s = view.scenario
    opp = s.opponents[opponent]
    models = list(compiled(s).doctrines[opponent].values())  # the public rules, not the hidden choice
    belief = {d.id: d.prior for d in opp.doctrines}
    previous = None
    for seen in view.history:
        before = list(view.state_before(seen.turn))
        stance = s.action(seen.action).stance
        reply = seen.responses[opponent][1]
        report = seen.intel[opponent][1]
        for model in models:
            sit = model.situation(stance, previous, before, seen.turn - 1, False)
            p_reply = model.probabilities(sit, before).get(reply, 0.0)
            belief[model.id] *= p_reply * model.spec.intel.get(report, 0.0)
        total = sum(belief.values())
        if total <= 0:  # nothing fits: start again from the prior rather than divide by zero
            belief = {d.id: d.prior for d in opp.doctrines}
        else:
            belief = {k: v / total for k, v in belief.items()}
        previous = stance
    return belief


def adaptive(view: View) -> str:
    """Read the opponent, then answer it. While unsure, play the robust mix (an offer, a drill, an offer:
    resolve renewed every third turn); once one kind of opponent is 60% likely, play the classic answer to
    it: small offers for a reciprocator or a cautious state, resolve kept credible and then offers for an
    opportunist, pressure for a hardliner. Ease the two-front strain first when it nears the point where the
    coalition looks stretched. The value of information, in a few lines."""
    belief = posterior(view)
    rules = {d.id: d.rule for d in view.scenario.opponents[0].doctrines}
    weight: dict[str, float] = {}
    for did, p in belief.items():
        weight[rules[did]] = weight.get(rules[did], 0.0) + p
    rule, p = max(weight.items(), key=lambda kv: (kv[1], kv[0]))
    state = view.state
    if state.get("two_front_strain", 0) >= 60:
        return _legal(view, EASE)
    if p < 0.6:
        return _legal(view, DETER) if view.turn % 3 == 1 else _legal(view, SMALL_STEP)
    if rule == "hardliner":
        return _legal(view, PRESSURE, REASSURE)
    if rule == "opportunist" and state.get("resolve", 100) < 35:
        return _legal(view, DETER)
    if rule in ("reciprocator", "cautious") and state.get("alliance_cohesion", 100) < 42:
        return _legal(view, REASSURE)
    return _legal(view, SMALL_STEP, TALK)


class Plan:
    """A fixed plan: ``first`` for ``k`` turns, then ``then`` (a constant plan when ``then`` is None).
    Ignores everything it sees; illegal steps fall back to a legal action of the same stance."""

    def __init__(self, first: str, k: int = 0, then: str | None = None) -> None:
        self.first, self.k, self.then = first, k, then
        self.__name__ = f"{first}" if then is None else f"{first}x{k}-then-{then}"

    def __call__(self, view: View) -> str:
        return self.choose(view.actions, view.turn, view.scenario)

    def choose(self, legal: tuple[str, ...], turn: int, scenario) -> str:
        """The plan's move at ``turn`` given the ``legal`` actions (what :meth:`__call__` does, without a
        View: a tournament of plans can skip building one)."""
        action = self.first if self.then is None or turn < self.k else self.then
        if action in legal:
            return action
        stance = scenario.action(action).stance
        for other in legal:
            if scenario.action(other).stance == stance:
                return other
        return legal[0]

    def __repr__(self) -> str:
        return f"Plan({self.__name__})"


class Rotation:
    """A fixed mix: the listed actions in turn, one per turn, whatever happens (``Rotation(["joint-exercises",
    "talks-with-guarantees"])`` alternates firmness and an offer). Illegal steps fall back as in :class:`Plan`."""

    def __init__(self, actions: list[str] | tuple[str, ...]) -> None:
        self.actions = tuple(actions)
        self.__name__ = "rotation:" + ",".join(self.actions)

    def __call__(self, view: View) -> str:
        return self.choose(view.actions, view.turn, view.scenario)

    def choose(self, legal: tuple[str, ...], turn: int, scenario) -> str:
        return Plan(self.actions[turn % len(self.actions)]).choose(legal, turn, scenario)

    def __repr__(self) -> str:
        return f"Rotation({self.__name__})"


def random_policy(view: View) -> str:
    """A random legal action, seeded from what the view shows (deterministic for the same game)."""
    key = f"{view.scenario.id}|{view.turn}|{view.history}"
    return random.Random(key).choice(view.actions)


STRATEGIES: dict[str, Policy] = {
    "always-deter": always_deter,
    "always-talk": always_talk,
    "firm-but-fair": firm_but_fair,
    "grit": grit,
    "adaptive": adaptive,
    "random": random_policy,
}


def get(name: str) -> Policy:
    """A registered strategy by name, or a plan written ``plan:ACTION`` or ``plan:A*K:B``."""
    if name in STRATEGIES:
        return STRATEGIES[name]
    if name.startswith("rotation:"):
        return Rotation(name.removeprefix("rotation:").split(","))
    if name.startswith("plan:"):
        spec = name.removeprefix("plan:")
        if ":" in spec:
            head, then = spec.split(":", 1)
            first, k = head.split("*")
            return Plan(first, int(k), then)
        return Plan(spec)
    raise KeyError(
        f"no strategy {name!r} (known: {', '.join(STRATEGIES)}, or plan:ACTION, plan:A*K:B, rotation:A,B,...)"
    )
