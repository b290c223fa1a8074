"""nbgrader preprocessors the course needs and nbgrader 0.9.6 lacks.

Loaded by nbgrader from ``nbgrader_config.py`` (instructor side only: this module imports nbgrader,
so nothing in a student kernel may import it).
"""

from __future__ import annotations

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from course.notebooks import SOLUTION_BEGIN, SOLUTION_END


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
