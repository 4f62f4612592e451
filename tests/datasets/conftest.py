"""Fixtures: a private copy of datasets/ that tests may damage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def data_root(tmp_path: Path) -> Path:
    """A copy of the repository's datasets/ folder (data, manifest, dictionaries)."""
    root = tmp_path / "datasets"
    shutil.copytree(REPO / "datasets", root)
    return root


def set_manifest(root: Path, name: str, **fields: object) -> None:
    """Overwrite fields of one file's manifest entry (to simulate a stale manifest)."""
    path = root / "manifest.yml"
    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    manifest["files"][name].update(fields)
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
