"""Real-data fixtures for the check tests (CDNOW and Caravan, read from datasets/)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

import workbench.checks  # noqa: F401 - imported first, like the notebook's read-only cell

SNAPSHOT = pd.Timestamp("1998-07-01")


@pytest.fixture(scope="session", autouse=True)
def _one_blas_thread():
    """The tests' own k-means runs: one thread is several times faster on the shared 2-core box."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        yield
RFM = ["recency_days", "frequency", "monetary"]


def _load_transactions(repo) -> pd.DataFrame:
    """The CDNOW transactions as a candidate gets them (workbench.datasets when it exists)."""
    try:
        from workbench.datasets import load_cdnow_transactions

        return load_cdnow_transactions()
    except ImportError:  # tiny local shim until the datasets package lands
        tx = pd.read_csv(repo / "datasets/cdnow/CDNOW_master.txt", sep=r"\s+",
                         dtype={"customer_id": str, "date": str})
        tx["date"] = pd.to_datetime(tx["date"], format="%Y%m%d")
        return tx


@pytest.fixture(scope="session")
def transactions(repo_root) -> pd.DataFrame:
    return _load_transactions(repo_root)


@pytest.fixture(scope="session")
def rfm(transactions) -> pd.DataFrame:
    """A correct analysis table: one row per customer, recency/frequency/monetary."""
    g = transactions.groupby("customer_id")
    return pd.DataFrame({
        "recency_days": (SNAPSHOT - g["date"].max()).dt.days,
        "frequency": g.size(),
        "monetary": g["dollar_value"].sum(),
    }).reset_index()


@pytest.fixture(scope="session")
def features(rfm) -> np.ndarray:
    return StandardScaler().fit_transform(np.log1p(rfm[RFM]))


@pytest.fixture(scope="session")
def labels(features) -> np.ndarray:
    return KMeans(4, random_state=0, n_init=4).fit_predict(features)


@pytest.fixture(scope="session")
def profile(rfm, labels) -> pd.DataFrame:
    prof = rfm.assign(segment=labels).groupby("segment")[RFM].mean()
    sizes = pd.Series(labels).value_counts().sort_index()
    prof.insert(0, "share", sizes / sizes.sum())
    prof.insert(0, "size", sizes)
    return prof


@pytest.fixture(scope="session")
def names(profile) -> dict:
    """Names consistent with the profile: value and recency words."""
    m, r = profile["monetary"], profile["recency_days"]
    out = {}
    for seg in profile.index:
        value = "champions" if m[seg] == m.max() else ("high value" if m[seg] > m.median() else "low value")
        out[seg] = f"{value} {'lapsed' if r[seg] > r.median() else 'active'} #{seg}"
    return out


@pytest.fixture(scope="session")
def caravan(repo_root) -> pd.DataFrame:
    try:
        from workbench.datasets import load_caravan

        return load_caravan()
    except ImportError:
        df = pd.read_csv(repo_root / "datasets/caravan/caravan.csv")
        df.insert(0, "customer_id", [f"C{i:05d}" for i in range(1, len(df) + 1)])
        return df
