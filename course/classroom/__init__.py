"""The live class session: a JupyterHub-managed service that plays the engine for every team, its store, and the
small client protocol the crisis board uses in class mode.

Import-free on purpose: a student's kernel imports :mod:`course.classroom.client` (standard library only) and must not
pay for the service's web framework; the service (:mod:`course.classroom.service`) runs in its own process.
"""
