"""nbgrader's autograde steps, run in memory with the gradebook lookups a batch can share.

``nbgrader autograde`` pays, per notebook, two exporter passes that each deep-copy the notebook,
validate it after every preprocessor, re-read it from disk, and open about six ``Gradebook``
objects (each re-inspecting the schema). The scores only depend on what the preprocessors do to
the notebook and the gradebook, so here the same preprocessor classes run in the same order on
one in-memory notebook, with three substitutions that leave the result unchanged:

* :class:`CachedOverwriteCells` reads the assignment's source cells once per batch (they cannot
  change while a batch runs) instead of two queries per cell;
* :class:`BulkSaveAutoGrades` loads a notebook's grade and comment rows in two queries and
  commits once, instead of one query and one commit per cell;
* :class:`DropEmptyNbgraderMetadata` lets a copy-pasted test cell be graded as a plain cell.

The plumbing is shared too, for the length of a batch (:func:`shared_gradebook`): one
SQLAlchemy engine per database, the schema checks of ``Gradebook()`` done once, nbgrader's
cell-metadata schema compiled once.

Validation runs once per chain (nbconvert's ``optimistic_validation``), and the notebook is
written once, when graded.
"""

from __future__ import annotations

import json
import types
from contextlib import contextmanager
from typing import Any, Iterator

import fastjsonschema
import jsonschema
import nbformat
import nbgrader.api
import nbgrader.nbgraderformat.common
from nbformat import validator
from nbgrader import utils
from nbgrader.api import Comment, Grade, GradeCell, MissingEntry, SourceCell, TaskCell
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells, SaveAutoGrades
from sqlalchemy.orm import joinedload, scoped_session, sessionmaker
from traitlets.utils.importstring import import_item

# -- nbgrader's plumbing, shared for the length of a batch (never its grading rules) ---------
class _CompiledSchemaValidation:
    """nbgrader validates each cell's metadata with ``jsonschema.validate``, which re-checks the
    schema itself every time (~5 ms a cell). The schema never changes: compile it once with
    fastjsonschema; when a cell fails, jsonschema reports the error, exactly as before."""

    def __init__(self) -> None:
        self._compiled: dict[str, Any] = {}

    def validate(self, instance: Any, schema: dict) -> None:
        # Keyed by content: nbgrader loads a fresh copy of the same schema for every notebook.
        key = json.dumps(schema, sort_keys=True)
        check = self._compiled.get(key)
        if check is None:
            jsonschema.validators.validator_for(schema).check_schema(schema)
            # use_default=False: fastjsonschema would otherwise write the schema's defaults into the
            # cell's metadata (e.g. "task": false), which jsonschema never does.
            check = self._compiled[key] = fastjsonschema.compile(schema, use_default=False)
        try:
            check(instance)
        except fastjsonschema.JsonSchemaException:
            jsonschema.validate(instance, schema)  # raises nbgrader's usual ValidationError
            raise


_SCHEMAS = _CompiledSchemaValidation()


@contextmanager
def shared_gradebook() -> Iterator[None]:
    """For the length of a batch, make nbgrader's ``Gradebook()`` cheap to open.

    nbgrader opens about fifteen Gradebooks per submission, and each one creates an engine,
    inspects the schema, runs ``create_all`` (a query per table) and checks the course row. In a
    batch nothing drops the tables or the course, so: one engine per database, and those checks
    once per database and course. Scoped, not process-wide, because a database deleted and made
    again at the same path (a demo run twice) needs them again; engines are disposed at the end.
    """
    api, common = nbgrader.api, nbgrader.nbgraderformat.common
    saved = api.create_engine, api.Gradebook.__init__, common.jsonschema
    create_engine, gradebook_init = saved[0], saved[1]
    engines: dict[str, Any] = {}
    ready: set[tuple[str, str]] = set()

    def shared_engine(url: Any, **kwargs: Any) -> Any:
        key = f"{url}|{sorted(kwargs.items())}"
        if key not in engines:
            engines[key] = create_engine(url, **kwargs)
        return engines[key]

    def init_once(self: Any, db_url: str, course_id: str = "default_course", authenticator: Any = None) -> None:
        if (str(db_url), course_id) not in ready:
            gradebook_init(self, db_url, course_id, authenticator)
            ready.add((str(db_url), course_id))
            return
        self.engine = shared_engine(db_url, echo=False, future=True)
        self.db = scoped_session(sessionmaker(autoflush=True, bind=self.engine, future=True))
        self.course_id, self.authenticator = course_id, authenticator

    api.create_engine, api.Gradebook.__init__, common.jsonschema = shared_engine, init_once, _SCHEMAS
    try:
        yield
    finally:
        api.create_engine, api.Gradebook.__init__, common.jsonschema = saved
        for engine in engines.values():
            engine.dispose()


