"""The classic 2x2 games of international relations, with parameters and teaching defaults.

Each returns a `Game` whose labels read as the story. The defaults are illustrative numbers
chosen for clean fractions, not estimates of anything.
"""

from __future__ import annotations

from .normal_form import Game
from .numbers import as_fraction

__all__ = ["chicken", "matching_pennies", "prisoners_dilemma", "stag_hunt"]

COOPERATE_DEFECT = ("Cooperate", "Defect")


def chicken(
    cost_of_war: object = 10,
    value_of_standing_firm: object = 1,
    players: tuple[str, str] = ("Row", "Column"),
) -> Game:
    """Chicken: a crisis where each side gains by standing firm if the other backs down.

    Backing down against a firm opponent costs `value_of_standing_firm` (loss of face, the
    stake); if both stand firm they fight and each pays `cost_of_war`; if both back down
    nothing changes (0). With cost_of_war > value_of_standing_firm > 0 there are two pure
    equilibria (one side backs down) and one mixed equilibrium in which each stands firm
    with probability value_of_standing_firm / cost_of_war.

    The IR reading (Schelling, *The Strategy of Conflict*, 1960; *Arms and Influence*,
    1966): a crisis is a competition in risk-taking, and whoever can credibly commit to
    standing firm first wins -- which is why alliances and treaty clauses matter. The mixed
    equilibrium carries the paradox that makes Chicken a teaching tool: the costlier war
    is, the less likely each side stands firm, yet the risk never vanishes. If
    cost_of_war < value_of_standing_firm the game is no longer Chicken: standing firm
    dominates (a "deadlock" that ends in war).

    >>> g = chicken()
    >>> [e.row for e in g.equilibria()]
    [(Fraction(1, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 10), Fraction(9, 10))]
    """
    c = as_fraction(cost_of_war, "cost_of_war")
    v = as_fraction(value_of_standing_firm, "value_of_standing_firm")
    if c <= 0 or v <= 0:
        raise ValueError(f"cost_of_war and value_of_standing_firm must be positive, got {c} and {v}")
    return Game(
        [[-c, v], [-v, 0]],
        [[-c, -v], [v, 0]],
        ("Stand firm", "Back down"),
        ("Stand firm", "Back down"),
        players,
        "Chicken",
    )


def prisoners_dilemma(
    reward: object = 3,
    temptation: object = 5,
    sucker: object = 0,
    punishment: object = 1,
    players: tuple[str, str] = ("Row", "Column"),
) -> Game:
    """Prisoner's Dilemma: defection is dominant, yet both prefer mutual cooperation.

    Payoffs as in Axelrod (*The Evolution of Cooperation*, 1984): `reward` for mutual
    cooperation, `temptation` for defecting on a cooperator, `sucker` for being defected on,
    `punishment` for mutual defection; a dilemma needs temptation > reward > punishment >
    sucker (else a ValueError: build a `Game` directly for other orderings).

    The IR reading (Jervis, "Cooperation under the Security Dilemma", *World Politics*,
    1978): arming is "defect". Each state arms whatever the other does, and both end up less
    secure than if both had restrained themselves. What changes the game is not goodwill
    but its payoffs and its repetition: verification, transparency, a shadow of the future.

    >>> prisoners_dilemma().equilibria()[0].payoffs
    (Fraction(1, 1), Fraction(1, 1))
    """
    r, t = as_fraction(reward, "reward"), as_fraction(temptation, "temptation")
    s, p = as_fraction(sucker, "sucker"), as_fraction(punishment, "punishment")
    if not t > r > p > s:
        raise ValueError(
            f"a Prisoner's Dilemma needs temptation > reward > punishment > sucker, got {t}, {r}, {p}, {s}"
        )
    return Game([[r, s], [t, p]], [[r, t], [s, p]], COOPERATE_DEFECT, COOPERATE_DEFECT, players, "Prisoner's Dilemma")


def stag_hunt(
    reward: object = 4,
    temptation: object = 3,
    sucker: object = 1,
    punishment: object = 2,
    players: tuple[str, str] = ("Row", "Column"),
) -> Game:
    """Stag Hunt (the assurance game): cooperation is an equilibrium if each trusts the other.

    Rousseau's hunters: together they catch a stag (`reward`); one who leaves for a hare gets
    `temptation` and strands the other (`sucker`); both chasing hares get `punishment`. A
    stag hunt needs reward > temptation > punishment > sucker (else a ValueError). Two pure
    equilibria, all cooperate or all defect, and a mixed one in between.

    The IR reading (Jervis 1978): when states prefer mutual restraint to exploiting the
    other, the security dilemma is a problem of *assurance*, not of incentives: each
    cooperates if sure enough that the other will. The mixed equilibrium is the tipping
    point: here each needs to believe the other cooperates with probability above 1/2.
    Reassurance (talks, transparency) moves beliefs across that point.

    >>> stag_hunt().equilibria()[-1].column
    (Fraction(1, 2), Fraction(1, 2))
    """
    r, t = as_fraction(reward, "reward"), as_fraction(temptation, "temptation")
    s, p = as_fraction(sucker, "sucker"), as_fraction(punishment, "punishment")
    if not r > t > p > s:
        raise ValueError(f"a Stag Hunt needs reward > temptation > punishment > sucker, got {r}, {t}, {p}, {s}")
    return Game([[r, s], [t, p]], [[r, t], [s, p]], COOPERATE_DEFECT, COOPERATE_DEFECT, players, "Stag Hunt")


def matching_pennies(stake: object = 1, players: tuple[str, str] = ("Row", "Column")) -> Game:
    """Matching Pennies: a pure conflict with no pure equilibrium; each mixes 1/2-1/2.

    Row wins `stake` when the coins match, Column when they differ. The IR reading: an
    inspector and a state that may cheat, or where to probe and where to defend -- any
    predictable pattern is exploited, so the only stable play is to be unpredictable.

    >>> [(e.row, e.column) for e in matching_pennies().equilibria()]
    [((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2)))]
    """
    k = as_fraction(stake, "stake")
    if k <= 0:
        raise ValueError(f"stake must be positive, got {k}")
    labels = ("Heads", "Tails")
    return Game([[k, -k], [-k, k]], [[-k, k], [k, -k]], labels, labels, players, "Matching Pennies")
