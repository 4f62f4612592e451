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


_WRAPPERS = (staticmethod, classmethod, types.MethodType)


def _entry(value: object) -> tuple:
    """What must stay identical: the object, and for functions their code and defaults."""
    func = value.__func__ if type(value) in _WRAPPERS else value
    if isinstance(func, types.FunctionType):
        return (value, func.__code__, func.__defaults__, func.__kwdefaults__)
    return (value,)


def _same(value: object, entry: tuple) -> bool:
    # no builtin is called here: verify() must work even when builtins were rebound
    if value is not entry[0]:
        return False
    if not entry[1:]:
        return True
    func = value.__func__ if type(value) in _WRAPPERS else value
    return (func.__code__ is entry[1] and func.__defaults__ is entry[2]
            and func.__kwdefaults__ is entry[3])


# Packages the references are read through (verified loaders, scenario rules): watched for
# changed or removed names (they may add cache entries of their own, so additions are allowed).
_ALLIES = ("workbench.datasets", "workbench.scenarios", "workbench.paths", "workbench.errors")


def _own_objects(prefixes: tuple[str, ...] = ("workbench.checks",)) -> list[tuple[str, object]]:
    """The modules under ``prefixes`` and the classes they define."""
    found: list[tuple[str, object]] = []
    for name, mod in list(sys.modules.items()):
        if mod is not None and any(name == p or name.startswith(p + ".") for p in prefixes):
            found.append((name, mod))
            for attr, val in list(vars(mod).items()):
                if isinstance(val, type) and getattr(val, "__module__", "") == name:
                    found.append((f"{name}.{attr}", val))
    return found


# The builtins the checks compute with. Others are rebound legitimately: ipykernel replaces
# input/getpass on every request, IPython rebinds _ after every displayed result.
_BUILTINS = frozenset({
    "abs", "all", "any", "bool", "dict", "enumerate", "float", "frozenset", "getattr", "hasattr",
    "id", "int", "isinstance", "issubclass", "iter", "len", "list", "map", "max", "min", "next",
    "object", "range", "repr", "round", "set", "sorted", "str", "sum", "tuple", "type", "vars", "zip",
})


def _ignored(key: str, attr: str) -> bool:
    return attr == "__warningregistry__" or (key == "builtins" and attr not in _BUILTINS)


def _make_guard() -> tuple[Callable[[], None], Callable[[], None]]:
    # (key, live object, {attr: entry}) -- strong references to the originals, kept in this closure
    snapshot: list[tuple[str, object, dict[str, tuple]]] = []
    modules: list[tuple[str, object]] = []

    def take() -> None:
        """Record the namespaces (called once, at the end of the package import)."""
        if snapshot:
            return  # a second call must not bless a tampered state
        owners = [(m.__name__, m) for m in _WATCHED_MODULES]
        owners += [(f"{c.__module__}.{c.__qualname__}", c) for c in _WATCHED_CLASSES]
        owners += _own_objects()
        owners += _own_objects(_ALLIES)
        for key, obj in owners:
            entries = {a: _entry(v) for a, v in list(vars(obj).items()) if not _ignored(key, a)}
            snapshot.append((key, obj, entries))
            if isinstance(obj, types.ModuleType):
                modules.append((key, obj))

    def verify() -> None:
        """Raise :class:`TamperDetected` when a watched name no longer holds its original value."""
        for name, mod in modules:
            if sys.modules.get(name) is not mod:
                _fail(name)
        for key, obj, entries in snapshot:
            now = obj.__dict__
            for attr, entry in entries.items():
                if attr not in now or not _same(now[attr], entry):
                    _fail(f"{key}.{attr}")
            if key.startswith("workbench.checks") and now.__len__() != entries.__len__():
                for attr in now:
                    if attr not in entries and not attr.startswith("__"):
                        _fail(f"{key}.{attr}")

    return take, verify


def _fail(where: str) -> None:
    raise TamperDetected(
        f"the grading environment was modified ({where} is not the original). "
        "Restart the kernel and run all cells without redefining library functions."
    )


take_snapshot, verify = _make_guard()
