"""Every class ``nbgrader_config.py`` names: what the course adds to nbgrader 0.9.6.

Loaded by nbgrader from ``nbgrader_config.py`` by dotted path, and by ``course.autograde.worker`` (instructor side
only: this module imports nbgrader and jupyter_client, so nothing in a student kernel may import it). Older courses
name these classes at their former homes (``course.grade_worker.TracingExecute``, ``course.feedback.HideHiddenTests``,
``course.nbgrader_preprocessors.StripSolutionDelimiters``): those modules re-export them, and ``course.MOVED`` serves
the old module names.

- ``StripSolutionDelimiters``: the answer key without ``### BEGIN/END SOLUTION`` lines (generate_solution);
- ``OptionalAnswers``: an optional answer cell that does nothing when left alone (generate_assignment);
- ``StableAnswerKey``: an answer key that is the same on every rebuild (generate_solution);
- ``KernelMetadata``: a notebook JupyterLab does not mark changed on opening (generate_assignment and _solution);
- ``HideHiddenTests``: feedback without hidden tests (generate_feedback);
- ``FeedbackPage``: a feedback page that reads well offline: a widget is a sentence, not its Python repr, and
  tables have borders (generate_feedback);
- ``TracingExecute`` and ``LimitedKernelManager`` (``course.autograde.kernel_manager``): autograding, as
  ``course.autograde.worker`` describes; nothing a notebook starts outlives it (``course.autograde.reaper``).
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor
from traitlets import Bool, Unicode

from course.autograde.kernel_manager import LimitedKernelManager  # noqa: F401 - nbgrader_config.py names it here
from course.autograde.messages import Cell, IntegrityProblem
from course.notebooks import SOLUTION_BEGIN, SOLUTION_END, cell_source, grade_id


class StripSolutionDelimiters(NbGraderPreprocessor):
    """Remove the ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines but keep the code between them.

    Why: ``nbgrader generate_solution`` leaves the delimiters in the answer key, which then looks
    like an instructor notebook and tells students where the graded regions were. ``ClearSolutions``
    does the opposite of what the key needs (it removes the code), so this is the missing piece.
    """

    begin_solution_delimeter = Unicode(SOLUTION_BEGIN, help="Marks the start of a solution region.").tag(config=True)
    end_solution_delimeter = Unicode(SOLUTION_END, help="Marks the end of a solution region.").tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int):
        lines = cell.source.split("\n")
        kept = [
            line
            for line in lines
            if self.begin_solution_delimeter not in line and self.end_solution_delimeter not in line
        ]
        if len(kept) != len(lines):
            cell.source = "\n".join(kept).strip("\n")
        return cell, resources


class OptionalAnswers(NbGraderPreprocessor):
    """In a released answer cell marked optional (``{"pact_course": {"optional": true}}`` in its metadata),
    nbgrader's stub ``raise NotImplementedError()`` becomes ``pass``: left alone, an optional cell must not stop
    Restart-and-Run-All (04's "typing instead of clicking" did, for every student who played by clicking).
    Runs right after ``ClearSolutions``, before the checksums are taken (generate_assignment)."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int):
        optional = (cell.metadata.get("pact_course") or {}).get("optional")
        if cell.cell_type == "code" and optional:
            cell.source = cell.source.replace(
                "raise NotImplementedError()", "pass  # optional: leave it, or write your own code here"
            )
        return cell, resources


class StableAnswerKey(NbGraderPreprocessor):
    """The executed answer key as the same bytes on every rebuild of an unchanged course (it is committed):
    consecutive prints to one stream are one output (how the kernel split them into messages depended on its
    timing), and a widget output names its model by cell and position, not by a random id (the widget state
    is not stored, ``store_widget_state = False``, so the id points nowhere either way). generate_solution,
    after Execute."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int):
        merged: list = []
        for output in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if (
                output.get("output_type") == "stream"
                and last is not None
                and last.get("output_type") == "stream"
                and last.get("name") == output.get("name")
            ):
                last["text"] = last["text"] + output["text"]
            else:
                merged.append(output)
        if cell.cell_type == "code":
            cell["outputs"] = merged
        for k, output in enumerate(merged):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and "model_id" in view:
                view["model_id"] = f"{cell.get('id') or cell_index}-{k}"
        return cell, resources


class KernelMetadata(NbGraderPreprocessor):
    """The notebook's ``kernelspec`` and ``language_info`` as its kernel reports them here
    (``course.autograde.kernel_metadata``): JupyterLab writes those on opening and marked every released
    notebook changed, whose source held a stripped ``language_info``. generate_assignment and generate_solution."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        from course.autograde.kernel_metadata import kernel_metadata

        name = (nb.metadata.get("kernelspec") or {}).get("name") or "python3"
        nb.metadata.update(nbformat.from_dict(kernel_metadata(name)))
        return nb, resources


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden-test regions from test cells and reduce their errors to the message alone."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int):
        if cell.cell_type != "code" or not self._remove_hidden_test_region(cell):
            return cell, resources
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                message = output.get("evalue") or "a hidden test failed"
                output["traceback"] = [f"{output.get('ename', 'Error')}: {message}"]
            outputs.append(output)
        cell["outputs"] = outputs
        return cell, resources


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<p class="pact-widget-note"><i>An interactive widget was here (the board, a sorter, an explorer): it shows '
    "when the notebook is open in JupyterLab, not in this page.</i></p>"
)
FEEDBACK_CSS = """
.text_cell_render table, .rendered_html table { border-collapse: collapse; margin: 0.6em 0; }
.text_cell_render th, .text_cell_render td, .rendered_html th, .rendered_html td {
  border: 1px solid #999; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
.text_cell_render thead th, .rendered_html thead th { background: #eee; }
p.pact-widget-note { color: #555; }
"""


