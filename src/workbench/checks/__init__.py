"""Block-1 checks: data collection, segmentation and figures, for self-checks and autograding.

Import this module in the notebook's first, read-only cell, before any candidate code::

    from workbench.checks import block1
    block1.categories.check(chosen, scenario="cdnow_winback")   # self-check
    block1.categories.grade(chosen, scenario="cdnow_winback")   # nbgrader test cell

See docs/checks.md.
"""

from __future__ import annotations

import sys as _sys
from types import MappingProxyType as _Proxy

from ._errors import BadInput, CheckFailed, TamperDetected
from . import block1
from ._guard import take_snapshot as _take_snapshot
from ._data import preload as _preload

_preload()
block1.profiles_vocabulary()  # compile the name vocabulary now: the first self-check stays instant

CHECKS = _Proxy({c.id: c for c in block1.BY_ATTR.values()})


def get(check_id: str):
    """The check with id ``check_id`` (e.g. ``"segment.quality"``)."""
    try:
        return CHECKS[check_id]
    except KeyError:
        raise BadInput(f"no check {check_id!r}; known: {sorted(CHECKS)}") from None


__all__ = ["BadInput", "CHECKS", "CheckFailed", "TamperDetected", "block1", "get"]

for _name in [n for n in _sys.modules if n == __name__ or n.startswith(__name__ + ".")]:
    block1.freeze(_name)
_take_snapshot()
