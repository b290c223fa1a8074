"""The class report: grades, games, strategies (a class tournament), HTML and plots. matplotlib lives here and in
benchmarks only.
"""

from course import lazy_attributes

# The names of the flat module ``course.report`` that this package replaced (notebooks handed out use them).
__getattr__ = lazy_attributes(__name__, __path__[0], ("course.report.class_report",))
