"""The dataset manifest (``datasets/manifest.yml``) as a validated model."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench._yaml import load_model
from workbench.errors import DataError
from workbench.paths import datasets_dir

Dtype = Literal["str", "int64", "float64", "bool"]


class Source(BaseModel):
    """Where a file comes from: a package, its version and the path inside it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    package: str
    version: str
    path: str


class FileEntry(BaseModel):
    """One data file: its provenance and the measured facts loaders verify."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    dataset: str
    path: str
    format: Literal["csv", "whitespace"] = "csv"
    synthetic: bool
    description: str
    source: Source
    licence: str
    citation: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(gt=0)
    rows: int = Field(gt=0)
    columns: dict[str, Dtype]


class Manifest(BaseModel):
    """All data files, keyed by the name loaders use (``cdnow``, ``caravan_contacts``...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: Literal[1]
    files: dict[str, FileEntry]

    def entry(self, name: str) -> FileEntry:
        """Return the entry of file ``name``; an unknown name raises :class:`DataError`."""
        try:
            return self.files[name]
        except KeyError:
            known = ", ".join(self.files)
            raise DataError(f"unknown dataset file {name!r} (known: {known})", where="datasets/manifest.yml") from None

    def datasets(self) -> list[str]:
        """Dataset names in manifest order (``cdnow``, ``caravan``, ``telco``)."""
        return list(dict.fromkeys(e.dataset for e in self.files.values()))


def resolve_root(root: Path | str | None) -> Path:
    """Return the datasets folder: ``root`` if given, else ``WORKBENCH_HOME``/the repository's."""
    return Path(root).resolve() if root is not None else datasets_dir()


@lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int) -> Manifest:
    return load_model(path, Manifest)


def load_manifest(root: Path | str | None = None) -> Manifest:
    """Read and validate ``<root>/manifest.yml`` (cached until the file changes)."""
    path = resolve_root(root) / "manifest.yml"
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise DataError("dataset manifest not found", where=str(path)) from None
    return _load(path, mtime)
