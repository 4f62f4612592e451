"""Answers handed over by a candidate's process: value-only encoding, one encoder, one reader.

A judged test cell never runs in the candidate's process. At its place in the notebook, the
child *hands over* the notebook variables the cell names; the judge, outside the sandbox,
decodes them and decides the points. The encoding carries values only, never code:

* JSON for None, booleans, numbers, strings, lists and dicts with string keys;
* ``.npy`` bytes read with ``allow_pickle=False`` for arrays (numbers, booleans, dates, text),
  and for the index and columns of pandas Series and DataFrames;
* a figure is a reference to an SVG the notebook displayed (its SHA-256): the judge takes the
  SVG from the notebook's own outputs, so what is graded is what the reader sees.

In a batch, each distinct ``.npy`` blob of a notebook crosses the wire once
(:class:`BlobSender`): a hand-over names it ``@<digest>`` and carries only the blobs not sent
before (three test cells reading the same 23,000-row table send it once). The judge resolves
the names within that notebook's hand-overs only (:class:`BlobTable`); a name it cannot resolve
is an altered answer.

Everything the child sends is untrusted: a forged or altered answer can only ever be a
*different answer*. :func:`decode` checks every field and raises
:class:`~workbench_candidate.outcome.BadAnswer` with a candidate-facing line.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench_candidate.outcome import BadAnswer

MAX_ANSWER_BYTES = 64 * 1024**2  # a whole hand-over (CDNOW's tables are ~2 MB)
MAX_ITEMS = 200_000
MAX_DEPTH = 6
_ARRAY_KINDS = set("biufUMm")  # numbers, booleans, text, dates, durations: never objects


class _TooBig(Exception):
    pass


class AlteredAnswer(BadAnswer):
    """A hand-over no honest child produces (malformed document, forged blob): scored 0 and
    sent for review."""


class Budget:
    """Bytes left for one hand-over (shared by every value of a test cell)."""

    def __init__(self, limit: int = MAX_ANSWER_BYTES) -> None:
        self.left = limit

    def take(self, nbytes: int) -> None:
        self.left -= nbytes
        if self.left < 0:
            raise _TooBig


# -- encoder (runs in the candidate's child: whatever it sends is only an answer) ----------------
class BlobSender:
    """The ``.npy`` blobs one notebook's hand-overs have sent: each is sent once, then named."""

    def __init__(self) -> None:
        self.sent: set[str] = set()
        self.new: dict[str, str] = {}

    def put(self, data: bytes, budget: Budget) -> str:
        digest = hashlib.blake2b(data, digest_size=20).hexdigest()
        if digest not in self.sent:
            budget.take(len(data) * 4 // 3)
            self.sent.add(digest)
            self.new[digest] = base64.b64encode(data).decode("ascii")
        return "@" + digest

    def flush(self) -> dict[str, str]:
        """The blobs added since the last flush (they travel with this hand-over)."""
        new, self.new = self.new, {}
        return new

    def drop(self) -> None:
        """Forget the blobs of a hand-over that is not sent (it was too big)."""
        self.sent.difference_update(self.new)
        self.new = {}


def _npy(arr: np.ndarray, budget: Budget, sender: BlobSender | None = None) -> str:
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(arr), allow_pickle=False)
    data = buf.getvalue()
    if sender is not None:
        return sender.put(data, budget)
    budget.take(len(data) * 4 // 3)
    return base64.b64encode(data).decode("ascii")


def _plain_array(values: Any) -> np.ndarray:
    """A numpy array without Python objects (text columns become fixed-width unicode)."""
    arr = np.asarray(values)
    if arr.dtype.kind == "O":
        items = arr.ravel().tolist()
        if all(isinstance(x, str) for x in items):
            arr = np.asarray(items, dtype=str).reshape(arr.shape)
        elif all(isinstance(x, (bool, int, float, np.number, np.bool_)) or x is None for x in items):
            arr = np.asarray([np.nan if x is None else x for x in items], dtype=float).reshape(arr.shape)
        else:
            arr = np.asarray([str(x) for x in items], dtype=str).reshape(arr.shape)
    if arr.dtype.kind not in _ARRAY_KINDS:
        raise TypeError(f"array of {arr.dtype}")
    return arr


def _frame_column(series: Any) -> np.ndarray:
    dtype = str(series.dtype)
    if dtype == "category":
        return _plain_array(series.astype(str).to_numpy())
    if dtype in ("Int64", "Int32", "Float64", "boolean"):
        return series.to_numpy(dtype=float, na_value=np.nan)
    if dtype in ("string", "str"):
        return _plain_array(series.astype(object).where(series.notna(), "").to_numpy())
    return _plain_array(series.to_numpy())


def encode_value(value: Any, *, figures: dict[int, str] | None = None, budget: Budget | None = None,
                 sender: BlobSender | None = None, depth: int = 0) -> dict:
    """One notebook value as a value-only document (``{"t": kind, ...}``); with ``sender``, its
    arrays are named blobs (see :class:`BlobSender`), else inline base64."""
    budget = budget or Budget()
    kw = {"figures": figures, "budget": budget, "sender": sender}

    def npy(arr: np.ndarray) -> str:
        return _npy(arr, budget, sender)
    import pandas as pd

    if depth > MAX_DEPTH:
        return {"t": "unsupported", "type": "nesting too deep"}
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, str):
            budget.take(len(value))
        return {"t": "json", "v": value if not isinstance(value, float) or np.isfinite(value) else repr(value),
                "nf": isinstance(value, float) and not np.isfinite(value)}
    if isinstance(value, np.generic):
        return encode_value(value.item(), **kw, depth=depth)
    fig = _figure_of(value)
    if fig is not None:
        return {"t": "figure", "sha256": (figures or {}).get(id(fig))}
    if isinstance(value, pd.DataFrame):
        if isinstance(value.columns, pd.MultiIndex) or isinstance(value.index, pd.MultiIndex):
            return {"t": "unsupported", "type": "DataFrame with a MultiIndex"}
        return {"t": "frame", "columns": npy(_plain_array(value.columns.to_numpy())),
                "index": npy(_plain_array(value.index.to_numpy())),
                "index_name": None if value.index.name is None else str(value.index.name),
                "data": [npy(_frame_column(value.iloc[:, i])) for i in range(value.shape[1])]}
    if isinstance(value, pd.Series):
        if isinstance(value.index, pd.MultiIndex):
            return {"t": "unsupported", "type": "Series with a MultiIndex"}
        return {"t": "series", "name": None if value.name is None else str(value.name),
                "index": npy(_plain_array(value.index.to_numpy())),
                "values": npy(_frame_column(value))}
    if isinstance(value, pd.Index):
        return {"t": "array", "npy": npy(_plain_array(value.to_numpy()))}
    if isinstance(value, np.ndarray):
        return {"t": "array", "npy": npy(_plain_array(value))}
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS or not all(isinstance(k, (str, int, np.integer)) for k in value):
            return {"t": "unsupported", "type": "dict with non-text keys"}
        return {"t": "dict", "items": [[str(k), encode_value(v, **kw, depth=depth + 1)]
                                       for k, v in value.items()]}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        if isinstance(value, (set, frozenset)):
            items = sorted(items, key=repr)
        if len(items) > MAX_ITEMS:
            return {"t": "unsupported", "type": "list too long"}
        return {"t": "list", "items": [encode_value(v, **kw, depth=depth + 1) for v in items]}
    return {"t": "unsupported", "type": type(value).__name__[:80]}


