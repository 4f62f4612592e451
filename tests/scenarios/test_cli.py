"""``workbench scenarios list|show|check``."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_list_and_show(capsys):
    assert main(["scenarios", "list"]) == 0
    assert "caravan_crosssell" in capsys.readouterr().out
    assert main(["scenarios", "show", "cdnow_winback", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "purchase_value" in out and "dollar_value" in out and "recency_days" in out


def test_check_names_the_bad_scenario(tmp_path, monkeypatch, capsys):
    assert main(["scenarios", "check"]) == 0
    assert "ok   cdnow_winback" in capsys.readouterr().out
    root = tmp_path / "home"
    shutil.copytree(REPO / "grading", root / "grading")
    shutil.copytree(REPO / "datasets", root / "datasets", ignore=shutil.ignore_patterns("*.csv", "*.txt"))
    bad = root / "grading" / "scenarios" / "cdnow_winback.yml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("purchase_value:", "spend:", 1), encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_HOME", str(root))
    assert main(["scenarios", "check"]) == 2
    captured = capsys.readouterr()
    assert "FAIL" in captured.out and "unknown category 'spend'" in captured.out and str(bad) in captured.out
    assert "1 scenario(s) invalid: cdnow_winback" in captured.err
