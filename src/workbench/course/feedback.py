"""Feedback preprocessor: hidden tests must not leak through tracebacks.

nbgrader's ``ClearHiddenTests`` removes the hidden part of a test cell's source,
but a failed test keeps IPython's traceback, which quotes the lines around the
failure, hidden assertions included. Configured before ``ClearHiddenTests`` in
the course's ``GenerateFeedback.preprocessors``, this keeps only the error's name
and message for test cells that hold hidden tests.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode


class ClearHiddenTracebacks(Preprocessor):
    """Reduce the tracebacks of cells with hidden tests to ``ename: evalue``."""

    enabled = Bool(True, help="nbconvert preprocessors are off by default; listed here means on.").tag(config=True)
    begin_test_delimeter = Unicode("BEGIN HIDDEN TESTS", help="Marks the start of hidden tests.").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and self.begin_test_delimeter in cell.source:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
