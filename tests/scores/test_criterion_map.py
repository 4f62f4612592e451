from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.scores.factory import MAP_PATH, build_gradebook, full_marks
from workbench.errors import ConfigError
from workbench.scores import check_against_gradebook, compute_scores, load_criterion_map
from workbench.scores.gradebook import graded_cells, open_gradebook


def _variant(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(MAP_PATH.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "criterion_map.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_fixture_map_loads_and_covers_block1(cmap):
    assert cmap.assignment == "block1"
    assert cmap.criteria() == ["B1.1.a", "B1.1.b", "B1.2.a", "B1.2.b", "B1.3.a", "B1.3.b"]
    assert [c.cell for _, c in cmap.rubric_cells("B1.2.a")] == ["segmentation_rubric"]


def test_unknown_criterion_is_named(tmp_path):
    path = _variant(tmp_path, lambda d: d["notebooks"]["1_1_collecte"][0].update(criterion="B1.9.z"))
    with pytest.raises(ConfigError, match=r"collect_categories: unknown criterion 'B1.9.z'") as err:
        load_criterion_map(path)
    assert "criterion_map.yml" in str(err.value)


def test_non_block1_criterion_and_uncovered_criterion_are_named(tmp_path):
    path = _variant(tmp_path, lambda d: d["notebooks"]["1_1_collecte"][0].update(criterion="B2.1.a"))
    with pytest.raises(ConfigError) as err:
        load_criterion_map(path)
    assert "B2.1.a is not a block-1 criterion" in str(err.value)
    assert "criterion B1.1.a has no cell" in str(err.value)


def test_rubric_cell_must_be_worth_the_top_level(tmp_path):
    path = _variant(tmp_path, lambda d: d["notebooks"]["1_1_collecte"][1].update(points=5))
    with pytest.raises(ConfigError, match=r"justification_rubric: a rubric cell is worth the top rubric level \(3"):
        load_criterion_map(path)


def test_cell_mapped_twice_and_bad_kind(tmp_path):
    def dup(d):
        d["notebooks"]["1_1_collecte"].append(dict(d["notebooks"]["1_1_collecte"][0]))
        d["notebooks"]["1_2_segmentation"][0]["kind"] = "manual"

    with pytest.raises(ConfigError) as err:
        load_criterion_map(_variant(tmp_path, dup))
    assert "kind" in str(err.value)


def test_gradebook_cell_without_mapping_is_an_error(tmp_path, cmap):
    build_gradebook(tmp_path / "gb.db", {"ana": full_marks()}, extra_cells=[("1_1_collecte", "bonus_test", 1.0)])
    engine = open_gradebook(tmp_path / "gb.db")
    with pytest.raises(ConfigError, match=r"graded cell 1_1_collecte/bonus_test has no mapping") as err:
        compute_scores(engine=engine, cmap=cmap)
    assert "gradebook vs criterion map (block1)" in str(err.value)  # where: the default names the gradebook
    with pytest.raises(ConfigError) as err:
        compute_scores(engine=engine, cmap=cmap, where="course/gradebook.db")
    assert "course/gradebook.db vs criterion map (block1)" in str(err.value)
    engine.dispose()


def test_mapped_cell_missing_from_gradebook_is_an_error(tmp_path, cmap):
    build_gradebook(tmp_path / "gb.db", {"ana": full_marks()}, skip_cells={"segment_k"})
    engine = open_gradebook(tmp_path / "gb.db")
    with pytest.raises(ConfigError, match=r"mapped cell 1_2_segmentation/segment_k is not a graded cell"):
        compute_scores(engine=engine, cmap=cmap)
    engine.dispose()


def test_points_disagreeing_with_gradebook_is_an_error(tmp_path, cmap):
    build_gradebook(tmp_path / "gb.db", {"ana": full_marks()})
    engine = open_gradebook(tmp_path / "gb.db")
    with engine.connect() as conn:
        cells = graded_cells(conn, "block1")
    engine.dispose()
    cells.loc[cells["cell"] == "chart_labels", "max_score"] = 4.0
    with pytest.raises(ConfigError, match=r"chart_labels is worth 4 points in the gradebook but 2 in the map"):
        check_against_gradebook(cmap, cells)


@pytest.mark.parametrize("copies", [1, 2])
def test_a_cell_mapped_more_than_once_says_how_often(tmp_path, copies):
    def dup(d):
        d["notebooks"]["1_1_collecte"] += [dict(d["notebooks"]["1_1_collecte"][0])] * copies

    with pytest.raises(ConfigError) as err:
        load_criterion_map(_variant(tmp_path, dup))
    assert str(err.value).endswith(f"notebooks.1_1_collecte.collect_categories: mapped {copies + 1} times")


def test_every_map_fault_is_listed_in_order(tmp_path):
    def two(d):
        d["notebooks"]["1_1_collecte"][0]["criterion"] = "B1.9.z"
        d["notebooks"]["1_1_collecte"][1]["points"] = 5

    with pytest.raises(ConfigError) as err:
        load_criterion_map(_variant(tmp_path, two))
    assert ("notebooks.1_1_collecte.collect_categories: unknown criterion 'B1.9.z'; "
            "notebooks.1_1_collecte.justification_rubric: a rubric cell is worth the top rubric level") in str(err.value)
