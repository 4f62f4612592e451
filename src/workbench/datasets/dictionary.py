"""Data dictionaries (``datasets/<name>/dictionary.yml``): every column's category, kind,
meaning, type and GDPR status, validated against the manifest when loaded."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from workbench._yaml import load_model
from workbench.datasets.manifest import load_manifest, resolve_root
from workbench.errors import ConfigError

Kind = Literal[
    "identity_contact", "socio_demographic", "transactional_behavioural", "product_holding", "consent", "target"
]


class Label(BaseModel):
    """A text of the dictionary in French and English (both required: a missing one fails loading)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("fr" or "en")."""
        return self.fr if lang == "fr" else self.en


class Category(BaseModel):
    """A fine-grained group of columns a candidate chooses (or rejects) as a whole."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Kind
    label: Label


class CodeTable(BaseModel):
    """Meaning of the integer codes of a coded column (e.g. CoIL tables L0-L4)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    codes: dict[int, str]


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    category: str
    description: str
    type: str
    personal_data: bool
    personal_data_reason: str
    special_category: bool = False
    codes: str | None = None
    number: int | None = None          # position in the original source (CoIL 1-86)
    source_name: str | None = None     # name in the original source when it differs
    added_by_loader: bool = False      # not in the file: the loader adds it (row-number ids)


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    columns: tuple[Column, ...]


class Dictionary(BaseModel):
    """One dataset's dictionary; ``tables`` are keyed by manifest file name."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    dataset: str
    # shown to candidates in the course's language (the notebooks' dictionary cell); the column
    # descriptions stay the source's own wording, in English, in every course
    title: Label
    notes: tuple[Label, ...] = ()
    categories: dict[str, Category]
    code_tables: dict[str, CodeTable] = {}
    tables: dict[str, Table]

    def columns(self) -> list[Column]:
        """Every column of every table (a join key shared by two tables appears twice)."""
        return [c for t in self.tables.values() for c in t.columns]

    def column_names(self) -> set[str]:
        return {c.name for c in self.columns()}

    def columns_of(self, category: str) -> list[str]:
        """Names of the columns in ``category``, once each, in dictionary order."""
        return list(dict.fromkeys(c.name for c in self.columns() if c.category == category))


def _faults(d: Dictionary, files: dict[str, list[str]]) -> list[str]:
    """What pydantic cannot see: unknown categories/code tables, and columns the files do not match."""
    faults = []
    for col in d.columns():
        if col.category not in d.categories:
            faults.append(f"column {col.name}: unknown category {col.category!r}")
        if col.codes is not None and col.codes not in d.code_tables:
            faults.append(f"column {col.name}: unknown code table {col.codes!r}")
    used = {c.category for c in d.columns()}
    faults += [f"category {c} has no column" for c in d.categories if c not in used]
    for name, table in d.tables.items():
        if name not in files:
            faults.append(f"table {name!r} is not a file of dataset {d.dataset!r} in the manifest")
            continue
        described = [c.name for c in table.columns if not c.added_by_loader]
        if described != files[name]:
            missing = [c for c in files[name] if c not in described]
            extra = [c for c in described if c not in files[name]]
            faults.append(f"table {name}: columns differ from the file (undescribed {missing}, unknown {extra})")
    faults += [f"file {n!r} has no table in the dictionary" for n in files if n not in d.tables]
    return faults


@lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int, root: Path) -> Dictionary:
    d = load_model(path, Dictionary)
    manifest = load_manifest(root)
    files = {n: list(e.columns) for n, e in manifest.files.items() if e.dataset == d.dataset}
    faults = _faults(d, files)
    if faults:
        raise ConfigError("; ".join(faults), where=str(path))
    return d


def dictionary_path(dataset: str, *, root: Path | str | None = None) -> Path:
    return resolve_root(root) / dataset / "dictionary.yml"


def load_dictionary_model(dataset: str, *, root: Path | str | None = None) -> Dictionary:
    """Read and validate the dictionary of ``dataset`` (cached until the file changes)."""
    base = resolve_root(root)
    known = load_manifest(base).datasets()
    if dataset not in known:
        raise ConfigError(f"unknown dataset {dataset!r} (known: {', '.join(known)})", where=str(base / "manifest.yml"))
    path = dictionary_path(dataset, root=base)
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise ConfigError("data dictionary not found", where=str(path)) from None
    return _load(path, mtime, base)


def load_dictionary(dataset: str, *, root: Path | str | None = None) -> pd.DataFrame:
    """The dictionary of ``dataset`` as a table, one row per (file, column).

    Columns: file, column, category, kind, description, type, personal_data,
    personal_data_reason, special_category, codes (dict code -> label, or None).
    """
    d = load_dictionary_model(dataset, root=root)
    rows = [
        {
            "file": fname,
            "column": c.name,
            "category": c.category,
            "kind": d.categories[c.category].kind,
            "description": c.description,
            "type": c.type,
            "personal_data": c.personal_data,
            "personal_data_reason": c.personal_data_reason,
            "special_category": c.special_category,
            "codes": dict(d.code_tables[c.codes].codes) if c.codes else None,
        }
        for fname, table in d.tables.items()
        for c in table.columns
    ]
    return pd.DataFrame(rows)


def categories(dataset: str, *, root: Path | str | None = None) -> dict[str, dict]:
    """Category id -> {"kind", "label": {"fr", "en"}, "columns": [...]} for ``dataset``."""
    d = load_dictionary_model(dataset, root=root)
    return {
        cid: {"kind": cat.kind, "label": cat.label.model_dump(), "columns": d.columns_of(cid)}
        for cid, cat in d.categories.items()
    }
