"""The one strategy runner: the game on the trusted side, the student's ``policy(view) -> action_id`` in the sandbox.

Why it is built this way (DESIGN.md, "Threat model"; issue 14): a strategy that runs in the same process as the
engine can reach the game it plays through Python's introspection (frames, tracebacks, the garbage collector
need no import) and read the hidden doctrines or change the state. So here the :class:`~course.engine.crisis.Crisis`
stays in this process; each turn, its ``View`` goes to the sandbox's child as plain data
(:func:`course.sandbox.gameview.plain_record`: every field the engine's ``View`` holds, the scenario sent once as
the rules a player may read), the child answers with a move, which must be a ``str`` and one of the legal
moves (checked here, by the engine), and the outcome, score and final state are computed here. The child
holds the student's code and views, nothing else.

The games are played side by side (each wave sends every unfinished game's view, about ten round trips for 80
games instead of one per turn), and the child keeps a copy of the student's definitions per game, so a
strategy's globals are its own game's. A strategy that fails (an error, an illegal move, too slow, too much
output) loses that game; one that hangs or kills its process loses that game, and a fresh child plays the
rest. Every caller uses
:func:`play_games`: the class tournament (:mod:`course.report.strategies`), the practice cells and hidden
tests (:func:`run_strategy`; :func:`course.grading.wargame_checks.play_strategy`) and ``pact-course check``
through them.

>>> r = play_games("def first(view):\\n    return view.actions[0]\\n", "first", "korean-peninsula-2024", [1])
>>> r.ok, sorted(r.values[0])
(True, ['doctrines', 'final', 'moves', 'outcome', 'score', 'seed', 'turns'])
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from course.engine.crisis import Crisis, IllegalMove
from course.grading.checks import student_source
from course.grading.errors import GradingError, KitUsed, WrongValue
from course.grading.kit_use import ANSWER_BEARING
from course.grading.near_copy import near_copies
from course.sandbox import runner as sandbox
from course.sandbox.child import describe_call
from course.sandbox.gameview import plain_record
from course.sandbox.session import GRACE_SECONDS, Answer, Session, header
from course.sandbox.wire import encode, encode_fields, encode_tuple_of
from course.scenario.loader import Scenario, load

__all__ = ["game_record", "play_games", "run_strategy", "strategy_source", "view_data"]

STRATEGY_IMPORTS = sandbox.DEFAULT_ALLOWED_IMPORTS  # the standard library's pure modules; the kit is not there


def view_data(view: Any) -> dict[str, Any]:
    """One turn's view as plain data: every field of the engine's ``View`` but the scenario (sent once)."""
    return {f: plain_record(getattr(view, f)) for f in type(view)._fields if f != "scenario"}


def _encoded_view(view: Any, memo: dict[int, tuple[Any, Any]]) -> Any:
    """:func:`view_data` in the wire format, each record of a tuple field (a turn of the history, which the engine
    keeps as the same object from turn to turn) encoded once per game: ``memo`` keeps it, and the object."""
    fields = {}
    for f in type(view)._fields:
        value = getattr(view, f)
        if f == "scenario":
            continue
        if type(value) is tuple and value and all(hasattr(type(v), "_fields") for v in value):
            items = []
            for item in value:
                if id(item) not in memo:
                    memo[id(item)] = (item, encode(plain_record(item)))
                items.append(memo[id(item)][1])
            fields[f] = encode_tuple_of(items)
        else:
            fields[f] = encode(plain_record(value))
    return encode_fields(fields)


def game_record(seed: int, game: Crisis) -> dict[str, Any]:
    """What a played game gives its caller, computed here from the engine."""
    return {
        "seed": seed,
        "doctrines": game.doctrines,
        "outcome": game.outcome,
        "score": game.score(),
        "turns": game.turn,
        "final": game.state,
        "moves": list(game.moves),
    }


def play_games(
    source: str,
    function: str,
    scenario: Scenario | str,
    seeds: Iterable[int],
    doctrines: Sequence[Mapping[str, str] | None] = (None,),
    *,
    timeout_per_call: float = 2.0,
    total_timeout: float = 600.0,
    memory_mb: int = 512,
    max_output: int = 10_000,
    allowed_imports: Iterable[str] | None = STRATEGY_IMPORTS,
) -> sandbox.SandboxResult:
    """Play ``function(view) -> action_id`` from ``source``, one game per seed x doctrine assignment.

    ``doctrines``: opponent id -> doctrine id to fix (``None`` draws them from the priors with the seed). Each
    game's ``value`` is :func:`game_record`'s dict; each call of the strategy has ``timeout_per_call`` (and a
    grace second before its process is killed), all the games ``total_timeout`` (the games left are
    ``skipped``).
    """
    scenario = load(scenario) if isinstance(scenario, str) else scenario
    jobs = [{"scenario": scenario.id, "seed": s, "doctrines": dict(d) if d else None} for d in doctrines for s in seeds]
    head = header(
        source,
        function,
        timeout_per_call=timeout_per_call,
        total_timeout=total_timeout,
        memory_mb=memory_mb,
        max_output=max_output,
        allowed_imports=allowed_imports,
        context={"scenario": plain_record(scenario)},
    )
    games = [_Game(job, scenario) for job in jobs]
    end = time.monotonic() + total_timeout
    with tempfile.TemporaryDirectory(prefix="pact-sandbox-") as scratch:
        session = Session(head, scratch)
        try:
            setup = _play_waves(session, function, games, end, timeout_per_call)
        finally:
            session.close()
    if setup:
        for g in games:
            g.result = g.result or Answer("error", message=setup)
    skipped = Answer("skipped", message=f"not run: the total time budget of {total_timeout} s ran out")
    calls = tuple(sandbox.CallResult((g.job,), *(g.result or skipped)) for g in games)
    return sandbox.SandboxResult(function, calls, setup or "")


class _Game:
    """One game on the trusted side: the engine's game, what its turns cost, and how it ended."""

    def __init__(self, job: dict, scenario: Scenario) -> None:
        self.job = job
        self.game = Crisis(scenario, seed=job["seed"], doctrines=job["doctrines"])
        self.memo: dict[int, tuple[Any, Any]] = {}
        self.seconds, self.output = 0.0, []
        self.result: Answer | None = None

    def fail(self, got: Answer) -> None:
        where = f"\n(in job {self.job!r})"
        message = got.message + where if got.message else ""
        self.result = got._replace(message=message, output="".join(self.output) + got.output, seconds=self.seconds)

    def move(self, got: Answer) -> None:
        """Play the move that came back, or end the game with why it cannot be played."""
        self.seconds += got.seconds
        if not got.ok:
            return self.fail(got)
        if got.output:
            self.output.append(got.output)
        action = got.value
        if type(action) is not str:
            message = f"TypeError: your strategy returned {action!r} at turn {self.game.turn + 1}: return an action id"
            return self.fail(Answer("error", message=message))
        try:
            self.game.play(action)  # the engine checks it against the legal moves, and changes nothing if not
        except IllegalMove as err:
            return self.fail(Answer("error", message=f"IllegalMove: {err}"))
        if self.game.over:
            record = game_record(self.job["seed"], self.game)
            self.result = Answer("ok", record, output="".join(self.output)[-2000:], seconds=self.seconds)
        return None


