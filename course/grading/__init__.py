"""What runs in the student's kernel: test-cell helpers, the kit-use check, the strategy runner, the wargame and
memo checks, the self-check. It trusts nothing it gets back.

Import-free: graded test cells import it, and every autograded submission pays for what is imported here.
"""

from course import lazy_attributes

# The names of the flat module ``course.grading`` that this package replaced (notebooks handed out use them).
__getattr__ = lazy_attributes(
    __name__,
    __path__[0],
    ("course.grading.checks", "course.grading.tags", "course.grading.answers", "course.grading.strategy"),
)
