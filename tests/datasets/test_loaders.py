"""The real datasets load, verified, with the documented shapes, dtypes and counts."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.datasets import (
    load_caravan,
    load_cdnow_transactions,
    load_contacts,
    load_manifest,
    load_telco,
    raw_path,
    read_raw,
    verify_all,
)
from workbench.errors import DataError


def test_cdnow_transactions_exact_counts_and_types():
    df = load_cdnow_transactions()
    assert list(df.columns) == ["customer_id", "date", "number_of_cds", "dollar_value"]
    assert len(df) == 69_659
    assert df["customer_id"].nunique() == 23_570
    assert df["date"].min() == pd.Timestamp("1997-01-01")
    assert df["date"].max() == pd.Timestamp("1998-06-30")
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert pd.api.types.is_integer_dtype(df["number_of_cds"])
    assert pd.api.types.is_float_dtype(df["dollar_value"])
    # ids keep the file's zero padding
    assert df["customer_id"].iloc[0] == "00001"
    assert df["customer_id"].str.len().eq(5).all()


def test_caravan_shape_ids_and_target():
    df = load_caravan()
    assert df.shape == (5_822, 87)  # customer_id + the 86 variables
    assert df.columns[0] == "customer_id" and df.columns[-1] == "Purchase"
    assert df["customer_id"].iloc[[0, -1]].tolist() == ["C00001", "C05822"]
    assert set(df["Purchase"]) == {"Yes", "No"}
    assert (df["Purchase"] == "Yes").sum() == 348


def test_contacts_are_synthetic_and_cover_the_ids():
    manifest = load_manifest()
    cdnow = load_contacts("cdnow")
    assert set(cdnow["customer_id"]) == set(load_cdnow_transactions()["customer_id"])
    assert cdnow["email"].str.endswith("@example.invalid").all()
    caravan = load_contacts("caravan")
    assert caravan["customer_id"].tolist() == load_caravan()["customer_id"].tolist()
    assert manifest.files["cdnow_contacts"].synthetic and manifest.files["caravan_contacts"].synthetic
    assert not manifest.files["cdnow"].synthetic and not manifest.files["caravan"].synthetic
    with pytest.raises(DataError, match="no contact table for dataset 'telco'"):
        load_contacts("telco")


def test_telco_loads_with_ids():
    df = load_telco()
    assert df.shape == (7_043, 21)
    assert df["customer_id"].iloc[0] == "T00001"
    assert set(df["churn"]) == {"Yes", "No"}


def test_raw_path_is_the_verified_file():
    path = raw_path("cdnow")
    assert path.name == "CDNOW_master.txt" and path.is_file()
    assert read_raw("caravan") == raw_path("caravan")
    with pytest.raises(DataError, match="unknown dataset file 'nope'"):
        raw_path("nope")


def test_verify_all_reports_every_file_sound():
    results = verify_all()
    assert [r.name for r in results] == ["cdnow", "cdnow_contacts", "caravan", "caravan_contacts", "telco"]
    assert all(r.ok for r in results), [r.fault for r in results if not r.ok]
    assert {r.name: r.rows for r in results}["cdnow"] == 69_659


def test_manifest_records_provenance_and_licences():
    files = load_manifest().files
    assert files["cdnow"].source.package == "lifetimes" and files["cdnow"].source.version == "0.11.3"
    assert files["cdnow"].source.path == "lifetimes/datasets/CDNOW_master.txt"
    assert "Fader, Hardie & Lee (2005)" in files["cdnow"].citation and "42(4)" in files["cdnow"].citation
    assert files["caravan"].source.path == "ISLR/Caravan" and "GPL-2" in files["caravan"].licence
    assert "van der Putten" in files["caravan"].citation
    assert files["telco"].source.path == "modeldata/wa_churn"
    assert files["caravan"].rows == 5_822 and len(files["caravan"].columns) == 86


def test_loading_never_opens_a_socket(monkeypatch: pytest.MonkeyPatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("a dataset loader tried to open a network socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert len(load_cdnow_transactions()) == 69_659
    assert len(load_caravan()) == 5_822 and len(load_telco()) == 7_043
    assert all(r.ok for r in verify_all())
