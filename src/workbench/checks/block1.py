"""Block 1's checks, one read-only attribute per check: ``block1.categories.check(...)``.

The module is frozen: ``block1.categories = ...`` raises.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from pathlib import Path
from types import MappingProxyType

import yaml

from ._core import Check, Spec


def _build() -> MappingProxyType:
    data = yaml.safe_load((Path(__file__).parent / "checks.yml").read_text(encoding="utf-8"))
    checks = {}
    for item in data["checks"]:
        module, name = item["impl"].rsplit(".", 1)
        mod = import_module(f"workbench.checks.{module}")
        spec = Spec(id=item["id"], criterion=item["criterion"], points=float(item["points"]),
                    title=item["title"], hint=item["hint"], success=item["success"])
        checks[item["attr"]] = Check(spec, getattr(mod, f"{name}_public"), getattr(mod, f"{name}_hidden"))
    return MappingProxyType(checks)


BY_ATTR = _build()
categories = BY_ATTR["categories"]
analysis_table = BY_ATTR["analysis_table"]
justifications = BY_ATTR["justifications"]
segmentation = BY_ATTR["segmentation"]
profiles = BY_ATTR["profiles"]
target_names = BY_ATTR["target_names"]
figure_clarity = BY_ATTR["figure_clarity"]
figure_adequacy = BY_ATTR["figure_adequacy"]


def profiles_vocabulary() -> None:
    """Compile the segment-name vocabulary (called at package import)."""
    import_module("workbench.checks.profiles")._vocabulary()


class _FrozenModule(types.ModuleType):
    """A module whose attributes cannot be rebound or deleted."""

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{self.__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{self.__name__} is read-only")


def freeze(name: str) -> None:
    """Make module ``name`` read-only (called once the package is fully imported)."""
    sys.modules[name].__class__ = _FrozenModule
