"""The declarative check: id, criterion, points, public and hidden parts, hint.

A check object is frozen (its class too): ``block1.categories.grade = ...`` raises. Every run
is quiet: warnings are silenced, stderr is swallowed, and any unexpected exception from the
candidate's object becomes a :class:`BadInput` with a message for the candidate.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from threadpoolctl import ThreadpoolController

from workbench.errors import WorkbenchError

from ._errors import BadInput, CheckFailed
from ._guard import verify

Part = Callable[..., "float | None"]

# Inspecting the loaded BLAS/OpenMP libraries costs ~15 ms: do it once, at import.
_THREADS = ThreadpoolController()


class _FrozenType(type):
    """Metaclass refusing attribute (re)binding on the class after creation."""

    def __setattr__(cls, name: str, value: object) -> None:
        raise AttributeError(f"{cls.__name__} is read-only")

    def __delattr__(cls, name: str) -> None:
        raise AttributeError(f"{cls.__name__} is read-only")


@dataclass(frozen=True)
class Spec:
    """What a check is: the data part (id, criterion, points, texts)."""

    id: str
    criterion: str
    points: float
    title: str
    hint: str
    success: str


class Check(metaclass=_FrozenType):
    """One check, run by a one-line call in a notebook.

    ``check(obj, **kw)`` runs the public part; ``grade(obj, **kw)`` verifies the kernel, runs
    the public then the hidden part and returns the points earned.
    """

    __slots__ = ("_spec", "_public", "_hidden")

    def __init__(self, spec: Spec, public: Part, hidden: Part) -> None:
        object.__setattr__(self, "_spec", spec)
        object.__setattr__(self, "_public", public)
        object.__setattr__(self, "_hidden", hidden)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("checks are read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("checks are read-only")

    def __repr__(self) -> str:
        return f"<check {self._spec.id} ({self._spec.criterion}, {self._spec.points:g} pts)>"

    @property
    def id(self) -> str:
        return self._spec.id

    @property
    def criterion(self) -> str:
        return self._spec.criterion

    @property
    def points(self) -> float:
        return self._spec.points

    @property
    def title(self) -> str:
        return self._spec.title

    def hint(self) -> None:
        """Print a hint for the candidate (never the answer)."""
        print(f"💡 {self._spec.hint}")

    def check(self, *args: Any, **kwargs: Any) -> None:
        """Run the public part; print a confirmation or raise :class:`CheckFailed`."""
        _run(self._spec, self._public, args, kwargs)
        print(f"✔ {self._spec.id}: {self._spec.success}")

    def grade(self, *args: Any, **kwargs: Any) -> float:
        """Run the public and the hidden part; return the points earned (for nbgrader)."""
        verify()
        fraction = _run(self._spec, self._public, args, kwargs)
        hidden = _run(self._spec, self._hidden, args, kwargs)
        verify()  # the candidate's objects ran code in between (properties, __array__ ...)
        score = round(self._spec.points * min(fraction, hidden), 2)
        print(f"✔ {self._spec.id}: {self._spec.success} ({score:g}/{self._spec.points:g})")
        return score


def _run(spec: Spec, part: Part, args: tuple, kwargs: dict) -> float:
    """Run one part quietly; translate every failure into a candidate message."""
    sink = io.StringIO()
    try:
        # one BLAS/OpenMP thread: on a shared 2-core machine oversubscription is several times slower
        with warnings.catch_warnings(), contextlib.redirect_stderr(sink), _THREADS.limit(limits=1):
            warnings.simplefilter("ignore")
            result = part(*args, **kwargs)
    except CheckFailed as exc:
        raise type(exc)(exc.message, check_id=spec.id) from None
    except WorkbenchError:
        raise  # an installation fault (rules or data unreadable): not the candidate's, not scored
    except TypeError as exc:
        # a wrong call (missing or unknown keyword): name the expected arguments
        raise BadInput(f"wrong arguments for this check ({exc}); see its documentation",
                       check_id=spec.id) from None
    except Exception as exc:  # noqa: BLE001 - anything else comes from the candidate's object
        raise BadInput(f"your input could not be read ({type(exc).__name__}: {exc})",
                       check_id=spec.id) from None
    return 1.0 if result is None else float(result)