def _play_waves(session: Session, function: str, games: list[_Game], end: float, timeout_per_call: float) -> str:
    """Play every game, side by side: each wave sends the view of every unfinished game (one line each, by the
    game's index: the child keeps a copy of the definitions per game) and reads the moves in order. A move
    that never comes (a crash, a hang) ends that game; the games after it in the wave go to a fresh child.
    Returns the setup error, if the definitions failed."""
    import threading

    done: list[int] = []
    while time.monotonic() < end:
        active = [(i, g) for i, g in enumerate(games) if g.result is None]
        if not active:
            return ""
        if not session.alive:
            setup = session.open(end)
            if setup is not None:
                return setup  # "" when the budget ran out while starting: the games left are skipped
            done = []  # a fresh child has no copies to forget
        views = [(i, g.game.view) for i, g in active]
        lines = [{"game": i, "view": _encoded_view(view, games[i].memo)} for i, view in views]
        lines[0]["forget"], done = done, []
        feeder = threading.Thread(target=lambda batch=lines: [session.send_encoded(x) for x in batch], daemon=True)
        feeder.start()
        try:
            for i, view in views:
                if not session.alive:
                    break  # the rest of this wave is played again by a fresh child
                shown = describe_call(function, (view,))
                got = session.answer(time.monotonic() + timeout_per_call + GRACE_SECONDS, shown, end)
                if got.status == "skipped":
                    return ""
                games[i].move(got)
                if games[i].result is not None:
                    done.append(i)
        finally:
            if not session.alive:
                session.close()
            feeder.join()
    return ""


def strategy_source(
    namespace_or_fn: Mapping[str, Any] | Callable,
    name: str | None,
    forbid: Mapping[str, frozenset[str] | None] = ANSWER_BEARING,
) -> tuple[str, str]:
    """The student's strategy and what it uses, as source, refused (:class:`KitUsed`) when it imports the kit's
    reference strategies or is a near copy of one (:mod:`course.grading.near_copy`: pasted and renamed)."""
    name, source = student_source(namespace_or_fn, name, forbid)
    copies = near_copies(source)
    if copies:
        what = ", ".join(f"{c.function} ~ {c.reference.split(': ')[-1]}" for c in copies)
        raise KitUsed(
            f"{name} is a near copy of the kit's reference strategies in course/engine/strategies.py ({what}: "
            "names and numbers aside, the same code): write your own strategy"
        )
    return name, source


def run_strategy(
    namespace_or_fn: Mapping[str, Any] | Callable,
    name: str | None,
    scenario_id: str,
    seeds: Iterable[int],
    doctrines: Sequence[Mapping[str, str] | None] = (None,),
    *,
    forbid: Mapping[str, frozenset[str] | None] = ANSWER_BEARING,
    **limits: Any,
) -> list[dict]:
    """Play the student's strategy ``policy(view) -> action_id`` outside the kernel; return every game.

    Each game is :func:`game_record`'s dict (``limits`` go to :func:`play_games`). Raises when the strategy uses
    the kit's reference strategies or is a near copy of one (:func:`strategy_source`), or fails in any game (too
    slow, an illegal move, an error), with the first failure; judging the games (war avoided, beating the
    baselines) is the test's business.
    """
    name, source = strategy_source(namespace_or_fn, name, forbid)
    result = play_games(source, name, scenario_id, list(seeds), doctrines, **limits)
    if result.setup_error:
        raise GradingError(result.setup_error)
    failed = [c for c in result.calls if not c.ok]
    if failed:
        raise WrongValue(f"{name} failed in {len(failed)} of {len(result.calls)} games. First: {failed[0].message}")
    return result.values
