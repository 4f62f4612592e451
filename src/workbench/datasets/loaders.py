"""Public loaders: verified, parsed tables for exercises, checks and the demo.

Nothing here touches the network: every file comes from ``datasets/`` (or ``root`` /
``WORKBENCH_HOME``) and is checked against the manifest's sha256 and schema first.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.datasets.verify import read_verified, verified_path
from workbench.errors import DataError

Root = Path | str | None
CONTACT_DATASETS = ("cdnow", "caravan")


def raw_path(name: str, *, root: Root = None) -> Path:
    """Return the verified path of data file ``name`` (``cdnow``, ``caravan``, ``cdnow_contacts``,
    ``caravan_contacts``, ``telco``), for candidates who read raw files in their notebooks."""
    return verified_path(name, root=root)


def read_raw(name: str, *, root: Root = None) -> Path:
    """Alias of :func:`raw_path`: the verified path of data file ``name``."""
    return raw_path(name, root=root)


def _with_row_ids(df: pd.DataFrame, prefix: str) -> pd.DataFrame:
    # The sources have no id column; ids follow the row number so they are stable across rebuilds.
    ids = [f"{prefix}{i:05d}" for i in range(1, len(df) + 1)]
    return df.assign(customer_id=ids)[["customer_id", *df.columns]]


def load_cdnow_transactions(*, root: Root = None) -> pd.DataFrame:
    """CDNOW transactions, one row per line of the file.

    Returns
    -------
    DataFrame
        ``customer_id`` (str, zero-padded), ``date`` (datetime64), ``number_of_cds`` (int),
        ``dollar_value`` (float).
    """
    df = read_verified("cdnow", root=root)
    try:
        dates = pd.to_datetime(df["date"].astype(str), format="%Y%m%d")
    except ValueError as exc:
        raise DataError(f"wrong schema: date is not YYYYMMDD ({exc})", where=str(raw_path("cdnow", root=root))) from None
    return df.assign(date=dates)


def load_caravan(*, root: Root = None) -> pd.DataFrame:
    """ISLR Caravan: ``customer_id`` (C00001..) then the 86 variables (``Purchase`` "Yes"/"No")."""
    return _with_row_ids(read_verified("caravan", root=root), "C")


def load_contacts(dataset: str, *, root: Root = None) -> pd.DataFrame:
    """The SYNTHETIC contact table of ``dataset`` ("cdnow" or "caravan"): fictitious people."""
    if dataset not in CONTACT_DATASETS:
        raise DataError(f"no contact table for dataset {dataset!r} (known: {', '.join(CONTACT_DATASETS)})")
    return read_verified(f"{dataset}_contacts", root=root)


def load_telco(*, root: Root = None) -> pd.DataFrame:
    """IBM telco churn (modeldata ``wa_churn``) with ``customer_id`` T00001.. added."""
    return _with_row_ids(read_verified("telco", root=root), "T")
