TALKS = "talks-with-guarantees"


def my_strategy(view):
    s = view.state
    options = list(view.actions)
    if s["two_front_strain"] > 50 and "burden-sharing" in options:
        return "burden-sharing"
    if s["alliance_cohesion"] < 60 and "coordinate-with-allies" in options:
        return "coordinate-with-allies"
    if s["tension"] > 70:
        return "humanitarian-opening" if "humanitarian-opening" in options else options[0]
    if s["nuclear_progress"] > 75 and "sanctions-enforcement" in options:
        return "sanctions-enforcement"
    return TALKS if TALKS in options else options[-1]
