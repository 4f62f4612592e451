"""B1.2.a — is the candidate's segmentation coherent? A public rule: no answer key, no reference.

A segmentation is coherent when all five properties hold (``segmentation.yml`` holds every
threshold, announced in the notebook's instructions):

``segmentation.features``
    Built on usable features: no target column (leakage), no identifier, no nominal code used as
    a number (one-hot encode it), and, for a distance-based partition, features on comparable
    scales. Copies are found by value as well as by name (a scaled or renamed column is the same
    column). RFM scores, ordinal codes and rule/threshold partitions are not distance-based in
    their units, so their scale is never held against them.
``segmentation.k``
    A number of segments within the announced ``scenario.k_range``.
``segmentation.non_trivial``
    No segment below ``scenario.min_segment_share``, none holding most of the customers.
``segmentation.stable``
    Resample stability of the candidate's own partition: one random half of the customers
    (fixed seed) predicts the other half's segments from the nearest neighbours in the candidate's
    features. Any method whose segments are regions of the feature space passes (k-means, Gaussian
    mixtures, hierarchical clustering, quantile or rule scoring); labels not computed from these
    features do not.
``segmentation.separated``
    The segments hold a real share of the features' variance between them (1 - within/total, in
    the candidate's space; shuffled labels give ~0).

Scoring: ``fraction = max(0, 1 - failed_property_cost x properties failed)`` (``segmentation.yml``,
0.5): coherence needs all five properties, so one property failed (leakage, a nominal code used as
a number, unscaled distances, k outside the announced range...) leaves the check under the
criterion's threshold share (2/3), with partial credit; 0 when neither ``stable`` nor
``separated`` holds (the labels are then not a segmentation of the features given, so the other
properties say nothing). With ``properties met / 5`` one real error kept 4/5 of the points, as
much as the threshold asks of valid work (issue #13: nominal codes scored like a valid method).

Measured on CDNOW (log + standard, log + robust, quantile transform, Gaussian mixture, Ward, RFM
quintile rules, k = 3..6) and Caravan (ordinal codes, wider set with one-hot customer type):
neighbour agreement 0.94-0.998 (random or unrelated labels <= 0.53), between share 0.27-0.90
(<= 0.001). About 10 ms on CDNOW's 23,570 rows (k-d tree neighbours), 20-40 ms on Caravan.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd
import yaml
from scipy.spatial import cKDTree
from scipy.stats import rankdata

from workbench_candidate.outcome import BadAnswer, Fault, Outcome
from workbench_candidate.scenario import PublicScenario

SETTINGS_FILE = Path(__file__).with_name("segmentation.yml")
PROPERTIES = ("features", "k", "non_trivial", "stable", "separated")
# Far beyond any allowed k: the distance-based test (sample x segments distances) is skipped there,
# so that one label per customer costs milliseconds, not gigabytes (the k rule fails it anyway).
MAX_MEANS = 100
KDTREE_MAX_COLUMNS = 8


# --- thresholds and messages (data, validated on load) -------------------------------------------

MESSAGES = ("features.target", "features.identifier", "features.nominal", "features.scale", "k",
            "non_trivial.small", "non_trivial.giant", "stable", "separated")


@dataclass(frozen=True)
class Settings:
    """``segmentation.yml``, checked; frozen so that a kernel cannot edit a cached copy."""

    sample_size: int
    seed: int
    copy_spearman: float
    identifier_distinct_share: float
    score_max_levels: int
    variance_ratio_max: float
    distance_based_agreement: float
    nominal_columns: Mapping[str, tuple[str, ...]]
    max_segment_share: float
    neighbours: int
    min_agreement: float
    min_between_share: float
    failed_property_cost: float
    messages: Mapping[str, tuple[str, str]]


def _number(section: object, key: str, lo: float, hi: float, kind: type = float) -> float:
    value = section.get(key) if isinstance(section, dict) else None
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi
            or (kind is int and value != int(value))):
        raise ValueError(f"{SETTINGS_FILE.name}: '{key}' must be a{'n integer' if kind is int else ' number'} "
                         f"within [{lo}, {hi}], not {value!r}")
    return kind(value)


def parse_settings(data: object) -> Settings:
    """Check the parsed YAML; any fault is a ``ValueError`` naming the file and the key."""
    if not isinstance(data, dict) or tuple(data.get("properties") or ()) != PROPERTIES:
        raise ValueError(f"{SETTINGS_FILE.name}: 'properties' must list exactly {list(PROPERTIES)}")
    sample, f, trivial, stable, sep = (data.get(k) for k in ("sample", "features", "non_trivial", "stable", "separated"))
    nominal = f.get("nominal_columns") if isinstance(f, dict) else None
    if not isinstance(nominal, dict) or not all(isinstance(c, list) and all(isinstance(v, str) for v in c)
                                                for c in nominal.values()):
        raise ValueError(f"{SETTINGS_FILE.name}: 'nominal_columns' must map each dataset to a list of columns")
    msgs = data.get("messages")
    bad = [m for m in MESSAGES if not isinstance(msgs, dict) or not isinstance(msgs.get(m), dict)
           or not all(isinstance(msgs[m].get(lang), str) and msgs[m][lang] for lang in ("en", "fr"))]
    if bad:
        raise ValueError(f"{SETTINGS_FILE.name}: messages {bad} need an 'en' and an 'fr' text")
    return Settings(
        sample_size=_number(sample, "size", 200, 100_000, int), seed=_number(sample, "seed", 0, 2**32 - 1, int),
        copy_spearman=_number(f, "copy_spearman", 0.9, 1.0),
        identifier_distinct_share=_number(f, "identifier_distinct_share", 0.5, 1.0),
        score_max_levels=_number(f, "score_max_levels", 2, 100, int),
        variance_ratio_max=_number(f, "variance_ratio_max", 1.0, 1e6),
        distance_based_agreement=_number(f, "distance_based_agreement", 0.5, 1.0),
        nominal_columns=MappingProxyType({str(k): tuple(v) for k, v in nominal.items()}),
        max_segment_share=_number(trivial, "max_segment_share", 0.3, 1.0),
        neighbours=_number(stable, "neighbours", 1, 100, int), min_agreement=_number(stable, "min_agreement", 0.0, 1.0),
        min_between_share=_number(sep, "min_between_share", 0.0, 1.0),
        failed_property_cost=_number(data.get("scoring"), "failed_property_cost", 0.2, 1.0),
        messages=MappingProxyType({m: (msgs[m]["en"], msgs[m]["fr"]) for m in MESSAGES}))


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The thresholds and messages, read once."""
    return parse_settings(yaml.safe_load(SETTINGS_FILE.read_text(encoding="utf-8")))


