"""A small decided cohort in a real nbgrader gradebook, its audit store, and a jury file."""

from __future__ import annotations

import shutil

import pytest

from tests.scores.factory import MAP_PATH, build_gradebook, full_marks, with_levels
from workbench.cli import main
from workbench.referentiel import load_referentiel

REF = load_referentiel()

PANEL = """session: 2026-06
date: 2026-06-30
place: Lyon, 12 rue de la République
members:
  - {name: Hélène Dupré, role: president, external: true, organisation: Agence Horizon}
  - {name: Marc Petit, role: member, external: false, organisation: Organisme de formation}
  - {name: Inès Bernard, role: member, external: true, organisation: Entreprise Sud}
  - {name: Paul Martin, role: member, external: false, organisation: Certificateur}
"""


def jury_csv(path, level_ana: str = "excellent") -> None:
    rows = ["candidate;criterion;level;comment"]
    rows += [f"ana;{k};{level_ana};" for b in ("B2", "B3", "B4", "B5") for k in REF.criterion_ids(b)]
    rows += [f"ben;{k};satisfaisant;" for k in REF.criterion_ids("B2")]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def validate(root) -> None:
    assert main(["validate", "-g", str(root / "gradebook.db"), "--map", str(MAP_PATH),
                 "--jury", str(root / "jury.csv")]) == 0


@pytest.fixture(scope="session")
def decided_template(tmp_path_factory):
    """Built once: ana (full title), ben (B1 failed, B2 validated), dev (no submission); decisions recorded."""
    root = tmp_path_factory.mktemp("decided")
    build_gradebook(root / "gradebook.db", {"ana": full_marks(), "ben": with_levels(1), "dev": None})
    jury_csv(root / "jury.csv")
    validate(root)
    (root / "panel.yml").write_text(PANEL, encoding="utf-8")
    return root


@pytest.fixture
def decided(decided_template, tmp_path):
    """A private copy per test: tests change the audit store."""
    root = tmp_path / "course"
    shutil.copytree(decided_template, root)
    return root
