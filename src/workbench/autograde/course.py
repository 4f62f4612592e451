"""The nbgrader side: nbgrader's own Autograde converter, with execution moved out to workers.

``prepare`` runs what ``nbgrader autograde`` runs before executing a submission (create the
student and submission in the gradebook, copy the submitted and source files, then the sanitize
chain: ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata).
``finalize`` puts the outputs computed by a worker into the sanitized notebook and runs the rest
of nbgrader's chain without Execute (IgnorePattern, ClearMetadata, LimitOutput, SaveAutoGrades,
AssignLatePenalties, CheckCellMetadata). Both run in the coordinator, one at a time, so only the
coordinator ever writes to the gradebook. The notebook stays in memory between the two and is
written once (see :mod:`workbench.autograde.steps` for what is shared across a batch).
"""

from __future__ import annotations

import copy
import glob
import hashlib
import logging
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import nbjson
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps.autogradeapp import AutogradeApp
from nbgrader.converters import Autograde
from nbgrader.converters.base import NbGraderException
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import DeduplicateIds, Execute
from nbgrader.utils import parse_utc, setenv

from workbench.autograde.answers import Handovers
from workbench.autograde.preflight import check_course, load_config
from workbench.autograde.steps import Chain, DropEmptyNbgraderMetadata
from workbench.errors import InputError


class _Unusable(Exception):
    """A submitted notebook that cannot be graded at all (it scores zero)."""


class SubmissionRejected(Exception):
    """A submission nbgrader would fail as a whole (e.g. an unreadable ``timestamp.txt``): it is
    not graded, its autograded folder is removed, and the run names it in one line."""


@dataclass
class NotebookJob:
    """One notebook to execute: its sanitized code, judged test cells marked for hand-over."""

    name: str
    cells: list[dict]
    # The sanitized notebook and its nbgrader resources, kept in memory until its results come.
    nb: Any = field(default=None, repr=False)
    resources: dict = field(default_factory=dict, repr=False)


@dataclass
class Prepared:
    """A submission ready to run, or already decided (``invalid`` notebooks get zero)."""

    student: str
    notebooks: list[NotebookJob] = field(default_factory=list)
    invalid: dict[str, str] = field(default_factory=dict)
    # The working folder every notebook of the submission runs in: relative path -> content.
    files: dict[str, bytes] = field(default_factory=dict, repr=False)
    # Why a marker must look at this submission (the judge's findings), filled by finalize.
    review: list[str] = field(default_factory=list)
    # Grade cells whose outputs nbgrader could not read (scored 0), filled by finalize.
    output_faults: list[str] = field(default_factory=list)
    # The submitted notebooks nbgrader grades (what its post-convert hook is given).
    paths: list[str] = field(default_factory=list)


def _quiet_log() -> logging.Logger:
    """nbgrader's per-file INFO/WARNING lines (e.g. changed checksums of hidden-test cells) would
    flood the progress display; they go to this logger, silent unless a handler is attached."""
    log = logging.getLogger("workbench.autograde.nbgrader")
    log.propagate = False
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


def _language_info() -> dict:
    """What an ipykernel running this interpreter answers in ``kernel_info`` (``language_info``)."""
    from ipykernel.ipkernel import IPythonKernel

    return IPythonKernel.language_info


def _course_on_sys_path(root: Path) -> None:
    """``nbgrader`` imports the course's own modules (a late-penalty plugin, convert hooks) from
    the folder it runs in, the course folder: so does the workbench, whatever its cwd."""
    for folder in (str(root), os.getcwd()):
        if folder not in sys.path:
            sys.path.insert(0, folder)


def _venv_on_path() -> None:
    """nbgrader runs ``alembic`` from PATH whenever it creates a gradebook (e.g. on PostgreSQL)."""
    bindir = os.path.dirname(sys.executable)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


