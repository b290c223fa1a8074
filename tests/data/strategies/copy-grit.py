# grit and its helpers from course/engine/strategies.py, renamed, constants changed, docstrings gone
ESCALATE, OFFER, STEP = "joint-exercises", "talks-with-guarantees", "humanitarian-opening"


def pick_ok(v, *options):
    for o in options:
        if o in v.actions:
            return o
    kinds = {v.scenario.action(o).stance for o in options if known(v, o)}
    for o in v.actions:
        if v.scenario.action(o).stance in kinds:
            return o
    return v.actions[0]


def known(v, o):
    return any(x.id == o for x in v.scenario.actions)


def bad(v, r, k=0):
    fx = v.scenario.opponents[k].response(r).effects
    return fx.get("tension", 0) + fx.get("nuclear_progress", 0) > 0


def my_strategy(v):
    answers = [h.responses[0][1] for h in v.history]
    if len(answers) >= 2 and bad(v, answers[-1]) and bad(v, answers[-2]):
        if not v.history or v.history[-1].action != ESCALATE:
            return pick_ok(v, ESCALATE)
    if answers and not bad(v, answers[-1]):
        return pick_ok(v, OFFER, STEP)
    return pick_ok(v, STEP)
