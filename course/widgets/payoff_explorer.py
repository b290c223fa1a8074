"""The payoff explorer: move the sliders, watch the payoff table, the equilibria and their sweep change.

All the arithmetic is ``course.games`` (exact fractions); this module only wires sliders to it. A slider
setting that leaves the family of games (say, a "Prisoner's Dilemma" whose temptation is below its
reward) is reported in words and changes nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from html import escape

import ipywidgets as widgets

from course.games import (
    DeterrenceGame,
    Game,
    chicken,
    prisoners_dilemma,
    probability_series,
    stag_hunt,
    sweep,
)

from .game_html import deterrence_html, equilibria_html, payoff_table_html
from .html import styled
from .svg import Series, line_chart


@dataclass(frozen=True)
class Parameter:
    """A slider: name, range, step and starting value, and what it means."""

    name: str
    low: float
    high: float
    step: float
    value: float
    meaning: str


@dataclass(frozen=True)
class Family:
    """A family of games with its parameters and the one to sweep in the plot."""

    make: Callable[..., Game | DeterrenceGame]
    parameters: tuple[Parameter, ...]
    swept: str


FAMILIES: dict[str, Family] = {
    "chicken": Family(
        chicken,
        (
            Parameter("cost_of_war", 1, 20, 0.5, 10, "what a clash costs each side"),
            Parameter("value_of_standing_firm", 0.5, 10, 0.5, 1, "the stake: what backing down costs"),
        ),
        "cost_of_war",
    ),
    "prisoners-dilemma": Family(
        prisoners_dilemma,
        (
            Parameter("reward", 1, 10, 0.5, 3, "both restrain themselves"),
            Parameter("temptation", 1, 10, 0.5, 5, "arm while the other restrains"),
            Parameter("sucker", -5, 5, 0.5, 0, "restrain while the other arms"),
            Parameter("punishment", -5, 5, 0.5, 1, "both arm"),
        ),
        "temptation",
    ),
    "stag-hunt": Family(
        stag_hunt,
        (
            Parameter("reward", 1, 10, 0.5, 4, "both cooperate"),
            Parameter("temptation", 0, 10, 0.5, 3, "defect on a cooperator"),
            Parameter("sucker", -5, 5, 0.5, 1, "cooperate with a defector"),
            Parameter("punishment", -5, 5, 0.5, 2, "both defect"),
        ),
        "temptation",
    ),
    "deterrence": Family(
        DeterrenceGame,
        (
            Parameter("credibility", 0, 1, 0.05, 0.5, "the probability the defender resists: how the clause is read"),
            Parameter("status_quo", 0, 10, 0.5, 1, "what the challenger keeps if it does not challenge"),
            Parameter("challenge_gain", 0, 10, 0.5, 2, "what a challenge wins if the defender concedes"),
            Parameter("cost_of_war_challenger", 0.5, 20, 0.5, 5, "what war costs the challenger"),
            Parameter("cost_of_war_defender", 0.5, 20, 0.5, 5, "what war costs the defender"),
            Parameter("defender_concede_cost", 0, 20, 0.5, 2, "what conceding costs the defender"),
        ),
        "credibility",
    ),
}


def exact(value: float) -> Fraction:
    """A slider's float as the decimal the student sees (0.1 is 1/10, not a binary approximation)."""
    return Fraction(str(round(value, 6)))


