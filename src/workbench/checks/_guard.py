"""Tamper resistance: a snapshot of the namespaces the grading side relies on.

The notebook's first, read-only cell imports ``workbench.checks`` before any candidate code,
so the snapshot taken here holds the genuine functions. ``verify()`` (run by every
``grade()``) compares the live namespaces with it: rebinding ``np.allclose``, patching
``pandas.testing`` or replacing a function of this library is detected, whatever name the
candidate used. The snapshot lives in a closure, not in a module attribute.
"""

from __future__ import annotations

import builtins
import sys
import types
from collections.abc import Callable

import numpy as np
import numpy.linalg
import numpy.random
import pandas as pd
import pandas.testing
import sklearn.cluster
import sklearn.metrics
import sklearn.metrics.cluster
import sklearn.preprocessing
import matplotlib.artist
import matplotlib.axes
import matplotlib.collections
import matplotlib.container
import matplotlib.figure
import matplotlib.patches

from ._errors import TamperDetected

_WATCHED_MODULES = (
    builtins, np, numpy.linalg, numpy.random, pd, pandas.testing, sklearn.cluster,
    sklearn.metrics, sklearn.metrics.cluster, sklearn.preprocessing,
)
_WATCHED_CLASSES = (
    pd.DataFrame, pd.Series, pd.Index, sklearn.cluster.KMeans, sklearn.preprocessing.StandardScaler,
    matplotlib.axes.Axes, matplotlib.figure.Figure, matplotlib.artist.Artist,
    matplotlib.collections.Collection, matplotlib.patches.Rectangle, matplotlib.container.BarContainer,
)


def _fingerprint(value: object) -> tuple:
    """Identity of a namespace entry, including the code of functions (``f.__code__ = ...``)."""
    func = getattr(value, "__func__", value)
    if isinstance(func, types.FunctionType):
        return (id(func), id(func.__code__), id(func.__defaults__), id(func.__kwdefaults__))
    return (id(value),)


def _namespace(obj: object) -> dict[str, tuple]:
    return {name: _fingerprint(val) for name, val in list(vars(obj).items())}


def _own_objects() -> list[tuple[str, object]]:
    """This library's modules and the classes/functions they define."""
    found: list[tuple[str, object]] = []
    for name, mod in list(sys.modules.items()):
        if name == "workbench.checks" or name.startswith("workbench.checks."):
            found.append((name, mod))
            for attr, val in list(vars(mod).items()):
                if isinstance(val, type) and getattr(val, "__module__", "") == name:
                    found.append((f"{name}.{attr}", val))
    return found


def _make_guard() -> tuple[Callable[[], None], Callable[[], None]]:
    snapshot: dict[str, dict[str, tuple]] = {}
    modules: dict[str, int] = {}

    def take() -> None:
        """Record the namespaces (called once, at the end of the package import)."""
        if snapshot:
            return  # a second call must not bless a tampered state
        for mod in _WATCHED_MODULES:
            snapshot[mod.__name__] = _namespace(mod)
            modules[mod.__name__] = id(mod)
        for cls in _WATCHED_CLASSES:
            snapshot[f"{cls.__module__}.{cls.__qualname__}"] = _namespace(cls)
        for name, obj in _own_objects():
            snapshot[name] = _namespace(obj)
            if isinstance(obj, types.ModuleType):
                modules[name] = id(obj)

    def verify() -> None:
        """Raise :class:`TamperDetected` when a watched name no longer holds its original value."""
        live: dict[str, object] = {m.__name__: m for m in _WATCHED_MODULES}
        live.update({f"{c.__module__}.{c.__qualname__}": c for c in _WATCHED_CLASSES})
        for name, mod_id in modules.items():
            current = sys.modules.get(name)
            if current is None or id(current) != mod_id:
                _fail(name)
        live.update(dict(_own_objects()))
        for key, names in snapshot.items():
            obj = live.get(key)
            if obj is None:
                _fail(key)
            now = vars(obj)
            for attr, fp in names.items():
                if attr == "__warningregistry__" or (key == "builtins" and attr.startswith("_")):
                    continue  # IPython rebinds builtins._ on every displayed result
                if attr not in now or _fingerprint(now[attr]) != fp:
                    _fail(f"{key}.{attr}")
            for attr in now.keys() - names.keys():
                if not attr.startswith("__") and key.startswith("workbench.checks"):
                    _fail(f"{key}.{attr}")

    return take, verify


def _fail(where: str) -> None:
    raise TamperDetected(
        f"the grading environment was modified ({where} is not the original). "
        "Restart the kernel and run all cells without redefining library functions."
    )


take_snapshot, verify = _make_guard()
