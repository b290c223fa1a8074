"""Grading integrity: the static scan and its patterns, the probe a graded cell runs, and the checks on what
grading saw.

Import-free: the probe is imported by name inside grading kernels.
"""
