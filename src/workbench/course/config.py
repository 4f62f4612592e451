"""The course's ``nbgrader_config.py``: written once at set-up, read by every step.

The file is plain nbgrader configuration, so ``nbgrader`` commands and the lab
extensions run in the course folder work unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import InputError
from workbench_candidate.lang import LANGS

CONFIG_NAME = "nbgrader_config.py"
# nbgrader puts the course id in exchange paths and gradebook rows.
COURSE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

TEMPLATE = '''\
# nbgrader configuration of course {course_id!r}, written by `workbench course create`.
c = get_config()  # noqa: F821

c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = {db_url!r}
c.Exchange.root = {exchange!r}
c.Exchange.timezone = "UTC"

# The course's language ({lang}): self-check messages, verdicts and feedback are written in it
# (the released data/scenario.yml says it to the candidate's kernel).
c.ClearHiddenTracebacks.lang = {lang!r}

# Feedback must not reveal the hidden tests of the exam: neither in the test cells'
# source nor in the tracebacks of failed tests (which quote the lines around the failure).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "workbench.course.feedback.ClearHiddenTracebacks",
    "nbgrader.preprocessors.ClearHiddenTests",
]
# Only candidates imported from the candidate list are graded.
c.Autograde.create_student = False
# Simulated candidates share one OS account; the exchange names them by id, not owner.
c.ExchangeCollect.check_owner = False
'''


@dataclass(frozen=True)
class CourseInfo:
    """Where a course lives, as read back from its ``nbgrader_config.py``."""

    root: Path
    course_id: str
    exchange: Path
    db_url: str
    lang: str = "en"

    @property
    def inbound(self) -> Path:
        """The exchange folder candidates submit into."""
        return self.exchange / self.course_id / "inbound"

    @property
    def outbound(self) -> Path:
        """The exchange folder released assignments are fetched from."""
        return self.exchange / self.course_id / "outbound"


def check_course_id(course_id: str) -> None:
    """Refuse a course id nbgrader's exchange paths cannot hold."""
    if not COURSE_ID.match(course_id or ""):
        raise InputError(
            f"invalid course id {course_id!r}: use letters, digits, '.', '_' or '-' "
            "(starting with a letter or digit, at most 64)"
        )


def check_lang(lang: str) -> None:
    """Refuse a course language other than ``fr`` or ``en``."""
    if lang not in LANGS:
        raise InputError(f"unknown course language {lang!r}: use one of {', '.join(LANGS)}")


def write_config(*, root: Path, course_id: str, exchange: Path, db_url: str, lang: str = "en") -> Path:
    """Write ``root/nbgrader_config.py`` and return its path."""
    path = root / CONFIG_NAME
    path.write_text(
        TEMPLATE.format(root=str(root), course_id=course_id, exchange=str(exchange), db_url=db_url, lang=lang),
        encoding="utf-8",
    )
    return path


def load_nbgrader_config(course_dir: Path):
    """Return the traitlets ``Config`` of a course folder (its ``nbgrader_config.py``)."""
    from traitlets.config.loader import PyFileConfigLoader

    course_dir = Path(course_dir).resolve()
    if not (course_dir / CONFIG_NAME).is_file():
        raise InputError(
            f"not a course folder (no {CONFIG_NAME}); create it with `workbench course create`",
            where=str(course_dir),
        )
    return PyFileConfigLoader(CONFIG_NAME, path=str(course_dir)).load_config()


def read_course(course_dir: Path | str, *, course_id: str | None = None) -> CourseInfo:
    """Read a course folder's settings; check ``course_id`` against it when given.

    Raises
    ------
    InputError
        When the folder is not a course, or ``course_id`` names another course.
    """
    course_dir = Path(course_dir).resolve()
    cfg = load_nbgrader_config(course_dir)
    info = CourseInfo(
        root=Path(cfg.CourseDirectory.root),
        course_id=str(cfg.CourseDirectory.course_id),
        exchange=Path(cfg.Exchange.root),
        db_url=str(cfg.CourseDirectory.db_url),
        lang=str(cfg.ClearHiddenTracebacks.get("lang", "en")),
    )
    if course_id is not None and course_id != info.course_id:
        raise InputError(
            f"wrong course id {course_id!r}: this folder is course {info.course_id!r}",
            where=str(course_dir),
        )
    return info