def _fault(s: Settings, rule: str, **fields: object) -> Fault:
    en, fr = s.messages[rule]
    return Fault(f"segmentation.{rule}", en.format(**fields), fr.format(**fields))


# --- reading the hand-over ----------------------------------------------------------------------

def segment_codes(labels: object, n: int | None, what: str = "labels") -> tuple[np.ndarray, tuple[str, ...]]:
    """Segment codes 0..k-1 (one per row) and each code's label as text; any label values allowed.

    Raises :class:`BadAnswer` for anything that is not one label per customer (wrong length, NaN,
    2-D, a set...). Labels 2 and 2.0 are the same segment.
    """
    if isinstance(labels, pd.DataFrame) and labels.shape[1] == 1:
        labels = labels.iloc[:, 0]
    if isinstance(labels, (set, dict, str, bytes, pd.DataFrame)) or not hasattr(labels, "__len__"):
        raise BadAnswer(f"{what} must be one label per customer (a list, 1-D array or Series), "
                        f"not a {type(labels).__name__}",
                        f"{what} doit donner un segment par client (liste, tableau 1-D ou Series), "
                        f"pas un objet {type(labels).__name__}")
    raw = np.asarray(labels)
    if raw.ndim != 1:
        raise BadAnswer(f"{what} must be 1-D: one label per customer",
                        f"{what} doit être à une dimension : un segment par client")
    if n is not None and len(raw) != n:
        raise BadAnswer(f"{what} has {len(raw)} values but there are {n} customers (rows)",
                        f"{what} a {len(raw)} valeurs alors qu'il y a {n} clients (lignes)")
    if raw.dtype.kind not in "iub":
        if pd.isna(raw).any():
            raise BadAnswer(f"{what} contains missing (NaN) labels: every customer needs a segment",
                            f"{what} contient des segments manquants (NaN) : chaque client doit en avoir un")
        if raw.dtype.kind == "f" and np.all(raw == np.round(raw)):
            raw = raw.astype(np.int64)  # 2.0 and 2 name one segment
    if raw.dtype.kind in "iub":  # numbers in numeric order (segment 2 before segment 10), fast
        uniques, codes = np.unique(raw, return_inverse=True)
        return codes.astype(np.int64).ravel(), tuple(str(u) for u in uniques)
    codes, uniques = pd.factorize(pd.Series(raw).astype(str), sort=True)
    return codes.astype(np.int64), tuple(str(u) for u in uniques)


