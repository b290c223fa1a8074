def first_legal(view, *moves):
    return next((m for m in moves if m in view.actions), view.actions[0])


def my_strategy(view):
    # Osgood-style: start small, grow when answered in kind, hold firm once after repeated provocations.
    replies = [turn.responses[0][1] for turn in view.history]
    provocations = sum(1 for r in replies[-3:] if r in ("missile-test", "nuclear-test"))
    if provocations >= 2 and view.moves[-1:] != ("joint-exercises",):
        return first_legal(view, "joint-exercises")
    if replies and replies[-1] in ("return-to-talks", "restraint"):
        return first_legal(view, "talks-with-guarantees", "humanitarian-opening")
    if view.state["alliance_cohesion"] < 55:
        return first_legal(view, "coordinate-with-allies")
    return first_legal(view, "humanitarian-opening", "talks-with-guarantees")
