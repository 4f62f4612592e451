"""Turning the candidate's objects into plain pandas/numpy values, with candidate messages."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._errors import BadInput


def as_frame(obj: object, what: str) -> pd.DataFrame:
    """A plain DataFrame copy of ``obj``; anything else is a :class:`BadInput`."""
    if not isinstance(obj, pd.DataFrame):
        raise BadInput(f"{what} must be a pandas DataFrame, not a {type(obj).__name__}")
    # a plain copy: a DataFrame subclass cannot bring its own methods into the grading
    return pd.DataFrame(obj, copy=True)


def require_columns(df: pd.DataFrame, columns: list[str] | tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise BadInput(f"{what} has no column {', '.join(repr(c) for c in missing)}")


def numeric_matrix(obj: object, what: str) -> tuple[np.ndarray, list[str]]:
    """A 2-D float matrix and its column names from a DataFrame or an array."""
    if isinstance(obj, pd.DataFrame):
        df = pd.DataFrame(obj)
        bad = [str(c) for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])
               or pd.api.types.is_bool_dtype(df[c])]
        if bad:
            raise BadInput(f"{what} has non-numeric column(s) {bad}")
        names = [str(c) for c in df.columns]
        x = df.to_numpy(dtype=float)
    elif isinstance(obj, (np.ndarray, list, tuple)):
        try:
            x = np.array(obj, dtype=float)
        except (TypeError, ValueError):
            raise BadInput(f"{what} must hold numbers only") from None
        if x.ndim == 1:
            x = x.reshape(-1, 1)
        names = [f"column {i}" for i in range(x.shape[1] if x.ndim == 2 else 0)]
    else:
        raise BadInput(f"{what} must be a DataFrame or a 2-D array, not a {type(obj).__name__}")
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise BadInput(f"{what} must be a non-empty 2-D table (one row per customer)")
    if not np.isfinite(x).all():
        raise BadInput(f"{what} contains missing or infinite values")
    return x, names


def as_labels(obj: object, n: int | None, what: str = "labels") -> tuple[np.ndarray, list[str]]:
    """Segment codes 0..k-1 and the label of each code (as text); checks length and NaN."""
    if isinstance(obj, pd.DataFrame):
        if obj.shape[1] != 1:
            raise BadInput(f"{what} must be one label per customer (a 1-D array or Series)")
        obj = obj.iloc[:, 0]
    if isinstance(obj, (set, dict)) or not hasattr(obj, "__len__"):
        raise BadInput(f"{what} must be a list, array or Series, not a {type(obj).__name__}")
    raw = obj.to_numpy() if isinstance(obj, pd.Series) else np.asarray(obj if isinstance(obj, np.ndarray) else list(obj))
    if raw.ndim != 1:
        raise BadInput(f"{what} must be 1-D (one label per customer)")
    if n is not None and len(raw) != n:
        raise BadInput(f"{what} has {len(raw)} values but there are {n} customers (rows)")
    if raw.dtype.kind in "iub":
        uniques, codes = np.unique(raw, return_inverse=True)
    elif raw.dtype.kind == "f":
        if np.isnan(raw).any():
            raise BadInput(f"{what} contains missing (NaN) labels: every customer needs a segment")
        if np.all(raw == np.round(raw)):
            raw = raw.astype(np.int64)
        uniques, codes = np.unique(raw, return_inverse=True)
    else:
        values = pd.Series(raw, dtype=object)
        if values.isna().any():
            raise BadInput(f"{what} contains missing (NaN) labels: every customer needs a segment")
        codes, uniques = pd.factorize(values.astype(str), sort=True)
    return codes.astype(np.int64), [str(u) for u in uniques]


def customer_ids(df: pd.DataFrame) -> pd.Index | None:
    """The customer ids of a table (column ``customer_id`` or the index), as strings."""
    if "customer_id" in df.columns:
        return norm_ids(df["customer_id"])
    if df.index.name == "customer_id" or (df.index.dtype == object and len(df) > 0):
        return norm_ids(df.index)
    return None


def norm_ids(values: object) -> pd.Index:
    """Ids without padding: '00042', 42 and '42' are the same customer (numbers when all digits)."""
    idx = pd.Index(values)
    if idx.dtype.kind in "iu":
        return pd.Index(idx.astype(np.int64), name="customer_id")
    try:  # Index.astype is ~4x faster than pd.to_numeric on 23k strings
        return pd.Index(idx.astype(np.int64), name="customer_id")
    except (TypeError, ValueError, OverflowError):
        pass
    return pd.Index(idx.astype(str).str.strip(), name="customer_id")
