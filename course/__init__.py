"""pact-course: a teaching and wargame kit on the June 2024 Russia-North Korea security pact.

Importing the package is deliberately cheap (every student notebook and every autograded
submission pays for it): submodules are imported on first use, never here.
"""

__version__ = "0.1.0"