# -- substituted preprocessors ---------------------------------------------------------------
class DropEmptyNbgraderMetadata(NbGraderPreprocessor):
    """After DeduplicateIds blanks a duplicated cell's nbgrader metadata, drop the empty dict.

    nbgrader 0.9.6 then fails the whole notebook on CheckCellMetadata ("schema version 0"), so
    a candidate who copy-pasted a test cell would get nothing; the copy is graded as a plain cell
    instead, and the original keeps its grade.
    """

    def preprocess_cell(self, cell, resources, index):  # noqa: D102
        if "nbgrader" in cell.metadata and not cell.metadata.nbgrader:
            del cell.metadata["nbgrader"]
        return cell, resources


class _SourceCells:
    """The gradebook's source and graded cells of one notebook, answering OverwriteCells' two
    lookups (``find_source_cell``, ``find_graded_cell``) from memory."""

    def __init__(self, db_url: str, notebook: str, assignment: str) -> None:
        with nbgrader.api.Gradebook(db_url) as gb:
            nb = gb.find_notebook(notebook, assignment)
            self.source = {c.name: types.SimpleNamespace(name=c.name, cell_type=c.cell_type, locked=c.locked,
                                                         checksum=c.checksum, source=c.source)
                           for c in gb.db.query(SourceCell).filter(SourceCell.notebook_id == nb.id)}
            # nbgrader looks for a GradeCell first, then a TaskCell of that name: same priority.
            graded = [*gb.db.query(TaskCell).filter(TaskCell.notebook_id == nb.id),
                      *gb.db.query(GradeCell).filter(GradeCell.notebook_id == nb.id)]
            self.graded = {c.name: types.SimpleNamespace(name=c.name, max_score=c.max_score) for c in graded}
        self.where = f"{assignment}/{notebook}"

    def find_source_cell(self, name: str, notebook: str, assignment: str) -> Any:
        try:
            return self.source[name]
        except KeyError:
            raise MissingEntry(f"No such source cell: {self.where}/{name}") from None

    def find_graded_cell(self, name: str, notebook: str, assignment: str) -> Any:
        try:
            return self.graded[name]
        except KeyError:
            raise MissingEntry(f"No such grade cell: {self.where}/{name}") from None


class CachedOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells, with the source cells read once per notebook per batch."""

    _cache: dict[tuple[str, str, str], _SourceCells]

    def preprocess(self, nb, resources):  # noqa: D102
        if self.add_missing_cells:  # needs the ORM objects: nbgrader's own path
            return super().preprocess(nb, resources)
        meta = resources["nbgrader"]
        self.notebook_id, self.assignment_id, self.db_url = meta["notebook"], meta["assignment"], meta["db_url"]
        if not hasattr(self, "_cache"):
            self._cache = {}
        key = (self.db_url, self.notebook_id, self.assignment_id)
        if key not in self._cache:
            self._cache[key] = _SourceCells(*key)
        self.gradebook = self._cache[key]
        return NbGraderPreprocessor.preprocess(self, nb, resources)


class BulkSaveAutoGrades(SaveAutoGrades):
    """nbgrader's SaveAutoGrades: the same grades and comments, loaded in two queries and
    committed once per notebook."""

    def preprocess(self, nb, resources):  # noqa: D102
        meta = resources["nbgrader"]
        with nbgrader.api.Gradebook(meta["db_url"]) as gb:
            submitted = gb.find_submission_notebook(meta["notebook"], meta["assignment"], meta["student"])
            grades = _by_name(gb.db.query(Grade).options(joinedload(Grade.cell))
                              .filter(Grade.notebook_id == submitted.id), first="GradeCell")
            comments = _by_name(gb.db.query(Comment).options(joinedload(Comment.cell))
                                .filter(Comment.notebook_id == submitted.id), first="SolutionCell")
            where = f"{meta['assignment']}/{meta['notebook']} for {meta['student']}"
            faults = resources.setdefault("workbench_output_faults", [])
            review = resources.get("workbench_review_cells") or set()
            for cell in nb.cells:
                if utils.is_grade(cell):
                    grade = _row(grades, cell, "grade", where)
                    self._score(cell, grade, faults)
                    # the judge found the hand-over missing or altered: a marker must look
                    # (formgrader lists it; the 0 stands until a manual score replaces it)
                    grade.needs_manual_grade = grade.needs_manual_grade or grade.cell.name in review
                if utils.is_solution(cell) or utils.is_task(cell):
                    self._comment(cell, _row(comments, cell, "comment", where))
            gb.db.commit()
        return nb, resources

    def _score(self, cell: Any, grade: Grade, faults: list[str]) -> None:
        # nbgrader's _add_score: the manual score is never overwritten, only flagged for review.
        try:
            grade.auto_score, _ = utils.determine_grade(cell, self.log)
        except (KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
            # The cell's outputs are the notebook's doing (e.g. a text/plain formatter overridden
            # to print nothing): nbgrader would stop here. It is the candidate's outcome, scored
            # 0, never an infrastructure failure left pending.
            grade.auto_score = 0.0
            faults.append(f"{cell.metadata['nbgrader']['grade_id']}: unreadable output "
                          f"({type(exc).__name__}: {str(exc)[:80]})")
        grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None

    @staticmethod
    def _comment(cell: Any, comment: Comment) -> None:
        unchanged = cell.metadata.nbgrader.get("checksum", None) == utils.compute_checksum(cell)
        comment.auto_comment = "No response." if unchanged and not utils.is_task(cell) else None


def _by_name(rows: Any, *, first: str) -> dict[str, Any]:
    """Rows keyed by their cell's name; ``first`` (nbgrader's first lookup) wins over TaskCell."""
    ordered = sorted(rows, key=lambda row: type(row.cell).__name__ == first)
    return {row.cell.name: row for row in ordered}


def _row(rows: dict[str, Any], cell: Any, kind: str, where: str) -> Any:
    name = cell.metadata["nbgrader"]["grade_id"]
    try:
        return rows[name]
    except KeyError:
        raise MissingEntry(f"No such {kind}: {where}/{name}") from None


SUBSTITUTES = {OverwriteCells: CachedOverwriteCells, SaveAutoGrades: BulkSaveAutoGrades}


class Chain:
    """nbgrader preprocessors applied in order to one notebook held in memory.

    Built once per batch (``parent`` gives them the course's configuration), like nbconvert's
    exporter with ``optimistic_validation``: normalise, run each step, validate once.
    """

    def __init__(self, classes: list[Any], *, parent: Any) -> None:
        self.steps = []
        for cls in classes:
            cls = import_item(cls) if isinstance(cls, str) else cls  # nbgrader accepts dotted names
            # Each step keeps its own ``enabled`` (from its default or the course config), as when
            # nbconvert registers it: e.g. ClearMetadataPreprocessor stays off unless configured.
            self.steps.append(SUBSTITUTES.get(cls, cls)(parent=parent) if isinstance(cls, type) else cls)

    def __call__(self, nb: nbformat.NotebookNode, resources: dict) -> tuple[nbformat.NotebookNode, dict]:
        _, nb = validator.normalize(nb)  # a deep copy, still a NotebookNode
        for step in self.steps:
            nb, resources = step(nb, resources)
        nbformat.validate(nb, relax_add_props=True)
        return nb, resources

