"""Course instances: set-up, candidate list, release, simulated candidates, collect.

Everything here drives nbgrader's own configuration and exchange, so a course
made by :func:`create_course` also works with plain ``nbgrader`` commands and
the JupyterLab extensions (assignment list, formgrader).
"""

from workbench.course.candidates import Candidate, import_candidates, list_candidates, read_candidates
from workbench.course.collect import CollectReport, collect
from workbench.course.config import CourseInfo, read_course
from workbench.course.create import CourseCreated, create_course
from workbench.course.exchange import Submission, candidate_home, fetch_as, release, submit_as

__all__ = [
    "Candidate",
    "CollectReport",
    "CourseCreated",
    "CourseInfo",
    "Submission",
    "candidate_home",
    "collect",
    "create_course",
    "fetch_as",
    "import_candidates",
    "list_candidates",
    "read_candidates",
    "read_course",
    "release",
    "submit_as",
]