def _matrix(features: object, scenario: PublicScenario) -> tuple[np.ndarray, list[str] | None, list[str]]:
    """Float matrix, column names (None for an array) and the text columns that are identifiers."""
    ids: list[str] = []
    names: list[str] | None = None
    if isinstance(features, pd.DataFrame):
        df = features.copy()
        df.columns = ["_".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in df.columns]
        # bool columns are numeric to pandas; dates and text are not
        text = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
        ids = [c for c in text if c in scenario.identifier_columns]
        other = [c for c in text if c not in ids]
        if other:
            raise BadAnswer(f"features has non-numeric column(s) {other}: encode categories (one-hot) "
                            "before segmenting", f"features a des colonnes non numériques {other} : "
                            "encodez les catégories (one-hot) avant de segmenter")
        df = df.drop(columns=ids)
        names = list(df.columns)
    elif not isinstance(features, (np.ndarray, list, tuple)):
        raise BadAnswer(f"features must be a DataFrame or a 2-D array, not a {type(features).__name__}",
                        f"features doit être un DataFrame ou un tableau 2-D, pas un objet {type(features).__name__}")
    try:  # a missing value of a nullable column (pd.NA) becomes NaN, refused below with its reason
        x = df.to_numpy(dtype=float) if names is not None else np.asarray(features, dtype=float)
    except (TypeError, ValueError):
        raise BadAnswer("features must hold numbers only", "features ne doit contenir que des nombres") from None
    x = x[:, None] if x.ndim == 1 else x
    if x.ndim != 2 or x.shape[0] == 0 or (x.shape[1] == 0 and not ids):
        raise BadAnswer("features must be a non-empty 2-D table (one row per customer)",
                        "features doit être un tableau 2-D non vide (une ligne par client)")
    if not np.isfinite(x).all():
        raise BadAnswer("features contains missing or infinite values",
                        "features contient des valeurs manquantes ou infinies")
    return x, names, ids


# --- the measures ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Measures:
    """What the rule measured; public (the self-check may show it), no points in it."""

    k: int
    shares: tuple[float, ...]
    copies: tuple[tuple[str, str, str], ...]  # (kind, feature, source column)
    variance_ratio: float | None              # None: not a distance-based partition in varying units
    stable: float                             # resample agreement of the nearest neighbours
    between: float                            # between-segment share of the variance


def _suspects(table: pd.DataFrame | None, scenario: PublicScenario, nominal: tuple[str, ...],
              idx: np.ndarray) -> dict[str, tuple[str, np.ndarray]]:
    """Columns of the analysis table no feature may copy: name -> (kind, sampled values as numbers)."""
    out: dict[str, tuple[str, np.ndarray]] = {}
    for col in table.columns if table is not None else ():
        name = str(col)
        kind = ("target" if name in scenario.target_columns else "identifier" if name in scenario.identifier_columns
                else "nominal" if name in nominal else None)
        if kind is not None:
            values = table[col].iloc[idx]
            numeric = values if pd.api.types.is_numeric_dtype(values) else pd.to_numeric(values, errors="coerce")
            # text ids ("C00042") and Yes/No targets are compared through their sorted codes
            out[name] = (kind, numeric.to_numpy(float) if numeric.notna().all()
                         else pd.factorize(values.astype(str), sort=True)[0].astype(float))
    return out


