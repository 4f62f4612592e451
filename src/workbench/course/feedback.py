"""Feedback preprocessor: hidden tests must not leak through tracebacks, and errors read plainly.

nbgrader's ``ClearHiddenTests`` removes the hidden part of a test cell's source,
but a failed test keeps IPython's traceback, which quotes the lines around the
failure, hidden assertions included. Configured before ``ClearHiddenTests`` in
the course's ``GenerateFeedback.preprocessors``, this keeps only the error's
message for test cells that hold hidden tests: no source line, no exception
class name, and "Not answered yet" (in the course's language) for a question
left unanswered.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Enum, Unicode

from workbench_candidate.lang import LANGS
from workbench_candidate.plain import plain_error


class ClearHiddenTracebacks(Preprocessor):
    """Reduce the tracebacks of cells with hidden tests to the error's message, in plain words."""

    enabled = Bool(True, help="nbconvert preprocessors are off by default; listed here means on.").tag(config=True)
    begin_test_delimeter = Unicode("BEGIN HIDDEN TESTS", help="Marks the start of hidden tests.").tag(config=True)
    lang = Enum(LANGS, default_value="en", help="The course's language.").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and self.begin_test_delimeter in cell.source:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = plain_error(str(output.get("ename", "")), str(output.get("evalue", "")),
                                                      self.lang).splitlines()
        return cell, resources
