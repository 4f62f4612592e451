from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workbench.errors import ConfigError
from workbench.referentiel import load_referentiel, load_rubrics

OFFICIAL_B1 = {
    "B1.1.a": "Pertinence du choix des catégories",
    "B1.1.b": "Qualité des justifications au regard de la stratégie",
    "B1.2.a": "Cohérence de la segmentation du marché",
    "B1.2.b": "Précision dans la qualification des cibles",
    "B1.3.a": "Clarté de la présentation visuelle",
    "B1.3.b": "Adéquation aux résultats",
}


def test_five_blocks_and_block1_in_official_wording():
    ref = load_referentiel()
    assert [b.id for b in ref.blocks] == ["B1", "B2", "B3", "B4", "B5"]
    assert [c.id for c in ref.competences("B1")] == ["B1.1", "B1.2", "B1.3"]
    assert {k.id: k.label.fr for k in ref.criteria("B1")} == OFFICIAL_B1
    assert ref.block("B1").title.fr == "Préparer une campagne de marketing digital (analyse de données)"
    # every block has an evaluation mode, and only block 1 is graded by the workbench
    graded = {b.id: ref.evaluation_modes[b.evaluation_mode].graded_by for b in ref.blocks}
    assert graded == {"B1": "workbench", "B2": "jury", "B3": "jury", "B4": "jury", "B5": "jury"}
    assert all(c.criteria for c in ref.competences())


def _write_variant(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load((Path(__file__).parents[2] / "grading" / "referentiel.yml").read_text("utf-8"))
    mutate(data)
    path = tmp_path / "referentiel.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_duplicate_id_is_named(tmp_path):
    def dup(d):
        d["blocks"][0]["competences"][1]["criteria"][0]["id"] = "B1.2.b"

    with pytest.raises(ConfigError, match=r"duplicate id 'B1.2.b'") as err:
        load_referentiel(_write_variant(tmp_path, dup))
    assert "referentiel.yml" in str(err.value)


def test_dangling_evaluation_mode_is_named(tmp_path):
    def dangling(d):
        d["blocks"][2]["evaluation_mode"] = "oral_only"

    with pytest.raises(ConfigError, match=r"block B3 names unknown evaluation_mode 'oral_only'"):
        load_referentiel(_write_variant(tmp_path, dangling))


def test_competence_without_criteria_is_refused(tmp_path):
    def empty(d):
        d["blocks"][0]["competences"][2]["criteria"] = []

    with pytest.raises(ConfigError, match=r"competence B1.3 has no criteria"):
        load_referentiel(_write_variant(tmp_path, empty))


def test_misfiled_criterion_is_refused(tmp_path):
    def misfiled(d):
        d["blocks"][0]["competences"][0]["criteria"][0]["id"] = "B1.2.z"

    with pytest.raises(ConfigError, match=r"criterion B1.2.z is filed under competence B1.1"):
        load_referentiel(_write_variant(tmp_path, misfiled))


def test_malformed_yaml_names_the_line(tmp_path):
    path = tmp_path / "referentiel.yml"
    path.write_text("blocks: [\n  - id: B1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"referentiel.yml:\d+: invalid YAML"):
        load_referentiel(path)


def test_rubric_levels():
    rubrics = load_rubrics()
    assert [lv.id for lv in rubrics.levels] == ["insufficient", "partial", "satisfactory", "excellent"]
    assert rubrics.max_points == 3
    assert rubrics.threshold_score() == pytest.approx(2 / 3)
    assert rubrics.level("Satisfaisant").value == 2
    assert rubrics.level("1").id == "partial"
    with pytest.raises(KeyError, match="unknown rubric level"):
        rubrics.level("great")
