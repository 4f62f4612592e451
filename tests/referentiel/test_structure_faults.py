"""Every structural rule of the référentiel and the rubrics, each on a file that breaks it alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workbench.errors import ConfigError
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.referentiel.load import validate_referentiel
from workbench.referentiel.rubrics import _check

GRADING = Path(__file__).parents[2] / "grading"
REF = load_referentiel()


def variant(tmp_path: Path, name: str, mutate) -> Path:
    data = yaml.safe_load((GRADING / name).read_text("utf-8"))
    mutate(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def faults_of(tmp_path, mutate) -> str:
    with pytest.raises(ConfigError) as err:
        load_referentiel(variant(tmp_path, "referentiel.yml", mutate))
    assert "referentiel.yml" in str(err.value)
    return str(err.value)


def test_the_real_referentiel_has_no_fault():
    assert validate_referentiel(REF, where="x") is REF


def test_block_without_competences(tmp_path):
    def empty(d):
        d["blocks"][3]["competences"] = []

    message = faults_of(tmp_path, empty)
    assert "block B4 has no competences" in message
    assert "duplicate" not in message and "filed under" not in message


def test_competence_filed_under_another_block(tmp_path):
    def misfiled(d):
        comp = d["blocks"][0]["competences"][2]
        comp["id"] = "B2.9"
        for k, crit in zip("ab", comp["criteria"]):
            crit["id"] = f"B2.9.{k}"  # its criteria follow it: only the competence is misfiled

    message = faults_of(tmp_path, misfiled)
    assert "competence B2.9 is filed under block B1" in message
    assert "criterion" not in message


def test_criterion_of_a_similar_prefix_is_misfiled(tmp_path):
    # "B1.10.a" starts with "B1.1" but not with "B1.1." : the dot belongs to the rule
    def similar(d):
        d["blocks"][0]["competences"][0]["criteria"][0]["id"] = "B1.10.a"

    assert "criterion B1.10.a is filed under competence B1.1" in faults_of(tmp_path, similar)


def test_competence_of_a_similar_prefix_is_misfiled(tmp_path):
    def similar(d):
        comp = d["blocks"][0]["competences"][0]
        comp["id"] = "B10.1"
        for k, crit in zip("ab", comp["criteria"]):
            crit["id"] = f"B10.1.{k}"

    assert "competence B10.1 is filed under block B1" in faults_of(tmp_path, similar)


@pytest.mark.parametrize("where, bad", [
    (("blocks", 0, "id"), "Block1"),
    (("blocks", 0, "competences", 0, "id"), "B1.1.x"),
    (("blocks", 0, "competences", 0, "criteria", 0, "id"), "B1.1.A"),
    (("blocks", 0, "competences", 0, "criteria", 0, "id"), "B1.1"),
    (("blocks", 0, "competences", 0, "criteria", 0, "id"), "xB1.1.a"),
    (("blocks", 0, "competences", 0, "criteria", 0, "id"), "B1.1.ab"),
])
def test_malformed_ids_are_refused(tmp_path, where, bad):
    def malformed(d):
        node = d
        for key in where[:-1]:
            node = node[key]
        node[where[-1]] = bad

    assert "id" in faults_of(tmp_path, malformed)


def test_every_fault_is_listed_at_once(tmp_path):
    def many(d):
        d["blocks"][1]["evaluation_mode"] = "nowhere"
        d["blocks"][2]["competences"][0]["criteria"] = []
        d["blocks"][0]["competences"][1]["criteria"][0]["id"] = "B1.1.a"

    message = faults_of(tmp_path, many)
    for part in ("duplicate id 'B1.1.a'", "block B2 names unknown evaluation_mode 'nowhere'",
                 "competence B3.1 has no criteria", "criterion B1.1.a is filed under competence B1.2"):
        assert part in message
    assert message.endswith("duplicate id 'B1.1.a'; criterion B1.1.a is filed under competence B1.2; "
                            "block B2 names unknown evaluation_mode 'nowhere'; competence B3.1 has no criteria")


@pytest.mark.parametrize("mutate, dup", [
    (lambda d: d["blocks"][2].update(id="B2"), "B2"),  # a block twice (its competences then misfiled)
    (lambda d: d["blocks"][0]["competences"][1].update(id="B1.1"), "B1.1"),
])
def test_a_block_or_competence_id_given_twice(tmp_path, mutate, dup):
    assert f"duplicate id {dup!r}" in faults_of(tmp_path, mutate)


def test_lookups_name_the_unknown_id():
    assert REF.block("B3").id == "B3"
    assert REF.criterion("B2.1.b").id == "B2.1.b"
    assert REF.competence_of("B1.3.b").id == "B1.3"
    assert [c.id for c in REF.competences("B1")] == ["B1.1", "B1.2", "B1.3"]
    assert len(REF.competences()) == sum(len(b.competences) for b in REF.blocks)
    assert REF.criterion_ids("B1") == ["B1.1.a", "B1.1.b", "B1.2.a", "B1.2.b", "B1.3.a", "B1.3.b"]
    assert REF.criterion_ids()[:6] == REF.criterion_ids("B1") and len(REF.criterion_ids()) > 6
    for call, arg in ((REF.block, "B9"), (REF.criterion, "B1.9.z"), (REF.competence_of, "B1.9.z")):
        with pytest.raises(KeyError, match=repr(arg)):
            call(arg)
    assert REF.block("B1").title.get("fr") != REF.block("B1").title.get("en")
    assert REF.block("B1").title.get("en") == "Prepare a digital-marketing campaign (data analysis)"


# --- rubrics ------------------------------------------------------------------------------------

def rubric_faults(tmp_path, mutate) -> str:
    with pytest.raises(ConfigError) as err:
        load_rubrics(variant(tmp_path, "rubrics.yml", mutate))
    assert "rubrics.yml" in str(err.value)
    return str(err.value)


@pytest.mark.parametrize("mutate, fault", [
    (lambda d: d["levels"].reverse(), "level values must be unique and increasing"),
    (lambda d: d["levels"][1].update(value=0), "level values must be unique and increasing"),
    (lambda d: d["levels"][1].update(id="insufficient"), "level ids must be unique"),
    (lambda d: d.update(default_threshold_level="good"), "default_threshold_level 'good' is not a level id"),
    (lambda d: d["descriptors"].update({"B1.9.z": d["descriptors"]["B1.1.a"]}), "descriptors name unknown criterion 'B1.9.z'"),
    (lambda d: [d["descriptors"]["B1.2.a"].pop(k) for k in ("partial", "excellent")],
     "B1.2.a: no descriptor for level(s) partial, excellent"),
    (lambda d: d["descriptors"]["B1.2.a"].update(great={"fr": "x", "en": "x"}, poor={"fr": "y", "en": "y"}),
     "B1.2.a: descriptor for unknown level(s) great, poor"),
    (lambda d: d["descriptors"].pop("B1.3.b"), "block-1 criterion B1.3.b has no descriptors"),
])
def test_rubric_faults_are_named(tmp_path, mutate, fault):
    message = rubric_faults(tmp_path, mutate)
    assert fault in message.split("rubrics.yml: ", 1)[1].split("; ")  # one whole fault of the list


def test_real_rubrics_pass_and_levels_resolve_every_spelling():
    rubrics = load_rubrics()
    assert _check(rubrics, REF, "x") is rubrics
    assert rubrics.max_points == 3 and rubrics.threshold_score() == pytest.approx(2 / 3)
    for key in ("excellent", "Excellent", "EXCELLENT", " 3 ", 3):
        assert rubrics.level(key).id == "excellent"
    assert rubrics.level("Insuffisant").value == 0
    with pytest.raises(KeyError, match=r"unknown rubric level 'x' \(known: 0=insufficient, 1=partial"):
        rubrics.level("x")


def test_every_rubric_fault_at_once_in_order(tmp_path):
    def two(d):
        d["levels"][0]["value"], d["levels"][1]["value"] = 1, 0
        d["default_threshold_level"] = "good"

    assert rubric_faults(tmp_path, two).endswith(
        "rubrics.yml: level values must be unique and increasing; default_threshold_level 'good' is not a level id")
