"""Run one course twice, with ``nbgrader autograde`` and ``workbench autograde``, and compare.

A scenario builds one course (``Course``: upstream's ``db assignment add``, ``db student add``,
``generate_assignment``, submitted files), then :func:`twins` copies it into two identical
folders. :class:`Twins` runs each autograde command on its own copy, keeps both exit statuses,
and :meth:`Twins.differences` lists every difference between the two results:

* the exit status class (``ok`` / ``failed``; the workbench never ends in a traceback);
* the gradebook, read through ``nbgrader.api.Gradebook``: students, submissions (timestamp,
  extension, seconds late), per notebook the late penalty, per cell the scores, the review flag
  and the comments;
* the ``autograded/`` tree: paths, modes, contents of every file that is not a notebook;
* each autograded notebook: metadata, cells, sources, cell metadata (timing values left out,
  their keys kept), outputs (tracebacks compared by ``ename``/``evalue``).

nbgrader runs in this process (its apps are traitlets singletons, reset after each run, as its
own test suite does), from the course folder, like ``nbgrader`` typed there. The workbench runs
through its console entry point ``workbench.cli.main``.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import logging
import os
import shutil
import stat
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import nbformat
from nbformat.v4 import new_notebook

FILES = Path(__file__).parent / "files"
DUEDATE = "2015-02-02 14:58:23.948203 America/Los_Angeles"  # upstream's due date for ps1


@contextlib.contextmanager
def _own_modules(root: Path) -> Iterator[None]:
    """Forget the course's own modules (a late-penalty plugin, hooks) after a run: both tools
    run in this process, and each must import its own copy's."""
    try:
        yield
    finally:
        for name, module in list(sys.modules.items()):
            if str(getattr(module, "__file__", None) or "").startswith(str(root)):
                del sys.modules[name]


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_nbgrader(root: Path, args: list[str]) -> int:
    """``nbgrader ARGS`` typed in ``root``; its exit code (upstream's own in-process way)."""
    from jupyter_core.application import NoStart
    from nbgrader.apps.nbgraderapp import NbGraderApp

    saved_env, saved_path = os.environ.copy(), list(sys.path)
    log = io.StringIO()
    with _cwd(root), _own_modules(root):
        app = NbGraderApp.instance()
        try:
            app.initialize(args)
            app.init_logging(logging.StreamHandler, [log], color=False, subapps=True)
            app.start()
            code = 0
        except NoStart:
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            app.reset()
            os.environ.clear()
            os.environ.update(saved_env)
            sys.path[:] = saved_path
    return code


def run_workbench(root: Path, args: list[str]) -> tuple[int, str]:
    """``workbench autograde ARGS --course-dir ROOT --workers 1``: (exit code, traceback or "")."""
    from workbench.cli import main

    argv = ["autograde", *args, "--course-dir", str(root), "--workers", "1"]
    if not shutil.which("bwrap"):
        argv.append("--no-sandbox")  # same grading, without isolation (make test notes it)
    saved_path = list(sys.path)
    with _cwd(root.parent), _own_modules(root):  # never the course folder as cwd: it must not matter
        try:
            return int(main(argv) or 0), ""
        except SystemExit as exc:
            return (exc.code if isinstance(exc.code, int) else 1), ""
        except Exception:  # noqa: BLE001 - a traceback is itself a difference to report
            return 1, traceback.format_exc()
        finally:
            sys.path[:] = saved_path