class FeedbackPage(NbGraderPreprocessor):
    """Feedback that reads well as a page: each widget output becomes a sentence (nbgrader's page showed its
    Python repr, ``Reader(children=(HTML(value='<div ...``), and tables get borders and padding.

    Runs after ``CSSHTMLHeaderPreprocessor``, whose CSS list the feedback template inlines.
    """

    def preprocess(self, nb: NotebookNode, resources: dict):
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for output in cell.get("outputs", []):
                if WIDGET_VIEW in output.get("data", {}):
                    output["data"] = {"text/html": WIDGET_NOTE}
        inlining = resources.setdefault("inlining", {})
        inlining["css"] = [*inlining.get("css", []), FEEDBACK_CSS]
        return nb, resources


class Trace:
    """What ``TracingExecute`` saw of the notebook it ran last (one student at a time per process): the cell it
    started last (for "the kernel died in ..."), and the test cells that failed the reached-the-end check."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.last_cell: Cell | None = None
        self.integrity: list[IntegrityProblem] = []


TRACE = Trace()


class TracingExecute(Execute):
    """nbgrader's Execute, remembering the cell it is running (for 'the kernel died in ...'), run in a
    scratch folder outside the course, with each test cell's end verified (``course.autograde.integrity.run``)
    and its hidden tests run here, not in the kernel (``course.autograde.integrity.hidden``)."""

    warm_kernels = Bool(
        False, help="Start each notebook's kernel while the previous notebook runs (course.autograde.kernel_pool)."
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):  # noqa: ANN001 - nbconvert's signature
        from course.autograde import reaper
        from course.autograde.integrity import run as integrity_run
        from course.autograde.kernel_pool import POOL
        from course.autograde.undumpable import make_undumpable

        make_undumpable()  # this process now holds hidden tests: closed to /proc/<pid>/mem of its user
        reaper.become_subreaper()  # a process the notebook leaves behind is re-parented here, then ended
        self._before = before = reaper.descendants()
        meta = (resources or {}).setdefault("metadata", {})
        here = Path(meta.get("path") or ".")
        name = f"{(resources or {}).get('unique_key') or 'notebook'}.ipynb"
        if not here.is_dir():
            return super().preprocess(nb, resources, km)
        warm = self._warm_kernel(nb, here.name) if km is None and self.warm_kernels else None
        if warm is not None:
            scratch = warm.folder
            integrity_run.fill_scratch_folder(scratch, here, nb, name)
        else:
            scratch = integrity_run.scratch_folder(here, nb, name)
        meta["path"] = str(scratch)
        try:
            return super().preprocess(nb, resources, warm.km if warm is not None else km)
        finally:
            meta["path"] = str(here)
            if warm is not None:
                POOL.dispose(warm, self.kc)
                self.kc = self.km = None
            else:
                shutil.rmtree(scratch.parent, ignore_errors=True)
            # Before nbgrader saves the grades: nothing the notebook started is left (the next kernel aside).
            reaper.reap(before, keep=POOL.pids())

    @contextmanager
    def setup_kernel(self, **kwargs):  # noqa: ANN003, ANN201 - nbclient's signature
        """nbclient's; after the last cell, before the kernel stops, what the notebook started ends (``reaper``)."""
        from course.autograde import kernel_pool, reaper

        with super().setup_kernel(**kwargs):
            try:
                yield
            finally:
                reaper.reap(getattr(self, "_before", ()), keep=kernel_pool.POOL.pids())

    def _warm_kernel(self, nb, leaf):  # noqa: ANN001, ANN202 - nbconvert's types
        """This notebook's kernel, started earlier if one was started exactly so; and the next one's."""
        from nbclient import NotebookClient

        from course.autograde.kernel_pool import POOL, environment_digest

        # ExecutePreprocessor.preprocess starts with this re-initialisation, which is when the configured
        # traits (kernel_manager_class: the memory-capped manager) replace the constructor's defaults.
        NotebookClient.__init__(self, nb)
        kernel_name = self.kernel_name or nb.metadata.get("kernelspec", {}).get("name") or ""

        def manager():  # noqa: ANN202
            # As nbclient's create_kernel_manager makes it.
            if not kernel_name:
                return self.kernel_manager_class(config=self.config)
            return self.kernel_manager_class(kernel_name=kernel_name, config=self.config)

        km = manager()
        arguments = list(self.extra_arguments)
        # As nbclient's async_start_new_kernel adds it.
        if (
            km.ipykernel
            and self.ipython_hist_file
            and not any(a.startswith("--HistoryManager.hist_file") for a in arguments)
        ):
            arguments.append(f"--HistoryManager.hist_file={self.ipython_hist_file}")
        kind = type(km)
        section = self.config.get(kind.__name__, {})
        key = (
            kernel_name, tuple(arguments), leaf, environment_digest(),
            f"{kind.__module__}.{kind.__qualname__}", repr(sorted(section.items())),
        )  # fmt: skip
        warm = POOL.take(key) or POOL.start(km, key, leaf, arguments)
        POOL.prepare(manager(), key, leaf, arguments)
        return warm

    def preprocess_cell(self, cell, resources, index):  # noqa: ANN001 - nbconvert's signature
        if cell.get("cell_type") != "code":
            return super().preprocess_cell(cell, resources, index)
        from course.autograde.integrity import run as integrity_run

        if integrity_run.is_test_cell(cell):
            from course.autograde.integrity import hidden

            original = cell.source
            on_grader = hidden.has_hidden(original)  # hidden tests: run here, never in the kernel
            cell.source, token = integrity_run.stamp(hidden.kernel_source(original) if on_grader else original)
            # Remove the notebook's own IPython hooks first (silently: the kernel's reply only).
            self.wait_for_reply(self.kc.execute(integrity_run.GUARD, silent=True, store_history=False))
            try:
                cell, resources = self._traced(cell, resources, index, original)
            finally:
                cell.source = original
            handed = hidden.take_submitted(cell) if on_grader else None
            problem = integrity_run.verify(cell, token)
            if on_grader and not problem and not hidden.failed_in_kernel(cell):
                failure = hidden.run_trusted(original, handed or {}, self._history(index), self._folder(resources))
                if failure:
                    cell.outputs.append(nbformat.from_dict(hidden.error_output(*failure)))
            if problem:
                last = TRACE.last_cell
                notebook, gid = (last.notebook, last.grade_id) if last else ("", None)
                TRACE.integrity.append(IntegrityProblem(notebook, index, gid, problem))
            return cell, resources
        return self._traced(cell, resources, index)

    def _history(self, index):  # noqa: ANN001, ANN202
        """The notebook's code cells before ``index``, as the grader has them (a test cell's ``In``)."""
        from course.autograde.integrity import hidden

        return [hidden.visible_part(c.source) for c in self.nb.cells[:index] if c.get("cell_type") == "code"]

    @staticmethod
    def _folder(resources):  # noqa: ANN001, ANN205
        return (resources or {}).get("metadata", {}).get("path") or None

    def _traced(self, cell, resources, index, source=None):  # noqa: ANN001, ANN202 - nbconvert's signature
        text = cell_source(cell) if source is None else source
        first = next((line for line in text.splitlines() if line.strip()), "")
        notebook = str((resources or {}).get("unique_key") or "")
        TRACE.last_cell = Cell(notebook, index, grade_id(cell), first[:80])
        return super().preprocess_cell(cell, resources, index)
