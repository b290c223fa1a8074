"""The instructor's pipeline on nbgrader: build, parallel grading, workers, kernels, submissions, gradebook,
feedback, export, and every class ``nbgrader_config.py`` names.

Import-free: grading kernels import ``course.autograde.integrity.probe`` by name.
"""
