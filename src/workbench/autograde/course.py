"""The nbgrader side: nbgrader's own Autograde converter, with execution moved out to workers.

``prepare`` runs what ``nbgrader autograde`` runs before executing a submission (create the
student and submission in the gradebook, copy the submitted and source files, then the sanitize
chain: ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata).
``finalize`` puts the outputs computed by a worker into the sanitized notebook and runs the rest
of nbgrader's chain without Execute (IgnorePattern, ClearMetadata, LimitOutput, SaveAutoGrades,
AssignLatePenalties, CheckCellMetadata). Both run in the coordinator, one at a time, so only the
coordinator ever writes to the gradebook.
"""

from __future__ import annotations

import glob
import logging
import hashlib
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import nbformat
import nbgrader.api
import nbgrader.nbgraderformat.common
from nbconvert.writers import FilesWriter
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.converters.base import BaseConverter, NbGraderException
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import DeduplicateIds, Execute, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution, setenv
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from workbench.errors import ConfigError, InputError


_ENGINES: dict[str, Any] = {}
_create_engine = nbgrader.api.create_engine


def _shared_engine(url: Any, **kwargs: Any) -> Any:
    """nbgrader opens a new Gradebook (hence a new engine) ~10 times per submission; sharing one
    engine per URL keeps SQLAlchemy's compiled-statement cache, which is most of that cost."""
    key = f"{url}|{sorted(kwargs.items())}"
    if key not in _ENGINES:
        _ENGINES[key] = _create_engine(url, **kwargs)
    return _ENGINES[key]


nbgrader.api.create_engine = _shared_engine


class _CachedSchemaValidation:
    """``jsonschema.validate`` re-checks the schema itself on every cell (~5 ms each); nbgrader's
    cell-metadata schema never changes, so check it once and reuse the validator."""

    def __init__(self) -> None:
        self._validators: dict[int, Any] = {}

    def validate(self, instance: Any, schema: dict) -> None:
        validator = self._validators.get(id(schema))
        if validator is None:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[id(schema)] = cls(schema)
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error


nbgrader.nbgraderformat.common.jsonschema = _CachedSchemaValidation()


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


@dataclass
class NotebookJob:
    """One notebook to execute: its sanitized code, and the files of its working folder."""

    name: str
    cells: list[dict]
    files: dict[str, bytes]
    protected: list[str] = field(default_factory=list)


@dataclass
class Prepared:
    """A submission ready to run, or already decided (``invalid`` notebooks get zero)."""

    student: str
    notebooks: list[NotebookJob] = field(default_factory=list)
    invalid: dict[str, str] = field(default_factory=dict)


def _quiet_log() -> logging.Logger:
    """nbgrader's per-file INFO/WARNING lines (e.g. changed checksums of hidden-test cells) would
    flood the progress display; they go to this logger, silent unless a handler is attached."""
    log = logging.getLogger("workbench.autograde.nbgrader")
    log.propagate = False
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


def _venv_on_path() -> None:
    """nbgrader runs ``alembic`` from PATH whenever it creates a gradebook (e.g. on PostgreSQL)."""
    bindir = os.path.dirname(sys.executable)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def load_config(course_dir: Path, db_url: str | None) -> Config:
    """Read ``nbgrader_config.py`` from the course folder, as ``nbgrader`` run there would."""
    config = Config()
    path = course_dir / "nbgrader_config.py"
    if path.exists():
        try:
            config.merge(PyFileConfigLoader(path.name, path=str(course_dir)).load_config())
        except Exception as exc:
            raise ConfigError(f"cannot load nbgrader config: {exc}", where=str(path)) from exc
    if not config.CourseDirectory.get("root"):
        config.CourseDirectory.root = str(course_dir)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return config


