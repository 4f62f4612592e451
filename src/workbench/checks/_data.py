"""Scenario facts and reference data, read by the library itself (out of the candidate's reach).

The reference tables are recomputed from the dataset files at run time (never hard-coded) and
cached by a hash of their input, so repeated self-checks are instant.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import yaml

from workbench.errors import DataError
from workbench.paths import datasets_dir, grading_dir

from ._errors import BadInput
from ._inputs import norm_ids
from ._memo import make_memo

# Columns behind the answer-key categories that the checks need by name. The dictionary owned by
# workbench.datasets is preferred when it is importable; this is the fallback.
_FALLBACK_COLUMNS = {"target": ("Purchase",), "contact_details": ("email", "phone")}


@dataclass(frozen=True)
class Facts:
    """What the checks need from a scenario."""

    id: str
    dataset: str
    relevant: frozenset[str]
    neutral: frozenset[str]
    personal: frozenset[str]
    leakage: frozenset[str]
    leakage_columns: frozenset[str]
    features: tuple[str, ...]
    transform: str
    k: int
    k_range: tuple[int, int]
    random_state: int
    value_feature: str
    min_segment_share: float
    snapshot_date: pd.Timestamp | None

    dictionary: frozenset[str] = frozenset()
    # categories whose *omission* must be argued too: identifying/contact data, special-category
    # data (GDPR art. 9) and the target -- read from the dictionary candidates see
    sensitive: frozenset[str] = frozenset()

    @property
    def known(self) -> frozenset[str]:
        return self.relevant | self.neutral | self.personal | self.leakage | self.dictionary


@lru_cache(maxsize=8)
def facts(scenario: str) -> Facts:
    """Read ``grading/scenarios/<scenario>.yml``; an unknown id is a :class:`BadInput`."""
    if not isinstance(scenario, str) or not scenario.replace("_", "").isalnum():
        raise BadInput(f"scenario must be a scenario id such as 'cdnow_winback', not {scenario!r}")
    folder = grading_dir() / "scenarios"
    if not folder.is_dir():
        # an installation fault, not the candidate's: not an AssertionError, so it is not scored as one
        raise DataError("the grading rules are not readable here; the autograder must mount "
                        "grading/ and datasets/ read-only", where=str(folder))
    path = folder / f"{scenario}.yml"
    if not path.is_file():
        raise BadInput(f"unknown scenario {scenario!r}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    key, ref = data["answer_key"], data["reference_segmentation"]
    leakage = frozenset(key.get("leakage") or {})
    snap = data.get("snapshot_date")
    return Facts(
        id=scenario, dataset=data["dataset"],
        relevant=frozenset(key.get("relevant") or {}), neutral=frozenset(key.get("neutral") or {}),
        personal=frozenset(key.get("personal_without_purpose") or {}), leakage=leakage,
        leakage_columns=frozenset(c for cat in leakage for c in _columns_of(scenario, cat)),
        features=tuple(ref["features"]), transform=str(ref.get("transform", "none")),
        k=int(ref["k"]), k_range=(int(ref["k_range"][0]), int(ref["k_range"][1])),
        random_state=int(ref.get("random_state", 0)), value_feature=str(ref["value_feature"]),
        min_segment_share=float(ref["min_segment_share"]),
        snapshot_date=pd.Timestamp(snap) if snap else None, dictionary=_dictionary(data["dataset"]),
        sensitive=_sensitive(data["dataset"], key),
    )


def _sensitive(dataset: str, key: dict) -> frozenset[str]:
    try:
        from workbench.datasets import load_dictionary

        table = load_dictionary(dataset)
        flagged = table["kind"].isin(["identity_contact", "target"]) | table["special_category"].astype(bool)
        return frozenset(table.loc[flagged, "category"])
    except Exception:  # noqa: BLE001 - without the dictionary: the answer key's personal and leakage
        return frozenset(key.get("personal_without_purpose") or {}) | frozenset(key.get("leakage") or {})


def _dictionary(dataset: str) -> frozenset[str]:
    """The dataset's category names from the data dictionary (workbench.datasets), if available."""
    try:
        from workbench.datasets import categories

        return frozenset(categories(dataset))
    except Exception:  # noqa: BLE001 - the answer key alone still names every category
        return frozenset()


def preload() -> None:
    """Read every scenario and reference table now (package import, before any candidate code
    runs): the references cannot be altered by the candidate first, and the first self-check is
    as fast as the next ones."""
    try:
        for path in sorted((grading_dir() / "scenarios").glob("*.yml")):
            f = facts(path.stem)
            if f.dataset == "cdnow" and f.snapshot_date is not None:
                rfm_variants(None, f.snapshot_date)
            elif f.dataset == "caravan":
                caravan_customers()
    except Exception:  # noqa: BLE001 - reported, with a clear message, when a check needs it
        pass