def _figure_of(value: Any) -> Any:
    """The matplotlib Figure behind a Figure, an Axes or a seaborn grid, else None."""
    try:
        from matplotlib.axes import Axes
        from matplotlib.figure import Figure, SubFigure
    except ImportError:  # pragma: no cover - matplotlib is always there in a grading child
        return None
    if isinstance(value, Figure):
        return value
    if isinstance(value, (Axes, SubFigure)):
        return value.figure
    for attr in ("figure", "fig"):
        fig = getattr(type(value), attr, None) is not None and getattr(value, attr, None)
        if isinstance(fig, Figure):
            return fig
    return None


def encode_answers(names: list[str], namespace: dict, *, figures: dict[int, str] | None = None,
                   sender: BlobSender | None = None) -> dict:
    """The hand-over of one test cell: each named variable, or why it could not be sent."""
    budget = Budget()
    values: dict[str, Any] = {}
    for name in names:
        if name not in namespace:
            values[name] = {"t": "missing"}
            continue
        try:
            values[name] = encode_value(namespace[name], figures=figures, budget=budget, sender=sender)
        except _TooBig:
            values = {n: {"t": "too_big"} for n in names}
            if sender is not None:
                sender.drop()
            break
        except Exception as exc:  # noqa: BLE001 - the candidate's object misbehaved: not sendable
            values[name] = {"t": "unsupported", "type": f"{type(exc).__name__}"[:80]}
    return values


def svg_sha256(svg: str | list[str]) -> str:
    """How a displayed SVG is named in a hand-over (nbformat may store text as a list of lines)."""
    text = "".join(svg) if isinstance(svg, list) else svg
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- reader (runs in the judge: the document is untrusted) --------------------------------------
def _unreadable(what: str) -> AlteredAnswer:
    return AlteredAnswer(f"the answer {what} was altered and cannot be read",
                         f"la réponse {what} a été altérée et ne peut pas être lue")


def _read_npy(blob: Any) -> np.ndarray | None:
    """An inline base64 ``.npy`` blob, or None when it cannot be read."""
    if not isinstance(blob, str) or len(blob) > MAX_ANSWER_BYTES * 2:
        return None
    try:
        arr = np.load(io.BytesIO(base64.b64decode(blob, validate=True)), allow_pickle=False)
    except Exception:  # noqa: BLE001 - any fault of a forged blob
        return None
    if not isinstance(arr, np.ndarray) or arr.dtype.kind not in _ARRAY_KINDS:
        return None
    return arr


@dataclass
class Handovers:
    """What a notebook's child handed over: each judged cell's answer document (untrusted),
    and the named blobs those documents refer to."""

    values: dict[int, Any] = field(default_factory=dict)
    blobs: dict[str, str] = field(default_factory=dict)


