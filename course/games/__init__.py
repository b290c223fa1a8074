"""Small games in exact arithmetic: normal-form games, the IR classics, and the deterrence game.

Pure Python (fractions only), so it runs in any student kernel and, later, in JupyterLite.

>>> from course.games import chicken
>>> game = chicken(cost_of_war=10, value_of_standing_firm=1)
>>> for eq in game.equilibria():
...     print(game.describe_equilibrium(eq))
Row plays Stand firm and Column plays Back down; payoffs 1 and -1.
Row plays Back down and Column plays Stand firm; payoffs -1 and 1.
Row plays Stand firm with probability 1/10 and Back down with probability 9/10, and Column plays \
Stand firm with probability 1/10 and Back down with probability 9/10; expected payoffs -1/10 and -1/10 \
(a player who mixes is indifferent between the strategies it mixes).
"""

from .classics import chicken, matching_pennies, prisoners_dilemma, stag_hunt
from .deterrence import BackwardInduction, DeterrenceGame, SubgamePerfect
from .equilibria import Equilibrium
from .normal_form import DominantStrategy, Elimination, Game, PayoffTable
from .sweeps import probability_series, sweep

__all__ = [
    "BackwardInduction",
    "DeterrenceGame",
    "DominantStrategy",
    "Elimination",
    "Equilibrium",
    "Game",
    "PayoffTable",
    "SubgamePerfect",
    "chicken",
    "matching_pennies",
    "prisoners_dilemma",
    "stag_hunt",
    "probability_series",
    "sweep",
]
