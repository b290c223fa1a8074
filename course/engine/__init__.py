"""The crisis wargame's pure engine: the game, its tables, turns, views, decision logs, doctrines, strategies,
tournaments and log files. No widget, Jupyter or nbgrader import here.
"""

from course import lazy_attributes

# The names of the flat module ``course.engine`` that this package replaced (notebooks handed out use them).
__getattr__ = lazy_attributes(__name__, __path__[0], ("course.engine.crisis",))
