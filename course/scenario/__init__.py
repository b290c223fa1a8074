"""Scenario YAML -> validated, frozen dataclasses: loader, model, checks, the rule vocabulary, structured
conditions and the reference docs generated from the schema.
"""

from course import lazy_attributes

# The names of the flat module ``course.scenario`` that this package replaced (notebooks handed out use them).
__getattr__ = lazy_attributes(__name__, __path__[0], ("course.scenario.loader",))
