"""Checks made before a batch touches anything: is this a course, is its gradebook there and
readable, is the sandbox installed. Light imports (no nbgrader), so they run before the
workers warm up; each fault is one line naming the file, and no file is created."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from workbench.errors import ConfigError, InputError, StorageError

CONFIG_NAME = "nbgrader_config.py"


def load_config(course_dir: Path, db_url: str | None) -> Config:
    """Read ``nbgrader_config.py`` from the course folder, as ``nbgrader`` run there would."""
    config = Config()
    path = course_dir / CONFIG_NAME
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


def gradebook_url(config: Config) -> str:
    """The gradebook URL nbgrader's ``CourseDirectory`` would use."""
    return config.CourseDirectory.get("db_url") or f"sqlite:///{Path(config.CourseDirectory.root) / 'gradebook.db'}"


def check_gradebook_file(path: Path) -> None:
    """A SQLite gradebook must exist (nbgrader would create an empty one) and be sound.

    ``PRAGMA quick_check`` reads every page (about 0.2 s for 40 MB): a page corrupted inside
    a table is found here, before the batch writes anything, rather than midway through it.
    """
    if not path.is_file():
        raise InputError("gradebook not found (create the course with `workbench course create`)",
                         where=str(path))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = [row[0] for row in con.execute("PRAGMA quick_check(1)")]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:  # e.g. "file is not a database", "... malformed"
        fault = str(exc)
    else:
        if found == ["ok"]:
            return
        # The check lists problems ("Tree 5 page 9 cell 0: ..."): name the first, in one line.
        fault = f"database disk image is malformed: {' '.join(found[0].split())}"
    raise StorageError(f"gradebook unreadable ({fault}): restore it from a backup", where=str(path))


def check_course(course_dir: Path, db_url: str | None = None) -> str:
    """Refuse a folder that is not a course, or whose gradebook is missing or unreadable,
    creating no file; return the gradebook URL."""
    if not course_dir.is_dir():
        raise InputError("course folder not found", where=str(course_dir))
    if not (course_dir / CONFIG_NAME).is_file():
        raise InputError(f"not a course folder (no {CONFIG_NAME}); create one with "
                         "`workbench course create`", where=str(course_dir))
    url = gradebook_url(load_config(course_dir, db_url))
    if url.startswith("sqlite:///"):
        check_gradebook_file(Path(url[len("sqlite:///"):]))
    return url
