"""Student code outside the kernel: the child process, the wire format between it and the trusted side. It knows
no engine.

Import-free: the child imports ``course.sandbox.child`` by name, and a graded cell pays for what it uses only.
"""

from course import lazy_attributes

# The names of the flat module ``course.sandbox`` that this package replaced (notebooks handed out use them).
__getattr__ = lazy_attributes(__name__, __path__[0], ("course.sandbox.runner",))
