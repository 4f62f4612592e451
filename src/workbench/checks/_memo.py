"""Sealed caches: reference recomputations kept out of the candidate's reach.

The store lives in a closure (not a module attribute) and holds read-only copies; every read
returns a fresh copy, so mutating a returned table cannot alter what the next grade compares with.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import pandas as pd


def _freeze(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        arr = value.copy()
        arr.setflags(write=False)
        return ("nd", arr)
    if isinstance(value, pd.Series):
        return ("series", _freeze(value.to_numpy()), value.index.copy(), value.name)
    if isinstance(value, pd.DataFrame):
        return ("frame", tuple((c, _freeze(value[c].to_numpy())) for c in value.columns), value.index.copy())
    if isinstance(value, dict):
        return ("dict", tuple((k, _freeze(v)) for k, v in value.items()))
    return ("plain", value)


def _thaw(frozen: tuple) -> Any:
    kind = frozen[0]
    if kind == "nd":
        return frozen[1].copy()
    if kind == "series":
        return pd.Series(_thaw(frozen[1]), index=frozen[2].copy(), name=frozen[3])
    if kind == "frame":
        return pd.DataFrame({c: _thaw(v) for c, v in frozen[1]}, index=frozen[2].copy())
    if kind == "dict":
        return {k: _thaw(v) for k, v in frozen[1]}
    return frozen[1]


def make_memo(maxsize: int = 32) -> Callable[[Hashable, Callable[[], Any]], Any]:
    """A ``memo(key, compute)`` function: compute once per key, return a copy every time."""
    store: dict[Hashable, tuple] = {}

    def memo(key: Hashable, compute: Callable[[], Any]) -> Any:
        if key not in store:
            if len(store) >= maxsize:
                store.pop(next(iter(store)))
            store[key] = _freeze(compute())
        return _thaw(store[key])

    return memo