class CourseBridge:
    """Drive nbgrader's Autograde converter one submission at a time, without executing."""

    def __init__(self, *, course_dir: Path, assignment: str, db_url: str | None = None,
                 max_notebook_bytes: int = 50 * 1024**2) -> None:
        _venv_on_path()
        self.config = load_config(course_dir.resolve(), db_url)
        self.coursedir = CourseDirectory(config=self.config)
        self.coursedir.assignment_id = assignment
        self.assignment = assignment
        self.max_notebook_bytes = max_notebook_bytes
        conv = Autograde(coursedir=self.coursedir, config=self.config, log=_quiet_log())
        chain = list(conv.sanitize_preprocessors)
        if DeduplicateIds in chain:
            chain.insert(chain.index(DeduplicateIds) + 1, DropEmptyNbgraderMetadata)
        conv.sanitize_preprocessors = chain
        conv.autograde_preprocessors = [p for p in conv.autograde_preprocessors if p is not Execute]
        conv.writer = FilesWriter(parent=conv, config=self.config)
        conv.exporter = conv.exporter_class(parent=conv, config=self.config)
        self.conv = conv
        self.cell_timeout = float(Execute(config=self.config).timeout or 30)
        self._check_assignment()

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    def _check_assignment(self) -> None:
        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            try:
                gb.find_assignment(self.assignment)
            except MissingEntry:
                raise InputError(f"assignment '{self.assignment}' is not in the gradebook "
                                 "(run `nbgrader generate_assignment` first)", where=self.db_url) from None

    # -- discovery ---------------------------------------------------------------------------
    def submitted_dir(self, student: str) -> Path:
        return Path(self.coursedir.format_path(self.coursedir.submitted_directory, student, self.assignment))

    def autograded_dir(self, student: str) -> Path:
        return Path(self.coursedir.format_path(self.coursedir.autograded_directory, student, self.assignment))

    def students(self) -> list[str]:
        """Students with a submission of this assignment, in nbgrader's (sorted) order."""
        pattern = self.coursedir.format_path(self.coursedir.submitted_directory, "*", self.assignment)
        found = []
        for path in sorted(glob.glob(pattern)):
            parts = Path(path).relative_to(self.coursedir.root).parts
            found.append(parts[1])  # default structure: {nbgrader_step}/{student_id}/{assignment_id}
        return found

    def graded_by_nbgrader(self, student: str) -> bool:
        """True when an autograded copy exists that nbgrader itself would not redo."""
        return self.autograded_dir(student).exists() and not self.conv.init_destination(
            self.assignment, student)

    def fingerprint(self, student: str) -> str:
        """What the submission looks like now: a re-submission changes it and gets regraded."""
        digest = hashlib.sha256()
        for path in sorted(self.submitted_dir(student).rglob("*")):
            if path.is_file():
                st = path.stat()
                digest.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns};".encode())
        return digest.hexdigest()[:16]

    # -- prepare -----------------------------------------------------------------------------
    def prepare(self, student: str) -> Prepared:
        """Create the gradebook submission, copy files and sanitize each notebook."""
        conv = self.conv
        dest = self.autograded_dir(student)
        if dest.exists():
            shutil.rmtree(dest)  # an earlier, unfinished attempt of ours
        conv.notebooks = sorted(glob.glob(str(self.submitted_dir(student) / "*.ipynb")))
        prepared = Prepared(student)
        try:
            conv.init_assignment(self.assignment, student)
        except NbGraderException as exc:  # e.g. no notebook at all: every notebook scores 0
            for name in self._assignment_notebooks():
                prepared.invalid[name] = f"no gradable notebook submitted ({exc})"
            return prepared
        files = self._working_files(dest)
        for path in conv.notebooks:
            name = Path(path).stem
            problem = self._sanitize(path)
            if problem:
                prepared.invalid[name] = problem
                continue
            nb = nbformat.read(str(dest / f"{name}.ipynb"), as_version=4)
            cells = [{"cell_type": c.cell_type, "source": c.source if c.cell_type == "code" else "",
                      "test": c.cell_type == "code" and is_grade(c) and not is_solution(c)}
                     for c in nb.cells]
            prepared.notebooks.append(NotebookJob(name, cells, files, self._protected()))
        return prepared

    def _protected(self) -> list[str]:
        """Modules whose functions test cells rely on: ours, and .py files shipped in the source."""
        source = Path(self.coursedir.format_path(self.coursedir.source_directory, ".", self.assignment))
        return ["workbench.checks"] + sorted(p.stem for p in source.glob("*.py"))

    def _assignment_notebooks(self) -> list[str]:
        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            return [nb.name for nb in gb.find_assignment(self.assignment).notebooks]

    def _sanitize(self, path: str) -> str | None:
        """Run nbgrader's sanitize chain; return why the file is unusable, or None."""
        size = os.path.getsize(path)
        if size > self.max_notebook_bytes:
            return f"notebook file too large ({size} bytes)"
        conv = self.conv
        conv._sanitizing = True
        conv._init_preprocessors()
        try:
            BaseConverter.convert_single_notebook(conv, path)
        except Exception as exc:  # nbformat/JSON/encoding/metadata errors: the file is broken
            return f"unreadable notebook: {type(exc).__name__}: {str(exc)[:200]}"
        return None

    def _working_files(self, dest: Path) -> dict[str, bytes]:
        """Files the notebook may read: submitted extras and source data, never notebooks."""
        files: dict[str, bytes] = {}
        for path in sorted(dest.rglob("*")):
            rel = path.relative_to(dest)
            if path.is_file() and path.suffix != ".ipynb" and rel.name != "timestamp.txt":
                files[str(rel)] = path.read_bytes()
        return files

    # -- finalize ----------------------------------------------------------------------------
    def finalize(self, prepared: Prepared, executed: dict[str, list[dict]]) -> None:
        """Write executed outputs, run nbgrader's post-execution chain, zero broken notebooks."""
        conv = self.conv
        dest = self.autograded_dir(prepared.student)
        for name, cells in executed.items():
            path = dest / f"{name}.ipynb"
            nb = nbformat.read(str(path), as_version=4)
            for cell, result in zip(nb.cells, cells):
                if cell.cell_type == "code":
                    cell.outputs = [nbformat.from_dict(o) for o in result["outputs"]]
                    cell.execution_count = result["execution_count"]
            nbformat.write(nb, str(path))
            conv._sanitizing = False
            conv._init_preprocessors()
            try:
                with setenv(NBGRADER_EXECUTION="autograde"):
                    BaseConverter.convert_single_notebook(conv, str(path))
            finally:
                conv._sanitizing = True
        for name in prepared.invalid:
            self._zero_notebook(prepared.student, name)
            (dest / f"{name}.ipynb").unlink(missing_ok=True)
        conv.set_permissions(self.assignment, prepared.student)

    def discard(self, student: str) -> None:
        """Remove the autograded folder of a submission that could not be graded this time."""
        shutil.rmtree(self.autograded_dir(student), ignore_errors=True)

    def _zero_notebook(self, student: str, name: str) -> None:
        """What nbgrader does for a missing notebook: every grade 0, nothing to grade by hand."""
        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            try:
                submission = gb.find_submission_notebook(name, self.assignment, student)
            except MissingEntry:
                return
            for grade in submission.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
            gb.db.commit()

    def score(self, student: str) -> tuple[float, float]:
        """The submission's total score and maximum, as formgrader shows them."""
        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            sub = gb.find_submission(self.assignment, student)
            return float(sub.score), float(sub.max_score)
