"""Run nbgrader's own apps (converters and exchange) in-process, quietly.

Starting ``nbgrader`` as a process costs ~3 s of imports; a cohort of 30
candidates fetching and submitting would spend minutes on that alone. The
classes below are the very ones ``nbgrader fetch_assignment/submit/collect``
run, configured the same way, so the exchange sees exactly what it would see
from the command line.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError


def ensure_tools_on_path() -> None:
    """Put this interpreter's ``bin/`` on PATH: nbgrader's Gradebook runs the ``alembic`` script.

    Run as ``.venv/bin/workbench`` without an activated venv, PATH lacks it and
    opening any gradebook fails with "No such file or directory: 'alembic'".
    """
    bindir = os.path.dirname(sys.executable)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def gradebook(db_url: str, course_id: str):
    """Open nbgrader's Gradebook (a context manager) once its tools are reachable."""
    from nbgrader.api import Gradebook

    ensure_tools_on_path()
    return Gradebook(db_url, course_id)


def _logger(name: str) -> tuple[logging.Logger, io.StringIO]:
    """A private logger writing to a buffer: nothing reaches the terminal's stderr."""
    buf = io.StringIO()
    log = logging.getLogger(f"workbench.course.nbgrader.{name}")
    log.handlers[:] = [logging.StreamHandler(buf)]
    log.handlers[0].setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    log.setLevel(logging.INFO)
    log.propagate = False
    return log, buf


def _failure_text(log_text: str, exc: BaseException) -> str:
    """The nbgrader error lines, without the traceback."""
    lines = [ln for ln in log_text.splitlines() if ln.startswith(("[ERROR]", "[CRITICAL]"))]
    return "; ".join(ln.split("] ", 1)[1] for ln in lines) or str(exc) or type(exc).__name__


def make_config(overrides: dict[str, dict[str, Any]], base=None):
    """Return a traitlets Config: ``base`` updated with ``{Section: {trait: value}}``."""
    from traitlets.config import Config

    cfg = Config()
    if base is not None:
        cfg.merge(base)
    for section, values in overrides.items():
        for key, value in values.items():
            cfg[section][key] = value
    return cfg


def run_app(kind: str, cfg, *, what: str, **attrs: Any) -> str:
    """Run one nbgrader app with configuration ``cfg``; return its log.

    Parameters
    ----------
    kind : str
        ``generate_assignment``, ``release_assignment``, ``fetch_assignment``,
        ``submit``, ``collect``, ``list``, ``generate_feedback``, ``release_feedback`` or
        ``fetch_feedback``.
    cfg : traitlets.config.Config
        The configuration the equivalent command would load.
    what : str
        Named in the error message ("releasing ps1", ...).
    **attrs
        Attributes set on the app before it starts (``force``, ``update``, ...).

    Raises
    ------
    WorkbenchError
        With nbgrader's own error lines when the app fails.
    """
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory

    ensure_tools_on_path()
    log, buf = _logger(kind)
    coursedir = CourseDirectory(config=cfg, log=log)
    if kind == "generate_assignment":
        from nbgrader.converters import GenerateAssignment

        app = GenerateAssignment(coursedir=coursedir, config=cfg, log=log)
    elif kind == "generate_feedback":
        from nbgrader.converters import GenerateFeedback

        app = GenerateFeedback(coursedir=coursedir, config=cfg, log=log)
    else:
        factory = ExchangeFactory(config=cfg, log=log)
        cls = {
            "release_assignment": factory.ReleaseAssignment,
            "fetch_assignment": factory.FetchAssignment,
            "submit": factory.Submit,
            "collect": factory.Collect,
            "list": factory.List,
            "release_feedback": factory.ReleaseFeedback,
            "fetch_feedback": factory.FetchFeedback,
        }[kind]
        auth = Authenticator(config=cfg, log=log)
        app = cls(coursedir=coursedir, authenticator=auth, config=cfg, log=log)
    for key, value in attrs.items():
        setattr(app, key, value)
    try:
        app.start()
    except Exception as exc:  # nbgrader raises ExchangeError / NbGraderException / RuntimeError
        raise WorkbenchError(f"{what} failed: {_failure_text(buf.getvalue(), exc)}") from None
    return buf.getvalue()


def course_config(course_dir: Path, **overrides: dict[str, Any]):
    """The course's own config, with per-call overrides (e.g. ``CourseDirectory``)."""
    from workbench.course.config import load_nbgrader_config

    return make_config(overrides, base=load_nbgrader_config(course_dir))
