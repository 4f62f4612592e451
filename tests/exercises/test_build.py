"""The generator: notebooks, criterion tags, rubric cells and the committed files it produces."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from workbench.errors import ConfigError
from workbench.exercises.build import build_assignment, build_notebooks, criterion_map, dump_criterion_map
from workbench.exercises.cli import exercises
from workbench.exercises.config import load_config
from workbench.referentiel import load_referentiel, load_rubrics

SCENARIOS = ("cdnow_winback", "caravan_crosssell")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def builds():
    return {s: build_notebooks(s) for s in SCENARIOS}


def _graded(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def test_both_scenarios_build_with_the_same_graded_cells(builds):
    maps = [criterion_map(b) for b in builds.values()]
    assert maps[0] == maps[1]
    assert list(maps[0]["notebooks"]) == ["1_1_collecte", "1_2_analyse", "1_3_visualisation"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_graded_cell_carries_the_criterion_it_evidences(builds, scenario):
    block1 = set(load_referentiel().criterion_ids("B1"))
    for name, nb in builds[scenario].notebooks.items():
        for cell in _graded(nb):
            tag = cell.metadata["workbench"]
            assert tag["criterion"] in block1, f"{name}:{cell.metadata.nbgrader.grade_id}"
            assert "criterion" not in cell.metadata["nbgrader"]  # nbgrader would strip it
            assert tag["kind"] == ("rubric" if cell.cell_type == "markdown" else "autograde")


def test_each_block1_criterion_has_an_autograded_check_and_a_rubric_cell(builds):
    cmap = criterion_map(builds["cdnow_winback"])
    kinds: dict[str, set[str]] = {}
    for rows in cmap["notebooks"].values():
        for row in rows:
            kinds.setdefault(row["criterion"], set()).add(row["kind"])
    assert kinds == {c: {"autograde", "rubric"} for c in load_referentiel().criterion_ids("B1")}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_first_cell_is_locked_and_imports_the_checks_with_the_scenario_pinned(builds, scenario):
    for name, nb in builds[scenario].notebooks.items():
        first = nb.cells[0]
        assert first.cell_type == "code" and first.metadata["nbgrader"]["locked"], name
        assert not first.metadata["nbgrader"]["solution"] and first.metadata["editable"] is False
        assert "from workbench.checks import block1" in first.source
        assert f'SCENARIO = "{scenario}"' in first.source


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_hidden_tests_name_the_scenario_literally(builds, scenario):
    """Rebinding SCENARIO in the kernel cannot move the hidden tests to another answer key."""
    import re

    for nb in builds[scenario].notebooks.values():
        for cell in _graded(nb):
            for region in re.findall(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", cell.source, re.S):
                assert "SCENARIO" not in region
                assert "scenario=" not in region or f'scenario="{scenario}"' in region


def test_rubric_cells_are_manual_and_show_every_level_descriptor(builds):
    rubrics = load_rubrics()
    for name, nb in builds["cdnow_winback"].notebooks.items():
        for i, cell in enumerate(nb.cells):
            if cell.metadata.get("workbench", {}).get("kind") != "rubric":
                continue
            meta, crit = cell.metadata["nbgrader"], cell.metadata["workbench"]["criterion"]
            assert cell.cell_type == "markdown" and meta["grade"] and meta["solution"]
            assert meta["points"] == rubrics.max_points
            guide = nb.cells[i - 1]
            assert guide.metadata["nbgrader"]["locked"] and crit in guide.source
            for level in rubrics.levels:
                text = rubrics.descriptors[crit][level.id]
                assert text.fr in guide.source and text.en in guide.source, f"{name}: {crit} {level.id}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_notebook_opens_with_the_scenario_and_the_data_dictionary(builds, scenario):
    from workbench.datasets import categories
    from workbench.scenarios import load_scenario

    sc = load_scenario(scenario)
    for name, nb in builds[scenario].notebooks.items():
        opening = "\n".join(c.source for c in nb.cells[1:3])
        assert sc.strategy.en in opening and sc.objective.en in opening and sc.objective.fr in opening, name
        # the dictionary table comes from the dataset's dictionary data, one row per category
        for category in categories(sc.dataset):
            assert f"| `{category}` |" in opening, f"{name}: {category}"


def test_headers_show_the_official_french_labels_with_the_english_beside(builds):
    ref = load_referentiel()
    for name, nb in builds["cdnow_winback"].notebooks.items():
        competence = ref.block("B1").competences[list(builds["cdnow_winback"].notebooks).index(name)]
        header = nb.cells[1].source
        assert competence.title.fr in header and competence.title.en in header
        for crit in competence.criteria:
            assert f"**{crit.id}** {crit.label.fr} | {crit.label.en} |" in header


def test_criterion_map_file_is_up_to_date():
    config = load_config()
    expected = dump_criterion_map(criterion_map(build_notebooks(config.released_scenario)))
    assert (REPO / "grading" / "criterion_map.yml").read_text(encoding="utf-8") == expected, (
        "run `workbench exercises map`")


def test_committed_source_is_up_to_date_with_the_generator(builds):
    config = load_config()
    folder = REPO / config.source_dir / config.assignment
    for name, nb in build_notebooks(config.released_scenario).notebooks.items():
        committed = json.loads((folder / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert committed == json.loads(nbformat.writes(nb)), f"{name}: run `workbench exercises source`"


def test_build_writes_a_self_contained_assignment(tmp_path):
    from workbench.exercises import support

    built = build_assignment(scenario_id="caravan_crosssell", out=tmp_path)
    data = built.folder / "data"
    assert (data / "caravan" / "caravan.csv").is_file() and (data / "caravan" / "crm_contacts.csv").is_file()
    assert "religion" in (data / "dictionary.csv").read_text(encoding="utf-8")
    # the copy verifies against its own manifest, as the notebooks' helpers do
    assert len(support.analysis_table("caravan_crosssell", data_dir=data)) == 5822
    assert support.called("analysis_table") and not support.called("board_results")


def test_cli_builds_the_released_scenario_by_default(tmp_path):
    result = CliRunner().invoke(exercises, ["build", "--out", str(tmp_path), "--no-data"])
    assert result.exit_code == 0, result.output
    nb = nbformat.read(tmp_path / "block1" / "1_2_analyse.ipynb", as_version=4)
    assert nb.metadata["workbench"]["scenario"] == load_config().released_scenario
    assert not (tmp_path / "block1" / "data").exists()


def test_an_unknown_scenario_is_refused_naming_the_configuration():
    with pytest.raises(ConfigError, match="exercises.yml"):
        build_notebooks("telco_churn")


def test_a_configuration_releasing_an_unlisted_scenario_is_refused(tmp_path):
    bad = tmp_path / "exercises.yml"
    bad.write_text("assignment: block1\nreleased_scenario: nope\nscenarios: [cdnow_winback]\n"
                   "notebooks: [1_1_collecte]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="released_scenario"):
        load_config(bad)
