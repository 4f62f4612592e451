"""Dictionaries describe every column, with categories the scenarios use and CoIL labels from the source."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest
import yaml

from workbench.datasets import (
    categories,
    load_caravan,
    load_cdnow_transactions,
    load_contacts,
    load_dictionary,
    load_dictionary_model,
    load_telco,
)
from workbench.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
COIL = REPO / "datasets" / "caravan" / "coil2000-dictionary.txt"
CARAVAN_CATEGORIES = {
    "customer_key", "contact_details", "marketing_consent", "customer_type", "household", "religion",
    "education", "occupation", "social_class", "housing", "car_ownership", "health_insurance", "income",
    "product_contributions", "product_counts", "target",
}
CDNOW_CATEGORIES = {"customer_key", "contact_details", "marketing_consent", "purchase_dates",
                    "purchase_volume", "purchase_value"}
DICT_COLUMNS = ["file", "column", "category", "kind", "description", "type", "personal_data",
                "personal_data_reason", "special_category", "codes"]


@pytest.mark.parametrize(
    ("dataset", "frames"),
    [
        ("cdnow", {"cdnow": load_cdnow_transactions, "cdnow_contacts": lambda: load_contacts("cdnow")}),
        ("caravan", {"caravan": load_caravan, "caravan_contacts": lambda: load_contacts("caravan")}),
        ("telco", {"telco": load_telco}),
    ],
)
def test_dictionary_covers_every_loaded_column(dataset, frames):
    dic = load_dictionary(dataset)
    assert list(dic.columns) == DICT_COLUMNS
    for fname, load in frames.items():
        assert dic[dic.file == fname].column.tolist() == list(load().columns)
    assert dic.personal_data_reason.str.len().gt(10).all()


def test_categories_match_the_scenarios():
    assert set(categories("caravan")) == CARAVAN_CATEGORIES
    assert set(categories("cdnow")) == CDNOW_CATEGORIES
    cats = categories("caravan")
    assert cats["religion"]["columns"] == ["MGODRK", "MGODPR", "MGODOV", "MGODGE"]
    assert cats["target"] == {"kind": "target", "label": cats["target"]["label"], "columns": ["Purchase"]}
    assert cats["product_counts"]["kind"] == "product_holding" and len(cats["product_counts"]["columns"]) == 21
    assert categories("cdnow")["purchase_value"]["columns"] == ["dollar_value"]


def test_special_category_is_religion_only():
    dic = load_dictionary("caravan")
    assert set(dic[dic.special_category].category) == {"religion"}
    # CoIL 1-43 are area aggregates, still personal data once linked to a customer
    row = dic[dic.column == "MINKGEM"].iloc[0]
    assert row.personal_data and "postal-code area" in row.personal_data_reason


def _source_variables() -> dict[str, str]:
    names = {}
    for line in COIL.read_text(encoding="utf-8").splitlines():
        if line.startswith("L0"):  # the code tables follow the variable list
            break
        m = re.match(r"^(\d+) (\S+) (.*)$", line)
        if m:
            names[m.group(2)] = m.group(3)
    assert len(names) == 86
    return names


def test_caravan_labels_and_codes_come_from_the_coil_source():
    dic = load_dictionary("caravan").query("file == 'caravan'").set_index("column")
    source = _source_variables()
    for name, rest in source.items():
        col = "Purchase" if name == "CARAVAN" else name
        label = dic.loc[col, "description"].split(" [")[0].split(";")[0]
        assert rest.startswith(label), (name, label, rest)
    assert dic.loc["MOSHOOFD", "codes"][7] == "Retired and Religeous"  # original spelling kept
    assert dic.loc["MOSTYPE", "codes"][41] == "Mixed rurals"
    assert dic.loc["PPERSAUT", "codes"][9] == "f 20.000 - ?"
    assert "ISLR names variable 86 Purchase (original name CARAVAN)" in dic.loc["Purchase", "description"]


def test_generated_caravan_dictionary_is_up_to_date():
    spec = importlib.util.spec_from_file_location("build_dictionaries", REPO / "scripts" / "build_dictionaries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (REPO / "datasets" / "caravan" / "dictionary.yml").read_text(encoding="utf-8")
    assert module.render(COIL) == committed, "run scripts/build_dictionaries.py"


def test_unknown_category_in_dictionary_is_named(tmp_path: Path):
    root = tmp_path / "datasets"
    shutil.copytree(REPO / "datasets", root, ignore=shutil.ignore_patterns("*.csv", "*.txt"))
    path = root / "cdnow" / "dictionary.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["tables"]["cdnow"]["columns"][3]["category"] = "spend"
    del data["tables"]["cdnow_contacts"]["columns"][1]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_dictionary("cdnow", root=root)
    msg = str(err.value)
    assert str(path) in msg
    assert "column dollar_value: unknown category 'spend'" in msg
    assert "undescribed ['email']" in msg


@pytest.mark.parametrize(("entry", "drop"), [("notes.1", "fr"), ("title", "en")])
def test_a_note_or_title_missing_a_language_is_refused_in_one_line(tmp_path: Path, entry: str, drop: str):
    """The title and notes are shown in the course's language: a missing language fails loading,
    in one line naming the file and the entry, never a candidate's notebook."""
    root = tmp_path / "datasets"
    shutil.copytree(REPO / "datasets", root, ignore=shutil.ignore_patterns("*.csv", "*.txt"))
    path = root / "cdnow" / "dictionary.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = data["notes"][1] if entry == "notes.1" else data["title"]
    del texts[drop]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_dictionary("cdnow", root=root)
    msg = str(err.value)
    assert "\n" not in msg and str(path) in msg
    assert f"{entry}.{drop}: Field required" in msg


def test_every_note_and_title_is_written_in_both_languages():
    for dataset in ("cdnow", "caravan", "telco"):
        d = load_dictionary_model(dataset)
        for text in (d.title, *d.notes):
            assert text.fr.strip() and text.en.strip() and text.fr != text.en, (dataset, text.en)
