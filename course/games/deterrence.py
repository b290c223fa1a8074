"""The challenger-defender deterrence game: backward induction, its Nash view, and the credibility threshold.

The challenger chooses to challenge the status quo or not; if challenged, the defender
resists (war) or concedes. Payoffs (Challenger, Defender):

    not challenge          -> status quo:  (status_quo, 0)
    challenge, concede     -> concession:  (status_quo + challenge_gain, -defender_concede_cost)
    challenge, resist      -> war:         (-cost_of_war_challenger, -cost_of_war_defender)

War wipes out the status quo for the challenger, so a challenger that values the status quo
more has more to lose: that is where diplomacy (reassurance, a tolerable status quo) enters.

Two readings:

* **Known resolve** (complete information): the defender resists exactly when war costs it
  less than conceding. `backward_induction()` gives the subgame perfect equilibrium.
* **Uncertain resolve**: the challenger does not know the defender's payoffs and believes it
  resists with probability p, the *credibility* of the commitment. Challenging is worth
  p * (-cost_of_war_challenger) + (1 - p) * (status_quo + challenge_gain), so deterrence
  holds above the threshold p* = challenge_gain / (status_quo + challenge_gain +
  cost_of_war_challenger). In the course, p stands for how the treaty clause's ambiguity is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from .equilibria import Equilibrium
from .normal_form import Game
from .numbers import as_fraction, show

__all__ = ["BackwardInduction", "DeterrenceGame", "SubgamePerfect"]

CHALLENGE, NOT_CHALLENGE, RESIST, CONCEDE = "Challenge", "Not challenge", "Resist", "Concede"
INDIFFERENT = "Indifferent"


@dataclass(frozen=True)
class SubgamePerfect:
    """A pure subgame perfect equilibrium: each player's plan, the path played, its outcome and payoffs.

    `defender` is the defender's plan at its node, even when the path never reaches it.
    """

    challenger: str
    defender: str
    path: tuple[str, ...]
    outcome: str
    payoffs: tuple[Fraction, Fraction]


@dataclass(frozen=True)
class BackwardInduction:
    """All pure subgame perfect equilibria, and the reasoning as a list of sentences.

    Usually there is one; when a player is indifferent (a tie in the payoffs) there are
    several, and `path` and `strategies` refuse to pick one.
    """

    equilibria: tuple[SubgamePerfect, ...]
    steps: tuple[str, ...]

    def _unique(self) -> SubgamePerfect:
        if len(self.equilibria) != 1:
            raise ValueError(
                f"{len(self.equilibria)} subgame perfect equilibria (a player is indifferent): see .equilibria"
            )
        return self.equilibria[0]

    @property
    def path(self) -> tuple[str, ...]:
        """The moves played in the unique equilibrium, e.g. ("Challenge", "Concede")."""
        return self._unique().path

    @property
    def strategies(self) -> tuple[str, str]:
        """(challenger's move, defender's plan if challenged) in the unique equilibrium."""
        eq = self._unique()
        return eq.challenger, eq.defender


class DeterrenceGame:
    """Challenge or not; resist or concede. See the module docstring for the payoffs.

    Defaults are illustrative: a defender for whom war (cost 5) is worse than conceding
    (cost 2) -- so its threat to resist is not credible -- and a threshold p* = 1/4.

    >>> game = DeterrenceGame()
    >>> game.backward_induction().path
    ('Challenge', 'Concede')
    >>> game.threshold(), game.deters(Fraction(1, 4)), game.deters(Fraction(1, 3))
    (Fraction(1, 4), False, True)
    """

    def __init__(
        self,
        status_quo: object = 1,
        challenge_gain: object = 2,
        cost_of_war_challenger: object = 5,
        cost_of_war_defender: object = 5,
        defender_concede_cost: object = 2,
        credibility: object = Fraction(1, 2),
        players: tuple[str, str] = ("Challenger", "Defender"),
    ) -> None:
        self.status_quo = as_fraction(status_quo, "status_quo")
        self.challenge_gain = as_fraction(challenge_gain, "challenge_gain")
        self.cost_of_war_challenger = as_fraction(cost_of_war_challenger, "cost_of_war_challenger")
        self.cost_of_war_defender = as_fraction(cost_of_war_defender, "cost_of_war_defender")
        self.defender_concede_cost = as_fraction(defender_concede_cost, "defender_concede_cost")
        for name in ("status_quo", "challenge_gain", "defender_concede_cost"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be zero or positive, got {show(getattr(self, name))}")
        for name in ("cost_of_war_challenger", "cost_of_war_defender"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive (war is costly), got {show(getattr(self, name))}")
        self.credibility = self._probability(credibility)
        self.players = tuple(players)

    def __repr__(self) -> str:
        return (
            f"DeterrenceGame(status_quo={self.status_quo}, challenge_gain={self.challenge_gain}, "
            f"cost_of_war_challenger={self.cost_of_war_challenger}, cost_of_war_defender="
            f"{self.cost_of_war_defender}, defender_concede_cost={self.defender_concede_cost}, "
            f"credibility={self.credibility})"
        )

    @staticmethod
    def _probability(p: object) -> Fraction:
        p = as_fraction(p, "credibility")
        if not 0 <= p <= 1:
            raise ValueError(f"credibility is a probability between 0 and 1, got {show(p)}")
        return p

    @property
    def outcomes(self) -> dict[str, tuple[Fraction, Fraction]]:
        """Payoffs (Challenger, Defender) of the three outcomes."""
        return {
            "status quo": (self.status_quo, Fraction(0)),
            "concession": (self.status_quo + self.challenge_gain, -self.defender_concede_cost),
            "war": (-self.cost_of_war_challenger, -self.cost_of_war_defender),
        }

    # -- known resolve: backward induction ------------------------------------------
    def backward_induction(self) -> BackwardInduction:
        """Solve from the last move back: what the defender would do, then what the challenger does.

        Every tie is kept: an indifferent defender gives one equilibrium for each of its
        choices, an indifferent challenger one for each of its own.

        >>> for step in DeterrenceGame().backward_induction().steps:  # doctest: +NORMALIZE_WHITESPACE
        ...     print(step)
        If challenged, the Defender compares resisting (war: -5) with conceding (-2): it concedes,
            so a threat to resist would not be credible.
        Looking ahead, the Challenger compares challenging (the Defender concedes: 3) with not
            challenging (the status quo: 1): it challenges.
        Subgame perfect equilibrium: Challenger challenges; Defender concedes if challenged.
            Outcome: concession, payoffs 3 and -2.
        """
        c_name, d_name = self.players
        war, concession, status = (self.outcomes[k] for k in ("war", "concession", "status quo"))
        if war[1] > concession[1]:
            plans, verdict = (RESIST,), "it resists, so its threat is credible"
        elif war[1] < concession[1]:
            plans, verdict = (CONCEDE,), "it concedes, so a threat to resist would not be credible"
        else:
            plans, verdict = (RESIST, CONCEDE), "it is indifferent, so either is optimal and we follow both"
        steps = [
            f"If challenged, the {d_name} compares resisting (war: {show(war[1])}) with conceding "
            f"({show(concession[1])}): {verdict}."
        ]
        found = []
        for plan in plans:
            reached = war if plan == RESIST else concession
            what = "resists" if plan == RESIST else "concedes"
            if reached[0] > status[0]:
                moves, verdict = (CHALLENGE,), "it challenges"
            elif reached[0] < status[0]:
                moves, verdict = (NOT_CHALLENGE,), "it does not challenge (it is deterred)"
            else:
                moves, verdict = (CHALLENGE, NOT_CHALLENGE), "it is indifferent, so either is optimal"
            steps.append(
                f"Looking ahead, the {c_name} compares challenging (the {d_name} {what}: {show(reached[0])}) "
                f"with not challenging (the status quo: {show(status[0])}): {verdict}."
            )
            for move in moves:
                path = (move, plan) if move == CHALLENGE else (move,)
                outcome = "status quo" if move == NOT_CHALLENGE else ("war" if plan == RESIST else "concession")
                found.append(SubgamePerfect(move, plan, path, outcome, self.outcomes[outcome]))
        for eq in found:
            act = "challenges" if eq.challenger == CHALLENGE else "does not challenge"
            plan = "resists" if eq.defender == RESIST else "concedes"
            steps.append(
                f"Subgame perfect equilibrium: {c_name} {act}; {d_name} {plan} if challenged. "
                f"Outcome: {eq.outcome}, payoffs {show(eq.payoffs[0])} and {show(eq.payoffs[1])}."
            )
        return BackwardInduction(tuple(found), tuple(steps))

    # -- uncertain resolve: the credibility threshold --------------------------------
    def expected_challenge_payoff(self, p: object = None) -> Fraction:
        """What challenging is worth to the challenger if the defender resists with probability p."""
        p = self.credibility if p is None else self._probability(p)
        return p * self.outcomes["war"][0] + (1 - p) * self.outcomes["concession"][0]

    def threshold(self) -> Fraction:
        """The credibility p* at which the challenger is exactly indifferent about challenging.

        p* = challenge_gain / (status_quo + challenge_gain + cost_of_war_challenger): a larger
        prize raises it; a costlier war or a more valuable status quo lowers it. It is also
        the least probability of resisting that sustains "not challenge" in the Nash view.
        """
        gain, status = self.outcomes["concession"][0], self.status_quo
        return (gain - status) / (gain - self.outcomes["war"][0])

    def challenger_choice(self, p: object = None) -> str:
        """Return "Challenge", "Not challenge", or "Indifferent" (exactly at the threshold)."""
        value = self.expected_challenge_payoff(p)
        if value > self.status_quo:
            return CHALLENGE
        return NOT_CHALLENGE if value < self.status_quo else INDIFFERENT

    def deters(self, p: object = None) -> bool:
        """True when a commitment with credibility p (default: the game's) deters the challenger.

        Convention: deterrence holds only strictly above the threshold. Exactly at p* the
        challenger is indifferent, nothing in the model says which way it goes, and a
        defender cannot count on it: we report "not deterred" and `challenger_choice`
        says "Indifferent".
        """
        return self.challenger_choice(p) == NOT_CHALLENGE

    def credibility_series(self, values: Iterable[object]) -> list[tuple[Fraction, Fraction, str]]:
        """For each credibility p: (p, what challenging is worth, the challenger's choice).

        Data for a plot of the expected value of a challenge against the flat status quo line;
        the two cross at `threshold()`.

        >>> DeterrenceGame().credibility_series(["0", "1/4", "1"])  # doctest: +NORMALIZE_WHITESPACE
        [(Fraction(0, 1), Fraction(3, 1), 'Challenge'), (Fraction(1, 4), Fraction(1, 1), 'Indifferent'),
         (Fraction(1, 1), Fraction(-5, 1), 'Not challenge')]
        """
        ps = [self._probability(p) for p in values]
        return [(p, self.expected_challenge_payoff(p), self.challenger_choice(p)) for p in ps]

    def explain(self, p: object = None) -> tuple[str, ...]:
        """The expected-utility comparison in sentences, for a credibility p (default: the game's)."""
        p = self.credibility if p is None else self._probability(p)
        c_name, d_name = self.players
        war, gain, star = self.outcomes["war"][0], self.outcomes["concession"][0], self.threshold()
        choice = self.challenger_choice(p)
        verdict = {
            CHALLENGE: f"challenging pays: no deterrence (p = {show(p)} is below p* = {show(star)})",
            NOT_CHALLENGE: f"the {c_name} is deterred (p = {show(p)} is above p* = {show(star)})",
            INDIFFERENT: f"the {c_name} is indifferent (p = p* = {show(star)}): deterrence is not assured",
        }[choice]
        return (
            f"The {c_name} believes the {d_name} resists with probability p = {show(p)}.",
            f"Challenging is worth {show(p)} x {show(war)} + {show(1 - p)} x {show(gain)} = "
            f"{show(self.expected_challenge_payoff(p))}; the status quo is worth {show(self.status_quo)}.",
            f"So {verdict}.",
        )

    # -- the Nash view ----------------------------------------------------------------
    def normal_form(self) -> Game:
        """The 2x2 strategic form: Challenger {Challenge, Not challenge} x Defender {Resist, Concede}.

        Always degenerate: when the challenger does not challenge, the defender's plan does not
        matter to anyone, so its two columns tie in that row.
        """
        war, concession, status = (self.outcomes[k] for k in ("war", "concession", "status quo"))
        return Game(
            [[war[0], concession[0]], [status[0], status[0]]],
            [[war[1], concession[1]], [status[1], status[1]]],
            (CHALLENGE, NOT_CHALLENGE),
            (RESIST, CONCEDE),
            self.players,
            "Deterrence (strategic form)",
        )

    def non_credible_equilibria(self) -> tuple[Equilibrium, ...]:
        """Nash equilibria of `normal_form()` that are not subgame perfect.

        In them the defender plans a move it would not make if challenged (typically a threat to
        resist that it would not carry out); the plan costs nothing only because it is never
        tested. Backward induction removes them. As `Game.equilibria()` does for degenerate
        games, these are extreme points: with an unresolved defender, "not challenge" is held up
        by any plan that resists with probability at least p*, and we return its two ends.

        >>> [eq.column for eq in DeterrenceGame().non_credible_equilibria()]
        [(Fraction(1, 1), Fraction(0, 1)), (Fraction(1, 4), Fraction(3, 4))]
        """
        optimal = {eq.defender for eq in self.backward_induction().equilibria}
        columns = (RESIST, CONCEDE)
        return tuple(
            eq
            for eq in self.normal_form().equilibria()
            if any(q > 0 and columns[k] not in optimal for k, q in enumerate(eq.column))
        )
