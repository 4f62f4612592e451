"""Verify data files against the manifest: presence, size, sha256, then schema once parsed.

Checksums are cached per (path, mtime, size), so a notebook that loads the same file many
times hashes it once; any change to the file (new mtime or size) is hashed again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench.datasets.manifest import FileEntry, load_manifest, resolve_root
from workbench.errors import DataError, WorkbenchError

_DIGESTS: dict[tuple[str, int, int], str] = {}


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of verifying one data file (``fault`` is None when it is sound)."""

    name: str
    path: Path
    ok: bool
    rows: int | None
    fault: str | None = None


def _sha256(path: Path, mtime_ns: int, size: int) -> str:
    key = (str(path), mtime_ns, size)
    if key not in _DIGESTS:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        _DIGESTS[key] = digest.hexdigest()
    return _DIGESTS[key]


def check_bytes(path: Path, entry: FileEntry) -> None:
    """Raise :class:`DataError` naming ``path`` if it is missing, truncated or corrupted."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise DataError("missing: dataset file not found (rebuild with `workbench datasets rebuild`)",
                        where=str(path)) from None
    if stat.st_size < entry.bytes:
        raise DataError(f"truncated: {stat.st_size} bytes, expected {entry.bytes}", where=str(path))
    digest = _sha256(path, stat.st_mtime_ns, stat.st_size)
    if stat.st_size != entry.bytes or digest != entry.sha256:
        raise DataError(
            f"corrupted: checksum mismatch (sha256 {digest[:12]}…, {stat.st_size} bytes; "
            f"manifest {entry.sha256[:12]}…, {entry.bytes} bytes)",
            where=str(path),
        )


def verified_path(name: str, *, root: Path | str | None = None) -> Path:
    """Return the path of data file ``name`` after checking its bytes against the manifest."""
    base = resolve_root(root)
    entry = load_manifest(base).entry(name)
    path = base / entry.path
    check_bytes(path, entry)
    return path


def _dtype_name(dtype: object) -> str:
    return "str" if dtype == object else str(dtype)


def check_schema(df: pd.DataFrame, entry: FileEntry, *, where: str) -> None:
    """Raise :class:`DataError` if ``df`` (the parsed file) differs from the manifest's schema."""
    expected = list(entry.columns)
    found = list(df.columns)
    if found != expected:
        missing = [c for c in expected if c not in found]
        extra = [c for c in found if c not in expected]
        detail = f"missing {missing}, unexpected {extra}" if missing or extra else "columns out of order"
        raise DataError(f"wrong schema: {detail}", where=where)
    wrong = [
        f"{col} is {_dtype_name(df[col].dtype)}, expected {dtype}"
        for col, dtype in entry.columns.items()
        if _dtype_name(df[col].dtype) != dtype
    ]
    if wrong:
        raise DataError(f"wrong schema: {'; '.join(wrong)}", where=where)
    if len(df) != entry.rows:
        raise DataError(f"wrong schema: {len(df)} rows, expected {entry.rows}", where=where)


def read_verified(name: str, *, root: Path | str | None = None) -> pd.DataFrame:
    """Parse data file ``name`` exactly as stored, after checking its bytes and before its schema."""
    base = resolve_root(root)
    entry = load_manifest(base).entry(name)
    path = verified_path(name, root=base)
    sep = r"\s+" if entry.format == "whitespace" else ","
    str_cols = {c: str for c, t in entry.columns.items() if t == "str"}
    try:
        df = pd.read_csv(path, sep=sep, dtype=str_cols)
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"cannot parse: {exc}", where=str(path)) from None
    check_schema(df, entry, where=str(path))
    return df


def verify_all(*, root: Path | str | None = None) -> list[VerifyResult]:
    """Verify every file of the manifest (bytes and schema); never raises for a bad file."""
    base = resolve_root(root)
    results = []
    for name, entry in load_manifest(base).files.items():
        path = base / entry.path
        try:
            df = read_verified(name, root=base)
        except WorkbenchError as exc:
            results.append(VerifyResult(name, path, False, None, exc.message))
        else:
            results.append(VerifyResult(name, path, True, len(df)))
    return results
