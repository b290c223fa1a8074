"""nbgrader configuration: this repository's root is the course directory.

source/     instructor notebooks (solutions and hidden tests inside)
exercises/  what students get (nbgrader's "release" step), committed
solutions/  the worked answer key, committed; hidden tests and solution markers stripped
gradebook.db  the sqlite gradebook (git-ignored)

Every path is relative to this file, so `nbgrader ...` run from the root needs no flags, and the
kit's own commands (and the tests, in temporary copies of the course) load this same file.
"""

import os

c = get_config()  # noqa: F821 - injected by traitlets when nbgrader loads this file

_root = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = _root
c.CourseDirectory.course_id = "pact-course"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.solution_directory = "solutions"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_root, "gradebook.db")

# A class that hands notebooks out by plain copy (make lab, one person's machine) has no shared exchange:
# nbgrader's default, /srv/nbgrader/exchange, does not exist, and the formgrader says so in a warning box.
# `make lab` sets PACT_COURSE_LOCAL_EXCHANGE and the exchange is .exchange/ in the course (git-ignored). A
# hub leaves it unset and uses its own exchange (docs/how-to/jupyterhub.md).
if os.environ.get("PACT_COURSE_LOCAL_EXCHANGE"):
    c.Exchange.root = os.path.join(_root, ".exchange")

# Per-cell execution limit while generating, validating and autograding (seconds).
c.Execute.timeout = 60

# generate_assignment as nbgrader 0.9.6 does it, plus OptionalAnswers right after ClearSolutions: an answer
# cell marked optional is released with `pass` instead of `raise NotImplementedError()`, so Run All does not
# stop there when a student leaves it alone. KernelMetadata (here and in generate_solution) stores the kernel's
# own kernelspec and language_info, which JupyterLab writes on opening: otherwise every notebook opened "changed".
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "course.autograde.nbgrader_plugins.OptionalAnswers",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
    "course.autograde.nbgrader_plugins.KernelMetadata",
]

# generate_solution on its own copies hidden tests and the BEGIN/END SOLUTION markers into the
# answer key (notes/nbgrader-0.9.6.md): clear the hidden tests, keep the solution code without
# its delimiters, then execute so the key shows its outputs. `pact-course build` fails on any
# error output, because generate_solution exits 0 even when a cell raises.
c.GenerateSolution.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.ClearHiddenTests",
    "course.autograde.nbgrader_plugins.StripSolutionDelimiters",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.Execute",
    "course.autograde.nbgrader_plugins.StableAnswerKey",
    "course.autograde.nbgrader_plugins.KernelMetadata",
]

# Widget state would put random model ids into the committed answer key on every build; students re-run it.
c.Execute.store_widget_state = False
# Nor execution timestamps in every cell's metadata: a rebuild of an unchanged course changes nothing (the
# answer keys are committed). Applies to the kit's Execute subclasses too (autograde, the self-check).
c.Execute.record_timing = False

# Feedback HTML would otherwise show hidden tests and tracebacks quoting them (nbgrader #917, #1363):
# the kit's preprocessor strips them, for `pact-course feedback`, plain `nbgrader generate_feedback`
# and the formgrader's feedback button alike.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "course.autograde.nbgrader_plugins.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "course.autograde.nbgrader_plugins.FeedbackPage",
]

# Grading integrity (docs/explanation/grading-integrity.md): nbgrader's Execute is replaced by the kit's, which
# runs the notebook in a scratch folder outside the course (the file on disk then holds no hidden tests) and
# checks, outside the kernel, that each test cell ran to its end against the unchanged kit. The same list as
# nbgrader 0.9.6's default otherwise, so plain `nbgrader autograde` and the formgrader grade as `pact-course grade`.
# Its kernels start under a memory cap and, where the machine allows, under bubblewrap: no network, the course
# directory and other kernels invisible, nothing left running after the notebook (course.autograde.kernel_manager).
c.TracingExecute.kernel_manager_class = "course.autograde.nbgrader_plugins.LimitedKernelManager"
c.Autograde.autograde_preprocessors = [
    "course.autograde.nbgrader_plugins.TracingExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
