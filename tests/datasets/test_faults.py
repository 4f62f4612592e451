"""Each damaged data file gives a DataError naming the file and the fault."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.datasets.conftest import set_manifest
from workbench.datasets import load_caravan, load_cdnow_transactions, raw_path, verify_all
from workbench.datasets import verify as verify_mod
from workbench.errors import DataError


def test_missing_file_named(data_root: Path):
    target = data_root / "cdnow" / "CDNOW_master.txt"
    target.unlink()
    with pytest.raises(DataError) as err:
        load_cdnow_transactions(root=data_root)
    assert str(target) in str(err.value) and "missing" in str(err.value)


def test_truncated_file_named(data_root: Path):
    target = data_root / "caravan" / "caravan.csv"
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError) as err:
        load_caravan(root=data_root)
    assert str(target) in str(err.value) and "truncated" in str(err.value)


def test_corrupted_byte_fails_checksum(data_root: Path):
    target = data_root / "cdnow" / "CDNOW_master.txt"
    data = bytearray(target.read_bytes())
    data[-3] = ord("9") if data[-3] != ord("9") else ord("8")  # same size, one digit changed
    target.write_bytes(bytes(data))
    with pytest.raises(DataError) as err:
        raw_path("cdnow", root=data_root)
    assert str(target) in str(err.value) and "corrupted: checksum mismatch" in str(err.value)


def test_wrong_columns_with_matching_checksum(data_root: Path):
    """A file rebuilt differently but with a stale manifest schema is caught after parsing."""
    target = data_root / "caravan" / "crm_contacts.csv"
    text = target.read_text(encoding="utf-8").replace("opt_in_email", "optin", 1)
    target.write_text(text, encoding="utf-8")
    payload = target.read_bytes()
    import hashlib

    set_manifest(data_root, "caravan_contacts", sha256=hashlib.sha256(payload).hexdigest(), bytes=len(payload))
    results = {r.name: r for r in verify_all(root=data_root)}
    assert not results["caravan_contacts"].ok
    assert "wrong schema: missing ['opt_in_email'], unexpected ['optin']" in results["caravan_contacts"].fault
    assert results["cdnow"].ok  # one bad file does not hide the others


def test_wrong_dtype_named(data_root: Path):
    target = data_root / "cdnow" / "CDNOW_master.txt"
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("11.77", "n/a!!")  # same length, not a number
    target.write_text("".join(lines), encoding="utf-8")
    import hashlib

    payload = target.read_bytes()
    set_manifest(data_root, "cdnow", sha256=hashlib.sha256(payload).hexdigest(), bytes=len(payload))
    with pytest.raises(DataError) as err:
        load_cdnow_transactions(root=data_root)
    assert str(target) in str(err.value)
    assert "dollar_value is str, expected float64" in str(err.value)


def test_checksum_cached_but_rechecked_after_change(data_root: Path):
    target = data_root / "caravan" / "caravan.csv"
    raw_path("caravan", root=data_root)
    stat = target.stat()
    assert (str(target), stat.st_mtime_ns, stat.st_size) in verify_mod._DIGESTS
    # same size, new content and mtime: the cache must not vouch for it
    data = bytearray(target.read_bytes())
    data[-5] = ord("9") if data[-5] != ord("9") else ord("8")
    target.write_bytes(bytes(data))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    with pytest.raises(DataError, match="checksum mismatch"):
        raw_path("caravan", root=data_root)


def test_workbench_home_points_loaders_at_another_root(data_root: Path, monkeypatch: pytest.MonkeyPatch):
    (data_root / "telco" / "wa_churn.csv").unlink()
    monkeypatch.setenv("WORKBENCH_HOME", str(data_root.parent))
    results = {r.name: r for r in verify_all()}
    assert not results["telco"].ok and "missing" in results["telco"].fault
    assert str(data_root / "telco" / "wa_churn.csv") == str(results["telco"].path)
