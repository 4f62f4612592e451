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
def test_first_cell_is_locked_and_imports_the_self_checks_with_the_scenario_pinned(builds, scenario):
    for name, nb in builds[scenario].notebooks.items():
        first = nb.cells[0]
        assert first.cell_type == "code" and first.metadata["nbgrader"]["locked"], name
        assert not first.metadata["nbgrader"]["solution"] and first.metadata["editable"] is False
        assert "from workbench_candidate import block1" in first.source
        assert f'SCENARIO = "{scenario}"' in first.source
        # the candidate environment alone runs a released notebook: no grader-side import
        assert "import workbench\n" not in first.source and "from workbench." not in first.source, name


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_judged_cells_name_their_check_and_the_variables_handed_over(builds, scenario):
    """Each autograded cell says what the judge reads (metadata.workbench.judge), and its visible
    part is the candidate's self-check of the same check."""
    from workbench.autograde.judge.registry import EVALUATORS
    from workbench_candidate.checks import declarations

    decls = declarations()
    seen = set()
    for name, nb in builds[scenario].notebooks.items():
        for cell in _graded(nb):
            if cell.cell_type != "code":
                continue
            judge = cell.metadata["workbench"]["judge"]
            where = f"{name}:{cell.metadata.nbgrader.grade_id}"
            assert set(judge) == {"check", "answers", "params"}, where
            assert judge["check"] in EVALUATORS, where
            decl = decls[judge["check"]]
            assert set(judge["answers"]) == set(decl.answers), where
            assert all(isinstance(v, str) and v.isidentifier() for v in judge["answers"].values()), where
            assert cell.metadata["nbgrader"]["points"] == decl.points, where
            assert cell.metadata["workbench"]["criterion"] == decl.criterion, where
            visible = cell.source.split("### END HIDDEN TESTS")[-1]
            assert f"block1.{decl.attr}.check(" in visible, where
            seen.add(judge["check"])
    assert seen == set(EVALUATORS)  # every check is judged somewhere in block 1


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_hidden_part_is_the_practice_judge_of_the_cell(builds, scenario):
    """The generated hidden part calls the in-kernel judge (plain nbgrader, practice only) with
    the same check and variables; it never reads SCENARIO, so rebinding it moves nothing."""
    import re

    for nb in builds[scenario].notebooks.values():
        for cell in _graded(nb):
            if cell.cell_type != "code":
                continue
            judge = cell.metadata["workbench"]["judge"]
            regions = re.findall(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", cell.source, re.S)
            assert len(regions) == 1
            hidden = regions[0]
            assert "from workbench.autograde.judge.practice import judge" in hidden
            call = re.search(r"^judge\((.*)\)$", hidden, re.M)
            assert call and call.group(1).startswith(repr(judge["check"]))
            for param, var in judge["answers"].items():
                assert f"{param}={var}" in call.group(1)
            for param, value in judge["params"].items():
                assert f"{param}={value!r}" in call.group(1)
            assert "SCENARIO" not in hidden and "scenario" not in hidden


@pytest.fixture(scope="module")
def builds_fr():
    return {s: build_notebooks(s, lang="fr") for s in SCENARIOS}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_rubric_cells_are_manual_and_show_every_level_descriptor(builds, builds_fr, lang):
    rubrics, ref = load_rubrics(), load_referentiel()
    for name, nb in (builds if lang == "en" else builds_fr)["cdnow_winback"].notebooks.items():
        for i, cell in enumerate(nb.cells):
            if cell.metadata.get("workbench", {}).get("kind") != "rubric":
                continue
            meta, crit = cell.metadata["nbgrader"], cell.metadata["workbench"]["criterion"]
            assert cell.cell_type == "markdown" and meta["grade"] and meta["solution"]
            assert meta["points"] == rubrics.max_points
            guide = nb.cells[i - 1]
            assert guide.metadata["nbgrader"]["locked"] and crit in guide.source
            # the criterion's official French wording in both courses
            assert ref.criterion(crit).label.fr in guide.source
            for level in rubrics.levels:
                text = rubrics.descriptors[crit][level.id]
                assert text.get(lang) in guide.source, f"{name}: {crit} {level.id}"
                assert (level.fr if lang == "fr" else level.en) in guide.source


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_notebook_opens_with_the_scenario_and_the_data_dictionary(builds, builds_fr, scenario, lang):
    from workbench.datasets import categories
    from workbench.scenarios import load_scenario

    sc = load_scenario(scenario)
    for name, nb in (builds if lang == "en" else builds_fr)[scenario].notebooks.items():
        opening = "\n".join(c.source for c in nb.cells[1:3])
        assert sc.strategy.get(lang) in opening and sc.objective.get(lang) in opening, name
        # the dictionary table comes from the dataset's dictionary data, one row per category
        for category in categories(sc.dataset):
            assert f"| `{category}` |" in opening, f"{name}: {category}"


def test_headers_show_the_official_french_labels_with_the_english_beside(builds, builds_fr):
    ref = load_referentiel()
    for name, nb in builds["cdnow_winback"].notebooks.items():
        competence = ref.block("B1").competences[list(builds["cdnow_winback"].notebooks).index(name)]
        header = nb.cells[1].source
        assert competence.title.fr in header and competence.title.en in header
        for crit in competence.criteria:
            assert f"**{crit.id}** {crit.label.fr} | {crit.label.en} |" in header
        # a French course shows the official wording alone
        header_fr = builds_fr["cdnow_winback"].notebooks[name].cells[1].source
        assert competence.title.fr in header_fr and competence.title.en not in header_fr
        for crit in competence.criteria:
            assert f"**{crit.id}** {crit.label.fr} |" in header_fr and crit.label.en not in header_fr


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


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Both scenarios built with their data, as `workbench exercises build` writes them."""
    out = tmp_path_factory.mktemp("releases")
    return {s: build_assignment(scenario_id=s, out=out / s) for s in SCENARIOS}


def test_build_writes_a_self_contained_assignment(releases):
    data = releases["caravan_crosssell"].folder / "data"
    assert (data / "caravan" / "caravan.csv").is_file() and (data / "caravan" / "crm_contacts.csv").is_file()
    assert "religion" in (data / "dictionary.csv").read_text(encoding="utf-8")
    for name in ("scenario.yml", "segmentation_input.csv", "board_results.csv", "manifest.yml"):
        assert (data / name).is_file(), name


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_released_scenario_holds_the_public_facts_and_no_key(releases, scenario):
    import yaml

    from workbench.scenarios import load_scenario

    sc = load_scenario(scenario)
    text = (releases[scenario].folder / "data" / "scenario.yml").read_text(encoding="utf-8")
    public = yaml.safe_load(text)
    assert public["id"] == scenario and public["dataset"] == sc.dataset
    assert public["segmentation"]["k_range"] == list(sc.reference_segmentation.k_range)
    for word in ("answer_key", "reference_segmentation", "relevant", "neutral", "personal_without_purpose",
                 "leakage", "random_state", "algorithm"):
        assert word not in text, word
    for group in sc.answer_key.model_dump().values():
        for reason in group.values():
            assert reason["en"] not in text and reason["fr"] not in text


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_released_tables_carry_anonymous_ids_that_differ_between_files(releases, scenario):
    """Notebooks 1.2 and 1.3 start from released tables whose ids answer no earlier notebook:
    anonymous, shuffled, different in each file and from the real customer ids."""
    import pandas as pd

    from workbench.scenarios import analysis_table, load_scenario

    data = releases[scenario].folder / "data"
    seg = pd.read_csv(data / "segmentation_input.csv", dtype={"customer_id": str})
    board = pd.read_csv(data / "board_results.csv", dtype={"customer_id": str})
    real = analysis_table(load_scenario(scenario), root=data)
    assert len(seg) == len(board) == len(real)
    assert seg["customer_id"].str.fullmatch(r"K\d{5}").all() and seg["customer_id"].is_unique
    assert board["customer_id"].str.fullmatch(r"B\d{5}").all() and board["customer_id"].is_unique
    assert not set(real["customer_id"].astype(str)) & (set(seg["customer_id"]) | set(board["customer_id"]))
    # the same rank in each file is not the same customer (rows shuffled with different seeds)
    value = load_scenario(scenario).reference_segmentation.value_feature
    if value in seg.columns:
        for a, b in ((seg, board), (seg, real), (board, real)):
            assert (a[value].to_numpy() != b[value].to_numpy()).mean() > 0.5


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_candidate_data_reads_the_released_tables(releases, scenario):
    """The released notebooks read data/ through workbench_candidate.data (no grader code)."""
    from workbench.scenarios import load_scenario
    from workbench_candidate import data as candidate_data

    sc = load_scenario(scenario)
    data = releases[scenario].folder / "data"
    table = candidate_data.analysis_table(data)
    assert len(table) == {"cdnow_winback": 23570, "caravan_crosssell": 5822}[scenario]
    assert table["customer_id"].str.startswith("K").all()
    for variable in sc.derived_features:
        assert variable.name in table.columns
    board = candidate_data.board_results(data)
    assert board.value_feature == sc.reference_segmentation.value_feature
    assert len(board.table) == len(board.features) == len(table)
    assert list(board.features.columns) == list(sc.reference_segmentation.features)
    segments = sorted(board.table["segment"].unique())
    assert segments == [f"S{i}" for i in range(1, len(segments) + 1)]
    assert sc.reference_segmentation.k_range[0] <= len(segments) <= sc.reference_segmentation.k_range[1]
    assert list(board.profile.index) == segments and board.profile["size"].sum() == len(table)
    assert abs(board.profile["share"].sum() - 1) < 1e-9
    # S1 is the segment of the highest mean value
    assert board.profile[board.value_feature].idxmax() == "S1"


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