@dataclass
class Course:
    """An nbgrader course folder under construction (upstream's ``course_dir`` + ``temp_cwd``:
    here the config sits in the course root, and the gradebook is ``<root>/gradebook.db``)."""

    root: Path

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        cfg = self.root / "nbgrader_config.py"
        if not cfg.exists():
            cfg.write_text("c = get_config()\n"
                           f"c.CourseDirectory.root = {str(self.root)!r}\n"
                           f"c.CourseDirectory.db_url = {self.db_url!r}\n")

    @property
    def db_url(self) -> str:
        """The course's gradebook, as its ``nbgrader_config.py`` says (the suite's: ``gradebook.db``)."""
        from workbench.autograde.preflight import gradebook_url, load_config

        cfg = self.root / "nbgrader_config.py"
        if not cfg.exists():
            return f"sqlite:///{self.root / 'gradebook.db'}"
        return gradebook_url(load_config(self.root, None))

    def config(self, line: str) -> None:
        with open(self.root / "nbgrader_config.py", "a") as fh:
            fh.write(line + "\n")

    def copy(self, fixture: str, rel: str) -> None:
        """Put upstream fixture ``files/<fixture>`` (or a course file) at ``rel``."""
        src = FILES / fixture if (FILES / fixture).exists() else self.root / fixture
        dest = self.root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dest)

    def make(self, rel: str, contents: str = "") -> None:
        dest = self.root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.unlink(missing_ok=True)
        dest.write_text(contents)

    def empty_notebook(self, rel: str, kernel: str | None = None) -> None:
        nb = new_notebook()
        if kernel is not None:
            nb.metadata.kernelspec = {"display_name": "kernel", "language": kernel, "name": kernel}
        dest = self.root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.unlink(missing_ok=True)
        nbformat.write(nb, str(dest))

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def nbgrader(self, *args: str) -> int:
        return run_nbgrader(self.root, list(args))

    def setup(self, students: list[str], *, assignment: str = "ps1", duedate: str | None = DUEDATE) -> None:
        """Upstream's preamble: ``db assignment add``, ``db student add`` for each student."""
        add = ["db", "assignment", "add", assignment] + (["--duedate", duedate] if duedate else [])
        assert self.nbgrader(*add) == 0
        for student in students:
            assert self.nbgrader("db", "student", "add", student) == 0

    def generate(self, assignment: str = "ps1") -> None:
        assert self.nbgrader("generate_assignment", assignment) == 0

    def path(self, rel: str) -> Path:
        return self.root / rel

    def isfile(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def exists(self, rel: str) -> bool:
        return (self.root / rel).exists()

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text()

    def mode(self, rel: str) -> str:
        """Upstream's ``_get_permissions``: 3 octal digits, 4 when setgid is set."""
        st_mode = os.stat(self.root / rel).st_mode
        return oct(st_mode)[-4:] if st_mode & 0o2000 else oct(st_mode)[-3:]

    def gradebook(self) -> Any:
        from nbgrader.api import Gradebook

        return Gradebook(self.db_url)


def _copy_course(src: Path, dest: Path) -> Course:
    shutil.copytree(src, dest, symlinks=True)
    cfg = dest / "nbgrader_config.py"
    cfg.write_text(cfg.read_text().replace(str(src), str(dest)))
    return Course(dest)


@dataclass
class Twins:
    """Two identical copies of a course: ``nb`` graded by nbgrader, ``wb`` by the workbench."""

    nb: Course
    wb: Course
    codes: list[tuple[int, int]] = field(default_factory=list)

    @property
    def both(self) -> tuple[Course, Course]:
        return self.nb, self.wb

    def each(self, action: Callable[[Course], Any]) -> None:
        """Do the same thing (e.g. change a submission) to both copies."""
        for course in self.both:
            action(course)

    def autograde(self, assignment: str = "ps1", *flags: str, config: tuple[str, ...] = ()) -> tuple[int, int]:
        """Run both tools; ``flags`` are common (``--force``, ``--student X``, ``--notebook``);
        ``config`` are nbgrader ``--Class.trait=value`` settings, given on nbgrader's command
        line and, for the workbench, in ``nbgrader_config.py`` for the length of that run."""
        nb_code = self.nb.nbgrader("autograde", assignment, *flags, *config)
        cfg = self.wb.root / "nbgrader_config.py"
        saved = cfg.read_text()
        if config:
            cfg.write_text(saved + "".join(f"c.{c.lstrip('-')}\n" for c in _as_python(config)))
        try:
            wb_code, crash = run_workbench(self.wb.root, [assignment, *flags])
        finally:
            cfg.write_text(saved)
        assert not crash, f"workbench autograde crashed (a traceback is never an answer):\n{crash}"
        self.codes.append((nb_code, wb_code))
        return nb_code, wb_code

    def differences(self, *, ignore: Callable[[str], bool] = lambda what: False) -> list[str]:
        """Every difference between the two copies' results, one line each; ``ignore`` drops
        the lines a scenario documents as a deliberate difference (it asserts them itself)."""
        found = []
        if self.codes:
            nb_code, wb_code = self.codes[-1]
            if (nb_code == 0) != (wb_code == 0):
                found.append(f"exit status: nbgrader {nb_code}, workbench {wb_code}")
        found += _diff("gradebook", gradebook_rows(self.nb), gradebook_rows(self.wb))
        found += _diff("autograded", autograded_tree(self.nb), autograded_tree(self.wb))
        return [line for line in found if not ignore(line)]


def twins(course: Course, tmp: Path) -> Twins:
    return Twins(_copy_course(course.root, tmp / "nbgrader"), _copy_course(course.root, tmp / "workbench"))


def _as_python(config: tuple[str, ...]) -> list[str]:
    """``--A.b=v`` on nbgrader's command line → ``A.b = <python literal>`` in a config file."""
    lines = []
    for item in config:
        key, _, value = item.lstrip("-").partition("=")
        try:
            literal = repr(ast.literal_eval(value))
        except (ValueError, SyntaxError):
            literal = repr(value)  # a bare word: traitlets reads it as a string
        lines.append(f"{key} = {literal}")
    return lines


# -- what is compared ------------------------------------------------------------------------
def gradebook_rows(course: Course) -> dict[str, Any]:
    """The gradebook as graders see it, keyed by stable names (never by row ids)."""
    rows: dict[str, Any] = {}
    with course.gradebook() as gb:
        rows["students"] = sorted((s.id, s.first_name, s.last_name, s.email, s.lms_user_id) for s in gb.students)
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                key = f"{assignment.name}/{sub.student.id}"
                rows[key] = {"timestamp": str(sub.timestamp), "extension": str(sub.extension),
                             "seconds_late": sub.total_seconds_late, "score": sub.score,
                             "needs_manual_grade": sub.needs_manual_grade}
                for nb in sub.notebooks:
                    rows[f"{key}/{nb.name}"] = {"late_penalty": nb.late_submission_penalty, "score": nb.score,
                                                "needs_manual_grade": nb.needs_manual_grade}
                    for g in nb.grades:
                        rows[f"{key}/{nb.name}/grade/{g.name}"] = (g.auto_score, g.manual_score, g.extra_credit,
                                                                   g.needs_manual_grade)
                    for c in nb.comments:
                        rows[f"{key}/{nb.name}/comment/{c.name}"] = (c.auto_comment, c.manual_comment)
    return rows


def autograded_tree(course: Course) -> dict[str, Any]:
    """Every path under ``autograded/``: its kind and mode, and what it holds."""
    base = course.root / "autograded"
    tree: dict[str, Any] = {}
    if not base.exists():
        return tree
    for path in sorted(base.rglob("*")):
        rel = str(path.relative_to(base))
        mode = oct(stat.S_IMODE(path.lstat().st_mode))
        if path.is_dir():
            tree[rel] = ("dir", mode)
        elif path.suffix == ".ipynb":
            tree[rel] = ("notebook", mode)
            view = notebook_view(path)
            if isinstance(view, str):
                tree[f"{rel}#unreadable"] = view
                continue
            tree[f"{rel}#metadata"] = (view["metadata"], view["nbformat"])
            for i, cell in enumerate(view["cells"]):
                tree[f"{rel}#cell{i}"] = cell
        else:
            tree[rel] = ("file", mode, path.read_bytes())
    return tree


def notebook_view(path: Path) -> Any:
    """A notebook as compared: everything but timing values and traceback text."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return f"unreadable: {exc}"
    cells = []
    for cell in nb.get("cells", []):
        meta = dict(cell.get("metadata", {}))
        if "execution" in meta:  # when the cell ran differs, which timings were kept must not
            meta["execution"] = sorted(meta["execution"])
        outputs = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                outputs.append({"output_type": "error", "ename": out.get("ename"), "evalue": out.get("evalue")})
            else:
                outputs.append(out)
        cells.append({"cell_type": cell.get("cell_type"), "id": cell.get("id"), "source": cell.get("source"),
                      "metadata": meta, "outputs": outputs, "execution_count": cell.get("execution_count")})
    return {"metadata": nb.get("metadata"), "nbformat": (nb.get("nbformat"), nb.get("nbformat_minor")),
            "cells": cells}


def _diff(where: str, nbg: dict[str, Any], wbg: dict[str, Any]) -> list[str]:
    lines = []
    for key in sorted(set(nbg) | set(wbg)):
        if key not in wbg:
            lines.append(f"{where}: {key}: only with nbgrader")
        elif key not in nbg:
            lines.append(f"{where}: {key}: only with the workbench")
        elif nbg[key] != wbg[key]:
            lines.append(f"{where}: {key}: nbgrader {_short(nbg[key])} != workbench {_short(wbg[key])}")
    return lines


def _short(value: Any, limit: int = 600) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"