class BlobTable:
    """The blobs a notebook's hand-overs carried (untrusted), each decoded once when named."""

    def __init__(self, blobs: dict[str, str] | None = None) -> None:
        self.blobs = blobs or {}
        self.read: dict[str, np.ndarray | None] = {}

    def array(self, digest: str) -> np.ndarray | None:
        if digest not in self.read:
            self.read[digest] = _read_npy(self.blobs.get(digest))
        found = self.read[digest]
        # a copy: the same blob may feed several cells, and a rule may work in place
        return None if found is None else found.copy()


def _load_npy(blob: Any, what: str, blobs: BlobTable | None = None) -> np.ndarray:
    if isinstance(blob, str) and blob.startswith("@"):
        arr = blobs.array(blob[1:]) if blobs is not None else None
    else:
        arr = _read_npy(blob)
    if arr is None:
        raise _unreadable(what)
    return arr


def _label(name: str) -> str:
    return f"`{name}`"


def decode_value(doc: Any, name: str, *, figure_svg: Mapping[str, str] | None = None,
                 blobs: BlobTable | None = None, depth: int = 0) -> Any:
    """Rebuild the value of the variable ``name``; :class:`BadAnswer` when it cannot be read.

    ``figure_svg`` maps the SHA-256 of each SVG the notebook displayed (before the test cell) to
    its text: a figure answer resolves only to one of those. ``blobs``: the named blobs of the
    notebook's hand-overs.
    """
    import pandas as pd

    def npy(blob: Any) -> np.ndarray:
        return _load_npy(blob, what, blobs)

    what = _label(name)
    if not isinstance(doc, dict) or depth > MAX_DEPTH:
        raise _unreadable(what)
    kind = doc.get("t")
    if kind == "missing":
        raise BadAnswer(f"{what} is not defined when this test cell runs",
                        f"{what} n'est pas défini quand cette cellule de test s'exécute")
    if kind == "too_big":
        limit = MAX_ANSWER_BYTES // 1024**2
        raise BadAnswer(f"{what} and the other objects this cell reads exceed {limit} MB together: hand over "
                        "the object the instructions ask for (e.g. one row per customer), not more",
                        f"{what} et les autres objets lus par cette cellule dépassent {limit} Mo : donnez "
                        "l'objet demandé par la consigne (par ex. une ligne par client), pas davantage")
    if kind == "unsupported":
        shown = str(doc.get("type"))[:80]
        raise BadAnswer(f"{what} cannot be graded ({shown}): expected a list, dict, DataFrame, Series, "
                        "array or figure, of the size the instructions ask for",
                        f"{what} ne peut pas être noté ({shown}) : attendu une liste, un dict, un DataFrame, "
                        "une Series, un tableau ou une figure, de la taille demandée")
    if kind == "json":
        value = doc.get("v")
        if doc.get("nf") is True:
            try:
                return float(value)
            except (TypeError, ValueError):
                raise _unreadable(what) from None
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
    elif kind == "array":
        return npy(doc.get("npy"))
    elif kind == "list":
        items = doc.get("items")
        if isinstance(items, list) and len(items) <= MAX_ITEMS:
            return [decode_value(v, name, figure_svg=figure_svg, blobs=blobs, depth=depth + 1) for v in items]
    elif kind == "dict":
        items = doc.get("items")
        if isinstance(items, list) and len(items) <= MAX_ITEMS and all(
                isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in items):
            return {k: decode_value(v, name, figure_svg=figure_svg, blobs=blobs, depth=depth + 1) for k, v in items}
    elif kind == "series":
        index, values = npy(doc.get("index")), npy(doc.get("values"))
        label = doc.get("name")
        if index.ndim == 1 and values.ndim == 1 and len(index) == len(values) and (label is None or isinstance(label, str)):
            return pd.Series(values, index=pd.Index(index), name=label)
    elif kind == "frame":
        columns, index = npy(doc.get("columns")), npy(doc.get("index"))
        data = doc.get("data")
        label = doc.get("index_name")
        if (columns.ndim == 1 and index.ndim == 1 and isinstance(data, list) and len(data) == len(columns)
                and (label is None or isinstance(label, str))):
            cols = [npy(blob) for blob in data]
            if all(c.ndim == 1 and len(c) == len(index) for c in cols):
                frame = pd.DataFrame({i: c for i, c in enumerate(cols)}, index=pd.Index(index, name=label))
                frame.columns = pd.Index(columns)
                return frame
    elif kind == "figure":
        sha = doc.get("sha256")
        svg = (figure_svg or {}).get(sha) if isinstance(sha, str) else None
        if svg is None:
            raise BadAnswer(f"{what} is not a figure this notebook displayed: draw it in a cell above "
                            "and let the cell display it (do not close it before)",
                            f"{what} n'est pas une figure affichée par ce notebook : tracez-la dans une "
                            "cellule au-dessus et laissez la cellule l'afficher (sans la fermer avant)")
        return svg
    raise _unreadable(what)