def _columns_of(scenario: str, category: str) -> tuple[str, ...]:
    try:  # the scenarios package (H1) knows the data dictionary
        from workbench.scenarios import load_scenario  # type: ignore[import-not-found]

        return tuple(load_scenario(scenario).columns_of(category))
    except Exception:  # noqa: BLE001 - not there yet, or no such category: use the fallback
        return _FALLBACK_COLUMNS.get(category, ())


def frame_hash(obj: pd.DataFrame | pd.Series | np.ndarray) -> str:
    """A content hash used as cache key for reference recomputations."""
    h = hashlib.blake2b(digest_size=16)
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        h.update(pd.util.hash_pandas_object(obj, index=True).to_numpy().tobytes())
        cols = list(obj.columns) if isinstance(obj, pd.DataFrame) else [obj.name]
        h.update(repr(cols).encode())
    else:
        arr = np.ascontiguousarray(obj)
        h.update(repr((arr.shape, arr.dtype.str)).encode())
        h.update(arr.tobytes())
    return h.hexdigest()


def _dataset_file(dataset: str, name: str):
    path = datasets_dir() / dataset / name
    if not path.is_file():
        raise DataError("the dataset file is not readable here; the autograder must mount "
                        "datasets/ read-only", where=str(path))
    return path


_memo = make_memo()

try:  # captured at import: the verified loaders of workbench.datasets (checksums, schema)
    from workbench.datasets import load_caravan as _load_caravan
    from workbench.datasets import load_cdnow_transactions as _load_cdnow
except ImportError:  # pragma: no cover - the datasets package is part of the workbench
    _load_caravan = _load_cdnow = None


def cdnow_transactions() -> pd.DataFrame:
    """The CDNOW transactions through the verified loader (checksum + schema), a copy."""
    def read() -> pd.DataFrame:
        if _load_cdnow is not None:
            return _load_cdnow()
        df = pd.read_csv(_dataset_file("cdnow", "CDNOW_master.txt"), sep=r"\s+",
                         dtype={"customer_id": str, "date": str})
        df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")
        return df

    return _memo("cdnow", read)


def caravan_customers() -> pd.DataFrame:
    """The Caravan table with the ``C00001``-style ids, through the verified loader, a copy."""
    def read() -> pd.DataFrame:
        if _load_caravan is not None:
            return _load_caravan()
        df = pd.read_csv(_dataset_file("caravan", "caravan.csv"))
        df.insert(0, "customer_id", [f"C{i:05d}" for i in range(1, len(df) + 1)])
        return df

    return _memo("caravan", read)


def rfm_variants(transactions: pd.DataFrame | None, snapshot: pd.Timestamp) -> dict[str, pd.Series]:
    """Every accepted definition of recency/frequency/monetary, indexed by customer id.

    ``transactions=None`` means the dataset file. Keys: ``recency_days``, ``frequency:rows``,
    ``frequency:dedup``, ``frequency:days``, ``monetary:rows``, ``monetary:dedup``.
    """
    source = "dataset" if transactions is None else frame_hash(transactions)

    def compute() -> dict[str, pd.Series]:
        tx = clean_transactions(cdnow_transactions() if transactions is None else transactions)
        dedup = tx.drop_duplicates()
        g, gd = tx.groupby("customer_id", sort=True), dedup.groupby("customer_id", sort=True)
        return {
            "recency_days": (snapshot - g["date"].max()).dt.days.astype(float),
            "frequency:rows": g.size().astype(float),
            "frequency:dedup": gd.size().astype(float),
            "frequency:days": g["date"].nunique().astype(float),
            "monetary:rows": g["dollar_value"].sum().astype(float),
            "monetary:dedup": gd["dollar_value"].sum().astype(float),
        }

    return _memo(("rfm", source, str(snapshot)), compute)


def clean_transactions(transactions: pd.DataFrame) -> pd.DataFrame:
    """Parse dates and drop rows with a missing id, date or value (the accepted cleaning)."""
    need = ["customer_id", "date", "dollar_value"]
    missing = [c for c in need if c not in transactions.columns]
    if missing:
        raise BadInput(f"the transactions lack the column(s) {missing}")
    tx = transactions[need].copy()
    tx["customer_id"] = norm_ids(tx["customer_id"]).to_numpy()
    if not pd.api.types.is_datetime64_any_dtype(tx["date"]):
        tx["date"] = pd.to_datetime(tx["date"].astype(str), format="%Y%m%d", errors="coerce")
    tx["dollar_value"] = pd.to_numeric(tx["dollar_value"], errors="coerce")
    return tx.dropna()


def reference_rfm(snapshot: pd.Timestamp) -> pd.DataFrame:
    """The canonical RFM table (all rows kept) from the dataset file, indexed by customer id."""
    v = rfm_variants(None, snapshot)
    return pd.DataFrame({"recency_days": v["recency_days"], "frequency": v["frequency:rows"],
                         "monetary": v["monetary:rows"]})