class CourseBridge:
    """Drive nbgrader's Autograde converter one submission at a time, without executing."""

    def __init__(self, *, course_dir: Path, assignment: str, db_url: str | None = None,
                 max_notebook_bytes: int = 50 * 1024**2) -> None:
        _venv_on_path()
        check_course(course_dir.resolve(), db_url)
        self.config = load_config(course_dir.resolve(), db_url)
        # nbgrader's app is the converter's parent, so that settings made on it
        # (``AutogradeApp.permissions``, mapped by nbgrader to the converter) apply as in nbgrader.
        self.app = AutogradeApp(config=self.config, log=_quiet_log())
        self.coursedir = CourseDirectory(parent=self.app)
        self.coursedir.assignment_id = assignment
        self.assignment = assignment
        self.max_notebook_bytes = max_notebook_bytes
        self._kernels: dict[str, str | None] = {}  # kernelspec name -> why it cannot run (None: it can)
        _course_on_sys_path(Path(self.coursedir.root))
        conv = Autograde(coursedir=self.coursedir, parent=self.app, log=_quiet_log())
        chain = list(conv.sanitize_preprocessors)
        if DeduplicateIds in chain:
            chain.insert(chain.index(DeduplicateIds) + 1, DropEmptyNbgraderMetadata)
        conv.sanitize_preprocessors = chain
        conv.exporter = conv.exporter_class(parent=conv, config=self.config)
        self.conv = conv
        # nbgrader's two chains (Execute left out: the workers execute), built once per batch.
        self.sanitize = Chain(chain, parent=conv.exporter)
        self.grade = Chain([p for p in conv.autograde_preprocessors if p is not Execute], parent=conv.exporter)
        self.cell_timeout = float(Execute(config=self.config).timeout or 30)
        self._check_assignment()
        from workbench.autograde.judge import Judge

        # Before anything is graded: a missing or corrupted key stops the batch with one line.
        self.judge = Judge.for_course(Path(self.coursedir.root), self._source_dir())

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
            if not glob.glob(os.path.join(glob.escape(path), "*.ipynb")):
                continue  # nbgrader skips a submission without any notebook (nothing is created)
            parts = Path(path).relative_to(self.coursedir.root).parts
            found.append(parts[1])  # default structure: {nbgrader_step}/{student_id}/{assignment_id}
        return found

    def registered_students(self) -> set[str] | None:
        """Students the gradebook knows, when a submission from anyone else is not graded
        (``Autograde.create_student = False``, as `course create` configures); None otherwise."""
        if self.conv.create_student:
            return None
        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            return {s.id for s in gb.students}

    def recorded(self) -> set[str]:
        """Students with a submission of this assignment in the gradebook (one restored from a
        backup may lack what the job journal says was graded)."""
        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            return {sub.student.id for sub in gb.assignment_submissions(self.assignment)}

    def excluded(self, student: str) -> bool:
        """``CourseDirectory.student_id_exclude``: students nbgrader never grades (nor creates)."""
        exclude = self.coursedir.student_id_exclude
        return bool(exclude) and student in exclude.split(",")

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
        self._check_timestamp(student)
        conv.run_pre_convert_hook()  # nbgrader's own call: it logs a hook's failure and goes on
        try:
            conv.init_assignment(self.assignment, student)
        except NbGraderException as exc:  # e.g. no notebook at all: every notebook scores 0
            for name in self._assignment_notebooks():
                prepared.invalid[name] = f"no gradable notebook submitted ({exc})"
            return prepared
        prepared.paths = list(conv.notebooks)
        prepared.files = self._working_files(dest)
        for path in conv.notebooks:
            name = Path(path).stem
            try:
                nb, resources = self._sanitize(path)
            except _Unusable as exc:
                prepared.invalid[name] = str(exc)
                continue
            self._check_kernel(path, nb)
            handovers = self.judge.handovers(name, nb.cells) if self.judge else {}
            # A judged test cell's source never reaches the child: only the names it hands over.
            cells = [{"cell_type": c.cell_type,
                      "source": c.source if c.cell_type == "code" and i not in handovers else "",
                      "handover": handovers.get(i)}
                     for i, c in enumerate(nb.cells)]
            prepared.notebooks.append(NotebookJob(name, cells, nb, resources))
        return prepared

    def _check_kernel(self, path: str, nb: Any) -> None:
        """nbgrader fails a submission whose notebook names a kernel it cannot start (after
        OverwriteKernelspec: the source's). The workbench runs Python only: a kernel that is not
        installed, or not Python, is refused the same way, in one line."""
        name = (nb.metadata.get("kernelspec") or {}).get("name")
        if not name:
            return  # nbclient starts the default (Python) kernel
        if name not in self._kernels:
            from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpecManager, NoSuchKernel

            try:  # jupyter_client's KernelManager reads "python" as the native kernel
                spec = KernelSpecManager().get_kernel_spec(NATIVE_KERNEL_NAME if name == "python" else name)
                self._kernels[name] = None if spec.language.lower() == "python" else f"a {spec.language} kernel"
            except NoSuchKernel:
                self._kernels[name] = "no such kernel"
        why = self._kernels[name]
        if why:
            raise SubmissionRejected(f"{path}: kernel {name!r}: {why} (the workbench runs Python notebooks)")

    def _check_timestamp(self, student: str) -> None:
        """nbgrader 0.9.6 fails the submission on an unreadable ``timestamp.txt`` (through an
        AttributeError of its own); here it is refused with one line naming the file."""
        path = self.submitted_dir(student) / "timestamp.txt"  # the name nbgrader reads
        if not path.is_file():
            return
        text = path.read_text(errors="replace").strip()
        if not text:
            return  # nbgrader: an empty timestamp means "not late"
        try:
            parse_utc(text)
        except Exception:  # noqa: BLE001 - dateutil raises several kinds
            raise SubmissionRejected(f"{path}: invalid timestamp {text[:60]!r}") from None

    def _source_dir(self) -> Path:
        return Path(self.coursedir.format_path(self.coursedir.source_directory, ".", self.assignment))

    def _assignment_notebooks(self) -> list[str]:
        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            return [nb.name for nb in gb.find_assignment(self.assignment).notebooks]

    def _sanitize(self, path: str) -> tuple[Any, dict]:
        """Read a submitted notebook and run nbgrader's sanitize chain on it, in memory."""
        size = os.path.getsize(path)
        if size > self.max_notebook_bytes:
            raise _Unusable(f"notebook file too large ({size} bytes)")
        conv = self.conv
        try:
            with open(path, encoding="utf-8") as fh:
                # nbformat.read without its validation pass: the chain validates (and rejects).
                nb = nbformat.convert(nbformat.reader.reads(fh.read()), 4)
            resources = conv.exporter._init_resources(conv.init_single_notebook_resources(path))
            nb, _ = self.sanitize(nb, copy.deepcopy(resources))
        except Exception as exc:  # nbformat/JSON/encoding/metadata errors: the file is broken
            raise _Unusable(f"unreadable notebook: {type(exc).__name__}: {str(exc)[:200]}") from None
        return nb, resources

    def _working_files(self, dest: Path) -> dict[str, bytes]:
        """Files the notebook may read: submitted extras and source data, never notebooks."""
        files: dict[str, bytes] = {}
        for path in sorted(dest.rglob("*")):
            rel = path.relative_to(dest)
            if path.is_file() and path.suffix != ".ipynb" and rel.name != "timestamp.txt":
                files[str(rel)] = path.read_bytes()
        return files

    # -- finalize ----------------------------------------------------------------------------
    def finalize(self, prepared: Prepared, executed: dict[str, dict], written: dict[str, bytes] | None = None) -> None:
        """Judge the hand-overs, put the outputs in, run nbgrader's post-execution chain, write
        each notebook once; zero the notebooks that could not be read.

        ``executed``: per notebook, the worker's ``{"cells", "answers", "status", "detail"}``;
        ``written``: files the notebooks wrote in their working folder, kept as nbgrader keeps them.
        """
        dest = self.autograded_dir(prepared.student)
        # nbgrader's writer makes the folder: a submission of notebooks only has none yet
        dest.mkdir(parents=True, exist_ok=True)
        self._keep_written(dest, written or {})
        jobs = {job.name: job for job in prepared.notebooks}
        for name, result in executed.items():
            nb = jobs[name].nb
            cells = result["cells"]
            review_cells: set[str] = set()
            if self.judge is not None:
                judged = self.judge.judge(name, nb.cells, cells, result.get("answers") or Handovers(),
                                          status=result.get("status", "ok"), detail=result.get("detail", ""))
                prepared.review.extend(judged.review)
                review_cells = judged.review_cells
            for cell, result in zip(nb.cells, cells):
                if cell.cell_type == "code":
                    cell.outputs = [nbformat.from_dict(o) for o in result["outputs"]]
                    cell.execution_count = result["execution_count"]
                    if result.get("timing"):  # what nbclient records (record_timing)
                        start, end = result["timing"]
                        cell.metadata["execution"] = {"iopub.execute_input": start, "iopub.status.busy": start,
                                                      "iopub.status.idle": end, "shell.execute_reply": end}
            # nbclient records the kernel's language_info before the post-execution chain; the
            # children run this interpreter, so it is the one ipykernel would report.
            nb.metadata["language_info"] = copy.deepcopy(_language_info())
            resources = copy.deepcopy(jobs[name].resources)
            resources["workbench_review_cells"] = review_cells  # nbgrader's needs_manual_grade flag
            with setenv(NBGRADER_EXECUTION="autograde"):
                nb, res = self.grade(nb, resources)
            prepared.output_faults.extend(f"{name}/{f}" for f in res.get("workbench_output_faults", []))
            text = nbjson.writes(nb)  # nbformat.writes minus a second validation: the chain's
            (dest / f"{name}.ipynb").write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
            jobs[name].nb = None  # what is written need not stay in memory
        for name in prepared.invalid:
            self._zero_notebook(prepared.student, name)
            (dest / f"{name}.ipynb").unlink(missing_ok=True)
        self.conv.set_permissions(self.assignment, prepared.student)
        self.conv.notebooks = prepared.paths  # another submission may have been prepared since
        self.conv.run_post_convert_hook()

    @staticmethod
    def _keep_written(dest: Path, written: dict[str, bytes]) -> None:
        """Put the files a submission's notebooks wrote into its autograded folder (names come
        from the candidate's folder: only plain relative paths inside it are taken)."""
        for rel, content in written.items():
            parts = Path(rel).parts
            if not parts or Path(rel).is_absolute() or ".." in parts or rel.endswith(".ipynb"):
                continue
            path = dest.joinpath(*parts)
            if path.is_symlink():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists():
                path.chmod(0o644)  # a read-only source file the notebook rewrote
            path.write_bytes(content)

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
