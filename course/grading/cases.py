"""The kinds of hidden case, drawn from a seeded generator: inputs only, never an expected value.

Why (issue 15): hidden tests of 02, 03 and 05 used to list their cases in ``source/``, which is public. They
now draw them at grading time from :func:`course.grading.seed.rng` (the instructor's seed) with these
functions, and compute the expected values themselves (their reference, on the grader's side). So a reader of
the public source learns the kind of each case — ties, games that are not square, a threshold exactly at
``1 - q`` — but not the case. Every function is pure: the same generator state gives the same cases.

>>> from course.grading.seed import rng
>>> bimatrix(rng("doc", seed="x"), 2, 3) == bimatrix(rng("doc", seed="x"), 2, 3)
True
"""

from __future__ import annotations

import random
from fractions import Fraction

__all__ = [
    "Game",
    "bimatrix",
    "constant_game",
    "coordination_game",
    "cyclic_game",
    "deterrence_cases",
    "dilemma_game",
    "fraction_game",
    "sequential_cases",
    "split_cases",
]

Game = tuple[list[list], list[list]]  # (row player's payoffs, column player's payoffs), rows x columns


def bimatrix(rng: random.Random, rows: int, cols: int, low: int = -2, high: int = 3) -> Game:
    """A game with integer payoffs from a small range, so that ties are common."""
    a = [[rng.randint(low, high) for _ in range(cols)] for _ in range(rows)]
    b = [[rng.randint(low, high) for _ in range(cols)] for _ in range(rows)]
    return a, b


def fraction_game(rng: random.Random, rows: int, cols: int) -> Game:
    """Payoffs as Fractions (and ints) from a few halves, thirds and quarters: exact ties, such as 2/4 and 1/2."""
    values = [Fraction(n, d) for d in (2, 3, 4) for n in range(0, d + 1)]

    def cell() -> Fraction | int:
        value = rng.choice(values)
        return value if value.denominator > 1 else int(value)

    return [[cell() for _ in range(cols)] for _ in range(rows)], [[cell() for _ in range(cols)] for _ in range(rows)]


def constant_game(rng: random.Random, rows: int, cols: int) -> Game:
    """Every payoff the same for each player: everything ties."""
    x, y = rng.randint(-3, 3), rng.randint(-3, 3)
    return [[x] * cols for _ in range(rows)], [[y] * cols for _ in range(rows)]


def coordination_game(rng: random.Random, size: int = 3) -> Game:
    """Each player gains only where both pick matching moves (shuffled): one pure equilibrium per match."""
    order = list(range(size))
    rng.shuffle(order)
    gains = rng.sample(range(1, 9), size)
    a = [[gains[i] if order[i] == j else 0 for j in range(size)] for i in range(size)]
    return a, [row[:] for row in a]


def cyclic_game(rng: random.Random) -> Game:
    """A 3x3 zero-sum cycle (rock-paper-scissors with random stakes, rows and columns shuffled): no pure
    equilibrium, whatever the stakes (the best reply to each move is the one that beats it)."""

    def stake(i: int, j: int) -> int:
        return rng.randint(1, 5) if (j - i) % 3 == 1 else -rng.randint(1, 5) if (i - j) % 3 == 1 else 0

    cycle = [[stake(i, j) for j in range(3)] for i in range(3)]
    rows, cols = rng.sample(range(3), 3), rng.sample(range(3), 3)
    a = [[cycle[i][j] for j in cols] for i in rows]
    return a, [[-x for x in row] for row in a]


def dilemma_game(rng: random.Random) -> Game:
    """A prisoner's dilemma (temptation > reward > punishment > sucker), its moves in a random order."""
    s, p, r, t = sorted(rng.sample(range(-4, 10), 4))
    a = [[r, s], [t, p]]
    if rng.random() < 0.5:
        a = [a[1], a[0]]
    b = [[a[j][i] for j in range(2)] for i in range(2)]
    return a, b


def sequential_cases(rng: random.Random, per_kind: int = 2) -> list[tuple[tuple, tuple, tuple]]:
    """``(status_quo, concession, war)`` payoff pairs (challenger, defender) of the challenge game, ``per_kind``
    of each kind: resistance credible and deterring; a threat not credible but a status quo worth more than a
    concession; a threat not credible, so a challenge; resistance credible but war still worth it. No ties."""
    found: list[tuple[tuple, tuple, tuple]] = []
    for credible, challenger_gains in ((True, False), (False, False), (False, True), (True, True)):
        for _ in range(per_kind):
            d_war = rng.randint(-9, 3)
            d_concede = d_war + rng.randint(1, 5) * (-1 if credible else 1)
            reached = rng.randint(-6, 9)
            sq = reached + rng.randint(1, 4) * (-1 if challenger_gains else 1)
            other = rng.randint(-6, 9)  # the challenger's payoff at the outcome that is not reached
            if credible:
                war, concession = (reached, d_war), (other, d_concede)
            else:
                war, concession = (other, d_war), (reached, d_concede)
            found.append(((sq, rng.randint(-2, 6)), concession, war))
    rng.shuffle(found)
    return found


def _fraction(rng: random.Random, low: int, high: int, denominators: tuple[int, ...] = (1, 2, 3, 4)) -> Fraction:
    d = rng.choice(denominators)
    return Fraction(rng.randint(low * d, high * d), d)


def _broken(rng: random.Random, low: int, high: int, denominators: tuple[int, ...] = (2, 3)) -> Fraction:
    """A Fraction that is not a whole number, between ``low`` and ``high + 1``."""
    d = rng.choice(denominators)
    return Fraction(rng.randint(low, high) * d + rng.randint(1, d - 1), d)