def sweep_svg(family: Family, values: dict[str, Fraction], steps: int = 40) -> str:
    """Pure: how the equilibria (for deterrence, the value of challenging) move along the swept parameter."""
    param = next(p for p in family.parameters if p.name == family.swept)
    xs = [exact(param.low + (param.high - param.low) * k / steps) for k in range(steps + 1)]
    current = float(values[param.name])
    if family.make is DeterrenceGame:
        game = DeterrenceGame(**{k: v for k, v in values.items() if k != "credibility"})
        challenge = [(float(p), float(game.expected_challenge_payoff(p))) for p in xs]
        status = [(float(p), float(game.status_quo)) for p in xs]
        marks = [(float(game.threshold()), f"p* = {game.threshold()}"), (current, "now")]
        return line_chart(
            [Series("challenge", challenge), Series("status quo", status)],
            title="The challenger's choice against the credibility of resistance",
            x_label="credibility p (probability the defender resists)",
            y_label="expected payoff",
            marks=marks,
        )

    def make(x: Fraction) -> Game:
        return family.make(**{**values, param.name: x})

    valid = []
    for x in xs:
        try:
            make(x)
            valid.append(x)
        except ValueError:
            continue
    pure, mixed = [], []
    for x, probs in probability_series(sweep(make, valid)):
        for prob in probs:
            (pure if prob in (0, 1) else mixed).append((float(x), float(prob)))
    return line_chart(
        [Series("pure equilibria", pure, lines=False), Series("mixed equilibrium", mixed)],
        title=f"The equilibria as the {param.name.replace('_', ' ')} varies",
        x_label=param.name.replace("_", " "),
        y_label="Row's probability of its first strategy",
        y_range=(0, 1),
        x_range=(param.low, param.high),
        marks=[(current, "now")],
    )


class PayoffExplorer(widgets.VBox):
    """Sliders for a game's parameters; the table, equilibria in words, and a sweep plot update live.

    ``PayoffExplorer("chicken")``, ``"prisoners-dilemma"``, ``"stag-hunt"``, ``"deterrence"``, or a fixed
    ``Game`` (no sliders).
    """

    def __init__(self, game: str | Game = "chicken") -> None:
        super().__init__()
        self.family: Family | None = None
        self.sliders: dict[str, widgets.FloatSlider] = {}
        self.message = widgets.HTML()
        self.table = widgets.HTML()
        self.explanation = widgets.HTML()
        self.plot = widgets.HTML()
        self.game: Game | DeterrenceGame
        if isinstance(game, Game):
            self.game = game
            self.children = [self.table, self.explanation]
            self._show(game)
            return
        if game not in FAMILIES:
            raise ValueError(f"unknown game {game!r}; choose one of {', '.join(FAMILIES)} or pass a Game")
        self.family = FAMILIES[game]
        rows = []
        for p in self.family.parameters:
            slider = widgets.FloatSlider(
                value=p.value,
                min=p.low,
                max=p.high,
                step=p.step,
                continuous_update=False,
                readout_format=".2f",
                layout=widgets.Layout(width="330px"),
                tooltip=p.meaning,
            )
            slider.observe(self._refresh, names="value")
            self.sliders[p.name] = slider
            # The name in a label of its own that wraps: as the slider's description, a long name
            # ("cost of war challenger") was cut off at the description's fixed width.
            label = widgets.HTML(
                f'<label style="display:block;line-height:1.2">{escape(p.name.replace("_", " "))}</label>',
                layout=widgets.Layout(width="200px", margin="0 8px 0 0"),
            )
            rows.append(widgets.HBox([label, slider], layout=widgets.Layout(align_items="center")))
        meanings = "".join(
            f"<li><b>{escape(p.name.replace('_', ' '))}</b>: {escape(p.meaning)}</li>" for p in self.family.parameters
        )
        self.children = [
            *rows,
            widgets.HTML(styled(f"<details><summary>What the sliders mean</summary><ul>{meanings}</ul></details>")),
            self.message,
            self.table,
            self.explanation,
            self.plot,
        ]
        self._refresh()

    @property
    def values(self) -> dict[str, Fraction]:
        """The slider settings as exact fractions."""
        return {name: exact(s.value) for name, s in self.sliders.items()}

    def _refresh(self, _change: object = None) -> None:
        assert self.family is not None
        try:
            game = self.family.make(**self.values)
        except ValueError as err:
            self.message.value = styled(
                f'<p role="alert"><b>Not shown:</b> {escape(str(err))}. Move a slider back.</p>'
            )
            return
        self.message.value = ""
        self.game = game
        self._show(game)
        self.plot.value = sweep_svg(self.family, self.values)

    def _show(self, game: Game | DeterrenceGame) -> None:
        if isinstance(game, DeterrenceGame):
            self.table.value = ""
            self.explanation.value = styled(deterrence_html(game))
        else:
            self.table.value = styled(payoff_table_html(game))
            self.explanation.value = styled(equilibria_html(game))