def _copies(x: np.ndarray, names: list[str] | None, table: pd.DataFrame | None, scenario: PublicScenario,
            nominal: tuple[str, ...], idx: np.ndarray, s: Settings) -> list[tuple[str, str, str]]:
    """(kind, feature, source) of every feature that is the target, an identifier or a nominal code."""
    found = []
    indicator = np.all((x[idx] == 0) | (x[idx] == 1), axis=0)
    for j, name in enumerate(names or ()):  # by name first: the column the candidate chose
        if name in scenario.target_columns or any(name.startswith(t + "_") for t in scenario.target_columns):
            found.append(("target", name, name))
        elif name in scenario.identifier_columns:
            found.append(("identifier", name, name))
        elif name in nominal and not indicator[j]:
            found.append(("nominal", name, name))
    named = {f for _, f, _ in found}
    cols = names or [f"column {j}" for j in range(x.shape[1])]
    suspects = _suspects(table, scenario, nominal, idx)
    if not suspects:
        return found
    # then by value (a scaled or renamed copy is the same column): Spearman = Pearson on ranks
    ranks = _standard(rankdata(x[idx], axis=0))
    distinct = np.array([len(np.unique(col)) for col in x[idx].T]) >= s.identifier_distinct_share * len(idx)
    for src, (kind, values) in suspects.items():
        rho = np.abs(ranks.T @ _standard(rankdata(values)[:, None])[:, 0]) / len(idx)
        for j, name in enumerate(cols):
            if (name in named or rho[j] < s.copy_spearman
                    or (kind == "nominal" and indicator[j])  # a 0/1 dummy is the right encoding
                    or (kind == "identifier" and not distinct[j])):
                continue
            found.append((kind, name, src))
            named.add(name)
    return found


def _standard(a: np.ndarray) -> np.ndarray:
    """Columns centred and scaled to unit variance; a constant column becomes 0 (correlates with nothing)."""
    sd = a.std(axis=0)
    return (a - a.mean(axis=0)) / np.where(sd > 0, sd, np.inf)


def _segment_means(x: np.ndarray, codes: np.ndarray, k: int) -> np.ndarray:
    counts = np.bincount(codes, minlength=k).astype(float)
    return np.stack([np.bincount(codes, weights=x[:, j], minlength=k) for j in range(x.shape[1])], 1) / counts[:, None]


def _sq_dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * a).sum(1)[:, None] - 2 * a @ b.T + (b * b).sum(1)[None, :]


def _neighbour_vote(x_fit: np.ndarray, c_fit: np.ndarray, x_new: np.ndarray, m: int) -> np.ndarray:
    """The majority segment of each new point's ``m`` nearest fitted points (ties: the smaller code)."""
    m = min(m, len(c_fit))
    if x_fit.shape[1] <= KDTREE_MAX_COLUMNS:  # a k-d tree wins on few columns (RFM: ~5x faster)
        near = cKDTree(x_fit).query(x_new, k=m)[1].reshape(len(x_new), m)
    else:
        near = np.argpartition(_sq_dist(x_new, x_fit), m - 1, axis=1)[:, :m]
    # votes over the codes present in the fitted half only: bounded memory whatever k is
    present, fit_codes = np.unique(c_fit, return_inverse=True)
    votes = np.zeros((len(x_new), len(present)))
    np.add.at(votes, (np.repeat(np.arange(len(x_new)), m), fit_codes.ravel()[near].ravel()), 1.0)
    return present[votes.argmax(axis=1)]


def _variance_ratio(x: np.ndarray, codes: np.ndarray, means: np.ndarray, idx: np.ndarray, s: Settings) -> float | None:
    """Largest/smallest feature variance when scale can decide the segments, else None."""
    xs = x[idx]
    xc = xs[:, ~np.all((xs == 0) | (xs == 1), axis=0)]  # 0/1 dummies are on their natural scale
    var = xc.var(axis=0)
    var = var[var > 0]
    if var.size < 2 or len(means) > MAX_MEANS:
        return None
    # scores or ordinal codes share one small integer scale by construction (RFM quintiles 1-5)
    if np.all(xc == np.round(xc)) and all(len(np.unique(col)) <= s.score_max_levels for col in xc.T):
        return None
    # only a partition that follows distances depends on units: k-means cells re-assign to their
    # nearest mean (~1.0); rules, quantile thresholds and covariance models do not (<= 0.95)
    if (_sq_dist(xs, means).argmin(axis=1) == codes[idx]).mean() < s.distance_based_agreement:
        return None
    return float(var.max() / var.min())


