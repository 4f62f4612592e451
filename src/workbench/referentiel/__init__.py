"""The référentiel (blocks, competences, criteria) and the rubric rules, loaded from ``grading/``."""

from workbench.referentiel.model import Block, Competence, Criterion, Referentiel
from workbench.referentiel.load import load_referentiel
from workbench.referentiel.rubrics import RubricLevel, Rubrics, load_rubrics

__all__ = [
    "Block",
    "Competence",
    "Criterion",
    "Referentiel",
    "RubricLevel",
    "Rubrics",
    "load_referentiel",
    "load_rubrics",
]
