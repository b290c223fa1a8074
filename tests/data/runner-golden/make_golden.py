"""Write ``reference-games.json.gz``: the kit's reference strategies over the graded seeds of 04, game by game.

It was first written (commit "golden games ...") by the old runner, in which the engine played inside the
sandbox's child (``course.sandbox.runner.play_games`` with ``course.grading.game_driver``); this script, which
plays the same games in this process with the engine's own loop, wrote the identical file then (checked
byte for byte). ``tests/grading/test_strategy_runner.py`` compares the one strategy runner with it. When the
scenario's play-relevant numbers change (its content hash is in the file), regenerate it from the repository
root: ``.venv/bin/python tests/data/runner-golden/make_golden.py``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from course.engine.crisis import ENGINE_VERSION, Crisis
from course.engine.strategies import get
from course.scenario.loader import load

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "reference-games.json.gz"
SCENARIO = "korean-peninsula-2024"
NK = [{"north-korea": d} for d in ("spiral-prone-reciprocator", "deterrence-sensitive-opportunist",
                                    "resolved-hardliner", "status-quo-cautious")]  # fmt: skip
SETS = {  # the seeds and doctrines of 04's practice games and of each hidden test
    "practice": (list(range(1, 6)), NK),
    "test_strategy_plays": (list(range(8101, 8121)), [None]),
    "test_strategy_safety": (list(range(7101, 7121)), NK),
    "test_strategy_beats_fixed_plans": (list(range(6201, 6221)), NK),
}
STRATEGIES = [
    "always-deter", "always-talk", "firm-but-fair", "grit", "adaptive", "random",
    "plan:coordinate-with-allies*2:talks-with-guarantees", "plan:sanctions-enforcement",
]  # fmt: skip


def game_record(set_name: str, game: Crisis) -> dict:
    return {
        "set": set_name,
        "seed": game.seed,
        "doctrines": game.doctrines,
        "outcome": game.outcome,
        "score": game.score(),
        "turns": game.turn,
        "final": game.state,
        "moves": list(game.moves),
    }


def games_of(name: str, scenario) -> list[dict]:
    """One strategy's games over every set, in order, played here with the engine's own loop."""
    policy = get(name)
    played = []
    for set_name, (seeds, doctrines) in SETS.items():
        for fixed in doctrines:
            for seed in seeds:
                game = Crisis(scenario, seed=seed, doctrines=fixed)
                while not game.over:
                    game.play(policy(game.view))
                played.append(game_record(set_name, game))
    return played


def games() -> dict:
    scenario = load(SCENARIO)
    out: dict = {"engine": ENGINE_VERSION, "scenario": SCENARIO, "scenario_hash": scenario.content_hash}
    out["sets"] = {name: {"seeds": seeds, "doctrines": docs} for name, (seeds, docs) in SETS.items()}
    out["games"] = {name: games_of(name, scenario) for name in STRATEGIES}
    return out


def write(data: dict, path: Path = GOLDEN) -> None:
    text = json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n"
    path.write_bytes(gzip.compress(text.encode(), mtime=0))


if __name__ == "__main__":
    write(games())