def measure(features: object, *, labels: object, table: object = None, scenario: PublicScenario) -> Measures:
    """The measures behind :func:`segmentation` (same arguments)."""
    s = settings()
    x, names, id_text = _matrix(features, scenario)
    codes, _ = segment_codes(labels, x.shape[0])
    if table is not None and (not isinstance(table, pd.DataFrame) or len(table) != len(codes)):
        raise BadAnswer("table must be the analysis table, one row per customer in the order of features",
                        "table doit être la table d'analyse, une ligne par client dans l'ordre de features")
    n, k = len(codes), int(codes.max()) + 1
    idx = np.sort(np.random.default_rng(s.seed).choice(n, size=min(s.sample_size, n), replace=False))
    nominal = tuple(getattr(scenario, "nominal_columns", None) or s.nominal_columns.get(scenario.dataset, ()))
    copies = [("identifier", c, c) for c in id_text]
    ratio, stable, between = None, 0.0, 0.0
    if x.shape[1]:
        copies += _copies(x, names, table, scenario, nominal, idx, s)
        means = _segment_means(x, codes, k)
        ratio = _variance_ratio(x, codes, means, idx, s)
        half = np.random.default_rng(s.seed + 1).permutation(idx)  # one half predicts the other
        fit, test = half[: len(half) // 2], half[len(half) // 2:]
        stable = float((_neighbour_vote(x[fit], codes[fit], x[test], s.neighbours) == codes[test]).mean())
        total = float(((x - x.mean(axis=0)) ** 2).sum())
        between = 1.0 - float(((x - means[codes]) ** 2).sum()) / total if total > 0 else 0.0
    return Measures(k, tuple(np.bincount(codes, minlength=k) / n), tuple(copies), ratio, stable, between)


def segmentation(features: object, *, labels: object, table: object = None,
                 scenario: PublicScenario) -> Outcome:
    """Judge a segmentation on the five properties of coherence (see the module docstring).

    Parameters
    ----------
    features : DataFrame or 2-D array
        What the method was fed, one row per customer (may be RFM scores for a rule-based scoring).
    labels : sequence
        One segment label per row, any values.
    table : DataFrame, optional
        The analysis table, row-aligned with ``features``: renamed or scaled copies of the target,
        an identifier or a nominal code are then recognised by value.
    scenario : PublicScenario
        Announced facts: ``k_range``, ``min_segment_share``, the dictionary's categories.

    Returns
    -------
    Outcome
        ``fraction`` = 1 - failed_property_cost x properties failed, at least 0 (0 if neither stable
        nor separated); one fault per cause
        (``segmentation.features.{target,identifier,nominal,scale}``, ``segmentation.k``,
        ``segmentation.non_trivial.{small,giant}``, ``segmentation.stable``, ``segmentation.separated``).

    Raises
    ------
    BadAnswer
        Features or labels unreadable, or the lengths of features, labels and table differ.
    """
    s, m = settings(), measure(features, labels=labels, table=table, scenario=scenario)
    faults: dict[str, list[Fault]] = {p: [] for p in PROPERTIES}
    for kind, feature, source in m.copies:
        faults["features"].append(_fault(s, f"features.{kind}", feature=repr(feature), source=source))
    if m.variance_ratio is not None and m.variance_ratio > s.variance_ratio_max:
        faults["features"].append(_fault(s, "features.scale", ratio=m.variance_ratio))
    lo, hi = scenario.k_range
    if not lo <= m.k <= hi:
        faults["k"].append(_fault(s, "k", k=m.k, lo=lo, hi=hi))
    if min(m.shares) < scenario.min_segment_share:
        faults["non_trivial"].append(_fault(s, "non_trivial.small", share=min(m.shares), min=scenario.min_segment_share))
    if max(m.shares) > s.max_segment_share:
        faults["non_trivial"].append(_fault(s, "non_trivial.giant", share=max(m.shares), max=s.max_segment_share))
    if m.stable < s.min_agreement:
        faults["stable"].append(_fault(s, "stable", agreement=m.stable, min=s.min_agreement))
    if m.between < s.min_between_share:
        faults["separated"].append(_fault(s, "separated", between=m.between, min=s.min_between_share))
    failed = sum(bool(faults[p]) for p in PROPERTIES)
    # labels neither stable nor separated in these features are not a segmentation of them
    fraction = 0.0 if faults["stable"] and faults["separated"] else max(0.0, 1.0 - s.failed_property_cost * failed)
    return Outcome(fraction, tuple(f for p in PROPERTIES for f in faults[p]))
