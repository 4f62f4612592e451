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


def _make_check_class(verify: Callable[[], None], run: Callable[..., float]) -> type:
    """Build the Check class around closures, not module globals.

    ``verify``, ``run`` and the registry of parts are closure variables of the methods: replacing
    ``_core._run``/``_core.verify`` in the module, or a part stored on an instance, does not
    change what ``grade()`` runs (and the module change itself is detected by ``verify``).
    """
    parts: dict[str, tuple[Spec, Part, Part]] = {}

    class Check(metaclass=_FrozenType):
        """One check, run by a one-line call in a notebook.

        ``check(obj, **kw)`` runs the public part; ``grade(obj, **kw)`` verifies the kernel, runs
        the public then the hidden part and returns the points earned.
        """

        __slots__ = ("_id",)

        def __init__(self, spec: Spec, public: Part, hidden: Part) -> None:
            if spec.id in parts:
                raise ValueError(f"check {spec.id} is already registered")
            parts[spec.id] = (spec, public, hidden)
            object.__setattr__(self, "_id", spec.id)

        def __setattr__(self, name: str, value: object) -> None:
            raise AttributeError("checks are read-only")

        def __delattr__(self, name: str) -> None:
            raise AttributeError("checks are read-only")

        def __repr__(self) -> str:
            spec = parts[self._id][0]
            return f"<check {spec.id} ({spec.criterion}, {spec.points:g} pts)>"

        @property
        def id(self) -> str:
            return parts[self._id][0].id

        @property
        def criterion(self) -> str:
            return parts[self._id][0].criterion

        @property
        def points(self) -> float:
            return parts[self._id][0].points

        @property
        def title(self) -> str:
            return parts[self._id][0].title

        def hint(self) -> None:
            """Print a hint for the candidate (never the answer)."""
            print(f"💡 {parts[self._id][0].hint}")

        def check(self, *args: Any, **kwargs: Any) -> None:
            """Run the public part; print a confirmation or raise :class:`CheckFailed`."""
            spec, public, _ = parts[self._id]
            run(spec, public, args, kwargs)
            print(f"✔ {spec.id}: {spec.success}")

        def grade(self, *args: Any, **kwargs: Any) -> float:
            """Run the public and the hidden part; return the points earned (for nbgrader)."""
            verify()
            spec, public, hidden = parts[self._id]
            fraction = run(spec, public, args, kwargs)
            strict = run(spec, hidden, args, kwargs)
            verify()  # the candidate's objects ran code in between (properties, __array__ ...)
            score = round(spec.points * min(fraction, strict), 2)
            print(f"✔ {spec.id}: {spec.success} ({score:g}/{spec.points:g})")
            return score

    return Check


Check = _make_check_class(verify, _run)