def _plain(x: object) -> object:
    """A whole-number Fraction as an int (the kinds of argument a student's function gets)."""
    return int(x) if isinstance(x, Fraction) and x.denominator == 1 else x


def _plain_cases(cases: list[tuple]) -> list[tuple]:
    return [tuple(_plain(x) for x in case) for case in cases]


def deterrence_cases(rng: random.Random) -> dict[str, list[tuple]]:
    """Arguments ``(status_quo, prize, war_cost, other_cost, q)`` of 03's threshold, by kind: ``"inside"`` (the
    threshold strictly between 0 and 1 - q; fractions, one negative status quo), ``"zero"`` (attacking not worth
    it even at p = 0, one exactly at the edge), ``"edge"`` (the threshold exactly 1 - q), ``"none"`` (no p up to
    1 - q is enough), ``"q_one"`` (q = 1), ``"invalid"`` (a rule on the arguments broken)."""

    def draw() -> tuple[Fraction, Fraction, Fraction, Fraction]:
        q = Fraction(rng.randint(1, 5), rng.choice((3, 4, 6, 7)))
        q = q if q < 1 else Fraction(1, 2)
        return _fraction(rng, 1, 9), _fraction(rng, 1, 9), _fraction(rng, 0, 5), q

    def at(share: Fraction) -> tuple:
        prize, war_cost, other, q = draw()
        sq = prize - q * other - share * (1 - q) * (prize + war_cost)
        return tuple(_plain(x) for x in (sq, prize, war_cost, other, q))

    inside = [at(Fraction(rng.randint(1, 9), 10)) for _ in range(3)]
    for _ in range(100):  # one with a negative status quo
        if any(case[0] < 0 for case in inside):
            break
        inside.append(at(Fraction(rng.randint(5, 9), 10)))
    else:
        inside.append((-1, 1, 9, 0, Fraction(1, 2)))
    zero = [at(Fraction(0)), at(-Fraction(rng.randint(1, 8), 4))]
    edge = [at(Fraction(1))]
    none = [at(1 + Fraction(rng.randint(1, 8), 4))]
    prize, war_cost, other = _fraction(rng, 1, 9), _fraction(rng, 1, 9), _fraction(rng, 0, 5)
    q_one = [(_plain(prize - other + rng.randint(0, 3)), prize, war_cost, other, 1),
             (_plain(prize - other - rng.randint(1, 3)), prize, war_cost, other, 1)]  # fmt: skip
    invalid = [
        (1, 3, -rng.randint(0, 3), 2, Fraction(1, 4)),
        (1, 3, 5, 2, 1 + Fraction(rng.randint(1, 4), 4)),
        (1, -rng.randint(1, 4), 5, 2, Fraction(1, 4)),
        (1, 3, 5, -rng.randint(1, 4), Fraction(1, 4)),
    ]
    kinds = {"inside": inside, "zero": zero, "edge": edge, "none": none, "q_one": q_one, "invalid": invalid}
    return {kind: _plain_cases(found) for kind, found in kinds.items()}


# (budget, threat_europe, threat_asia) with two splits of exactly equal total risk that floats tell apart, so a
# float comparison picks the wrong one (split_forces(6, 5, 1): (5, 1) and (4, 2) both risk 4/3). All such cases
# with coprime threats up to 40 and budgets up to 30, found by exhaustive search; a multiple of the threats ties
# too (floats may or may not notice).
FLOAT_TIES = (
    (6, 5, 1), (8, 2, 7), (11, 2, 15), (12, 1, 22), (12, 5, 12), (15, 5, 22), (17, 26, 7), (18, 7, 1), (20, 26, 15),
    (20, 40, 7), (21, 35, 12), (24, 14, 1), (24, 35, 22), (26, 1, 11), (27, 35, 6), (30, 23, 3), (30, 35, 11),
)  # fmt: skip


def split_cases(rng: random.Random) -> dict[str, list[tuple]]:
    """Arguments ``(budget, threat_europe, threat_asia)`` of 03's split, by kind: ``"general"`` (ints and
    Fractions), ``"large"`` (thousands of units), ``"no_threat"`` (a theatre, or both, without threat),
    ``"tie"`` (two splits tie exactly: equal threats and an odd budget), ``"float_tie"`` (an exact tie that
    floats get wrong, from :data:`FLOAT_TIES`, and a multiple of another), ``"invalid"`` (a negative argument)."""
    general = [
        (rng.randint(5, 25), rng.randint(1, 40), rng.randint(1, 40)),
        (rng.randint(5, 25), _broken(rng, 0, 9), _broken(rng, 1, 9)),
        (rng.randint(5, 25), rng.randint(1, 40), _broken(rng, 1, 20, (2,))),
    ]
    large = [(rng.randint(2000, 3500), rng.randint(1, 50), rng.randint(1, 50))]
    budget = rng.randint(3, 12)
    no_threat = [(budget, 0, rng.randint(1, 9)), (budget, rng.randint(1, 9), 0), (budget, 0, 0)]
    threat = rng.randint(1, 9)
    half = Fraction(2 * threat + 1, 2)
    tie = [(2 * rng.randint(1, 8) + 1, threat, threat), (2 * rng.randint(1, 8) + 1, half, half)]
    invalid = [(-rng.randint(1, 5), 1, 1), (5, -rng.randint(1, 5), 2), (5, 2, -Fraction(rng.randint(1, 5), 3))]
    first, second = rng.sample(FLOAT_TIES, 2)
    k = rng.randint(2, 9)
    float_tie = [first, (second[0], k * second[1], k * second[2])]
    kinds = {"general": general, "large": large, "no_threat": no_threat, "tie": tie, "float_tie": float_tie}
    kinds["invalid"] = invalid
    return {kind: _plain_cases(found) for kind, found in kinds.items()}
