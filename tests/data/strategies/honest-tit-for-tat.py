def my_strategy(view):
    legal = view.actions
    if view.history:
        reply = view.history[-1].responses[0][1]
        effects = view.scenario.opponents[0].response(reply).effects
        if effects.get("tension", 0) > 0 and "joint-exercises" in legal:
            return "joint-exercises"
    for move in ("talks-with-guarantees", "humanitarian-opening"):
        if move in legal:
            return move
    return legal[0]
