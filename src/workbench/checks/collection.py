"""B1.1.a — collecting the relevant data: the chosen categories and the analysis table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _data
from ._errors import BadInput, CheckFailed
from ._inputs import as_frame, customer_ids, require_columns

PUBLIC_MIN = 0.6    # precision and recall the self-check asks for
HIDDEN_RECALL = 1.0
HIDDEN_PRECISION = 0.75
PERSONAL_PENALTY = 0.5
LEAKAGE_PENALTY = 1.0


def _chosen(chosen: object, facts: _data.Facts) -> set[str]:
    if isinstance(chosen, str) or isinstance(chosen, pd.DataFrame) or not hasattr(chosen, "__iter__"):
        raise BadInput("chosen must be a list of category names, e.g. ['category_a', 'category_b']")
    names = list(chosen)
    if not all(isinstance(n, str) for n in names):
        raise BadInput("every chosen category must be a name (text)")
    unknown = sorted({n for n in names if n.strip() not in facts.known})
    if unknown:
        raise BadInput(f"unknown categories for this dataset: {unknown}; "
                       "use the names listed by the data dictionary")
    if not names:
        raise CheckFailed("you chose no category at all")
    return {n.strip() for n in names}


def _scores(chosen: set[str], facts: _data.Facts) -> tuple[float, float, int, int]:
    counted = chosen - facts.neutral
    hits = len(counted & facts.relevant)
    precision = hits / len(counted) if counted else 0.0
    recall = hits / len(facts.relevant) if facts.relevant else 1.0
    return precision, recall, len(chosen & facts.personal), len(chosen & facts.leakage)


def categories_public(chosen: object, *, scenario: str) -> float:
    facts = _data.facts(scenario)
    picked = _chosen(chosen, facts)
    precision, recall, personal, leakage = _scores(picked, facts)
    if leakage:
        raise CheckFailed("one of your categories is the very thing the campaign tries to predict: "
                          "using it to segment is leakage. Which variable is the target?")
    if personal:
        raise CheckFailed("you keep personal data that serves no purpose for this objective "
                          "(GDPR data minimisation): drop what identifies people without helping the analysis")
    if recall < PUBLIC_MIN:
        raise CheckFailed("important categories for this objective are missing: reread the strategy "
                          "and ask which customer behaviours it relies on")
    if precision < PUBLIC_MIN:
        raise CheckFailed("too many of your categories do not serve this objective: keep only what the "
                          "strategy needs")
    return _fraction(precision, recall, personal, leakage)


def categories_hidden(chosen: object, *, scenario: str) -> float:
    facts = _data.facts(scenario)
    precision, recall, personal, leakage = _scores(_chosen(chosen, facts), facts)
    if recall < HIDDEN_RECALL:
        raise CheckFailed("at least one category the objective depends on is missing")
    if precision < HIDDEN_PRECISION:
        raise CheckFailed("some chosen categories do not serve the objective")
    return _fraction(precision, recall, personal, leakage)


def _fraction(precision: float, recall: float, personal: int, leakage: int) -> float:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return max(0.0, f1 - PERSONAL_PENALTY * personal - LEAKAGE_PENALTY * leakage)


# --- the analysis table -------------------------------------------------------------------------

def _table_with_ids(table: object, facts: _data.Facts) -> tuple[pd.DataFrame, pd.Index]:
    df = as_frame(table, "the analysis table")
    ids = customer_ids(df)
    if ids is None:
        raise BadInput("the analysis table needs the customer id (a 'customer_id' column or index)")
    if ids.has_duplicates:
        raise CheckFailed("some customers appear on several rows: the table must have one row per "
                          "customer (aggregate the transactions)")
    if df.drop(columns=["customer_id"], errors="ignore").isna().to_numpy().any():
        raise CheckFailed("the analysis table has missing values: handle them before analysing")
    return df.set_axis(ids, axis=0).drop(columns=["customer_id"], errors="ignore"), ids


def _numeric(df: pd.DataFrame, cols: tuple[str, ...] | list[str]) -> None:
    bad = [c for c in cols if not pd.api.types.is_numeric_dtype(df[c])]
    if bad:
        raise CheckFailed(f"column(s) {bad} must be numbers (parse dates and amounts first)")


def analysis_table_public(table: object, *, scenario: str, transactions: object = None) -> None:
    facts = _data.facts(scenario)
    df, ids = _table_with_ids(table, facts)
    if facts.dataset == "cdnow":
        require_columns(df, facts.features, "the analysis table")
        _numeric(df, facts.features)
        tx = None if transactions is None else as_frame(transactions, "transactions")
        variants = _data.rfm_variants(tx, facts.snapshot_date)
        _compare_counts(ids, variants["recency_days"].index)
        _compare_rfm(df, variants, rtol=1e-3, per_customer=False)
    else:
        raw = _data.caravan_customers()
        _compare_counts(ids, pd.Index(raw["customer_id"]))
        cols = [c for c in df.columns if c in raw.columns and c != "customer_id"]
        if not cols:
            raise CheckFailed("the analysis table holds none of the dataset's customer variables")
        _numeric(df, [c for c in cols if pd.api.types.is_numeric_dtype(raw[c])])


def analysis_table_hidden(table: object, *, scenario: str, transactions: object = None) -> None:
    facts = _data.facts(scenario)
    df, ids = _table_with_ids(table, facts)
    if facts.dataset == "cdnow":
        variants = _data.rfm_variants(None, facts.snapshot_date)
        _compare_counts(ids, variants["recency_days"].index)
        _compare_rfm(df, variants, rtol=1e-6, per_customer=True)
    else:
        raw = _data.caravan_customers().set_index("customer_id")
        _compare_counts(ids, raw.index)
        cols = [c for c in df.columns if c in raw.columns]
        num = [c for c in cols if pd.api.types.is_numeric_dtype(raw[c])]
        other = [c for c in cols if c not in num]
        ref = raw.loc[df.index]
        same = np.allclose(df[num].to_numpy(dtype=float), ref[num].to_numpy(dtype=float), rtol=1e-9, atol=1e-9)
        same = same and all((df[c].astype(str).to_numpy() == ref[c].astype(str).to_numpy()).all() for c in other)
        if not same:
            raise CheckFailed("some customers' values differ from the dataset: were rows shuffled "
                              "without their id, or values altered?")


def _compare_counts(ids: pd.Index, expected: pd.Index) -> None:
    if len(ids) < len(expected):
        raise CheckFailed("customers are missing from the table: every customer of the dataset "
                          "must have one row")
    if len(ids) > len(expected) or not ids.isin(expected).all():
        raise CheckFailed("the table has rows that are not customers of the dataset "
                          "(check the aggregation key)")


def _compare_rfm(df: pd.DataFrame, variants: dict[str, pd.Series], *, rtol: float,
                 per_customer: bool) -> None:
    """Compare recency/frequency/monetary with any accepted definition (see docs/checks.md)."""
    rec = variants["recency_days"]
    checks = {
        "recency_days": ([rec], 1.0, "days between the last purchase and the snapshot date"),
        "frequency": ([variants[k] for k in ("frequency:rows", "frequency:dedup", "frequency:days")],
                      0.0, "number of purchases per customer"),
        "monetary": ([variants["monetary:rows"], variants["monetary:dedup"]], 0.0051,  # cents rounding
                     "total amount spent per customer"),
    }
    for col, (refs, atol, meaning) in checks.items():
        mine = df[col].astype(float)
        ok = False
        for ref in refs:
            if per_customer:
                r = ref.reindex(mine.index).to_numpy()
                ok = ok or bool(np.allclose(mine.to_numpy(), r, rtol=rtol, atol=atol + 1e-9))
            else:
                ok = ok or bool(np.isclose(mine.sum(), ref.sum(), rtol=rtol, atol=atol * len(ref))
                                and np.isclose(mine.median(), ref.median(), rtol=rtol * 10, atol=atol))
        if not ok:
            raise CheckFailed(f"'{col}' does not match its recomputation from the transactions "
                              f"({meaning}); check dates, duplicates and the aggregation")
