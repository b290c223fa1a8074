"""Play the crisis wargame in the terminal: a list of moves, or interactively (numbered choices)."""

from __future__ import annotations

import argparse
import json
import sys

HELP = "play the crisis wargame (--moves a,b,c, or interactively)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", default="korean-peninsula-2024", help="scenario id or YAML file")
    parser.add_argument("--seed", type=int, default=0, help="the game's seed (same seed, same game)")
    parser.add_argument(
        "--moves",
        help="comma-separated action ids to play, e.g. coordinate-with-allies,talks-with-guarantees",
    )
    parser.add_argument("--json", action="store_true", help="print the game as JSON (with --moves)")


def _state_line(game) -> str:
    return "  ".join(f"{v.name}: {game.state[v.id]:.0f}" for v in game.scenario.variables)


def _turn_text(game, turn) -> str:
    s = game.scenario
    replies = "; ".join(f"{o.name}: {o.response(r).name}" for o, r in zip(s.opponents, turn.responses, strict=True))
    intel = " ".join(f"[{o.name} intel] {o.report(r).text}" for o, r in zip(s.opponents, turn.intel, strict=True))
    return f"turn {turn.number}: {s.action(turn.action).name} -> {replies}\n  {intel}\n  {_state_line(game)}"


def _ending(game) -> str:
    return "\n" + game.debrief()


def run(args: argparse.Namespace) -> int:
    from course.engine.crisis import Crisis, IllegalMove
    from course.scenario.loader import ScenarioError, load

    try:
        scenario = load(args.scenario)
    except ScenarioError as err:
        print(err, file=sys.stderr)
        return 1
    game = Crisis(scenario, seed=args.seed)
    if args.moves is None:
        return _interactive(game)
    turns = []
    for move in [m.strip() for m in args.moves.split(",") if m.strip()]:
        try:
            turn = game.play(move)
        except IllegalMove as err:
            print(f"turn {game.turn + 1}: {err}", file=sys.stderr)
            return 1
        turns.append(turn)
        if not args.json:
            print(_turn_text(game, turn))
    if args.json:
        data = {
            "scenario": scenario.id,
            "seed": args.seed,
            "turns": [{k: t.as_dict()[k] for k in ("turn", "action", "responses", "state")} for t in turns],
            "outcome": {"id": game.outcome, "kind": game.outcome_kind} if game.over else None,
            "score": round(game.score(), 2),
        }
        print(json.dumps(data, indent=1))
    elif game.over:
        print(_ending(game))
    else:
        print(f"game not over after {game.turn} turn(s); score so far {game.score():.1f}")
    return 0


def _interactive(game) -> int:
    from course.engine.crisis import IllegalMove

    s = game.scenario
    print(s.title)
    print(s.summary)
    print(_state_line(game))
    while not game.over:
        legal = game.actions
        print(f"\nturn {game.turn + 1} of {s.turn_limit}: choose a number (or type an action id)")
        for n, action in enumerate(s.actions, start=1):  # stable numbers; unavailable ones say so
            note = "" if action.id in legal else "  (not possible now)"
            print(f"  {n}. {action.name} [{action.stance}]{note}")
        try:
            answer = input("> ").strip()
        except EOFError:
            print(f"\nstopped after {game.turn} turn(s); replay with --moves {','.join(game.moves) or '(none)'}")
            return 0
        numbered = answer.isdigit() and 1 <= int(answer) <= len(s.actions)
        choice = s.actions[int(answer) - 1].id if numbered else answer
        try:
            turn = game.play(choice)
        except IllegalMove as err:
            print(err)
            continue
        print(_turn_text(game, turn))
    print()
    print(_ending(game))
    return 0
