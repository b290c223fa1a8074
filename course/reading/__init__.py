"""The article digest: its model, loading and checks, and an instructor's full text beside it."""

from course import lazy_attributes

# The names of the flat module ``course.reading`` that this package replaced (notebooks handed out use them).
__getattr__ = lazy_attributes(__name__, __path__[0], ("course.reading.digest",))
