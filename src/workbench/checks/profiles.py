"""B1.2.b — the segment profile table and the target names, recomputed from the candidate's labels."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import yaml

from . import _data
from ._errors import BadInput, CheckFailed
from ._inputs import as_frame, as_labels

ROUNDING_ATOL = 0.0051
_SIZE = ("size", "n", "count", "customers", "nb_customers", "n_customers", "effectif", "taille")
_SHARE = ("share", "pct", "percent", "proportion", "part", "share_pct")


def _recompute(table: object, labels: object, facts: _data.Facts) -> tuple[pd.DataFrame, list[str]]:
    df = as_frame(table, "the analysis table")
    codes, names = as_labels(labels, len(df))
    keys = [c for c in facts.features if c in df.columns]
    if not keys:
        raise BadInput("the analysis table has none of the objective's key variables")
    num = df[keys].apply(pd.to_numeric, errors="coerce")
    prof = num.groupby(codes).mean()
    sizes = np.bincount(codes)
    prof.insert(0, "share", sizes / sizes.sum())
    prof.insert(0, "size", sizes.astype(float))
    return prof, names


def _column(profile: pd.DataFrame, options: tuple[str, ...], what: str) -> str:
    for c in profile.columns:
        if str(c).strip().lower() in options:
            return c
    raise BadInput(f"the profile table needs a '{what}' column")


def _candidate_profile(profile: object, ref: pd.DataFrame) -> pd.DataFrame:
    prof = as_frame(profile, "the profile table")
    size_col, share_col = _column(prof, _SIZE, "size"), _column(prof, _SHARE, "share")
    keys = [c for c in ref.columns if c not in ("size", "share")]
    missing = [c for c in keys if c not in prof.columns]
    if missing:
        raise BadInput(f"the profile table has no column {', '.join(repr(c) for c in missing)} "
                       "(the mean of each key variable per segment)")
    out = pd.DataFrame({"size": prof[size_col], "share": prof[share_col], **{c: prof[c] for c in keys}})
    try:
        out = out.astype(float)
    except (TypeError, ValueError):
        raise BadInput("the profile table must hold numbers") from None
    if out.isna().to_numpy().any():
        raise CheckFailed("the profile table has missing values")
    if out["share"].sum() > 1.5:  # given in percent
        out["share"] = out["share"] / 100.0
    return out


def _sorted(values: np.ndarray) -> np.ndarray:
    order = np.lexsort(values.T[::-1])
    return values[order]


def _compare_profiles(profile: object, table: object, labels: object, scenario: str, rtol: float) -> None:
    facts = _data.facts(scenario)
    ref, _ = _recompute(table, labels, facts)
    mine = _candidate_profile(profile, ref)
    if len(mine) != len(ref):
        raise CheckFailed(f"the profile table has {len(mine)} rows but your labels define "
                          f"{len(ref)} segments: one row per segment")
    # order-insensitive: rows sorted by (size, share, means ...) on both sides
    a, b = _sorted(mine.to_numpy()), _sorted(ref.to_numpy())
    scale = np.abs(b).max(axis=0) + 1e-12
    for j, col in enumerate(ref.columns):
        # atol: a table rounded to 2 decimals for display is still the same table
        if not np.allclose(a[:, j], b[:, j], rtol=rtol, atol=ROUNDING_ATOL + rtol * 1e-3 * scale[j]):
            raise CheckFailed(f"the column '{col}' of your profile table does not match its "
                              "recomputation from your labels (size, share in 0-1 or %, mean per segment)")


def profiles_public(profile: object, *, table: object, labels: object, scenario: str) -> None:
    _compare_profiles(profile, table, labels, scenario, rtol=1e-2)


def profiles_hidden(profile: object, *, table: object, labels: object, scenario: str) -> None:
    _compare_profiles(profile, table, labels, scenario, rtol=1e-4)
    mine = as_frame(profile, "the profile table")
    share = mine[_column(mine, _SHARE, "share")].astype(float).sum()
    # each share was compared above; the sum only tells whether a segment is missing (rounding allowed)
    if not (np.isclose(share, 1.0, atol=0.01) or np.isclose(share, 100.0, atol=1.0)):
        raise CheckFailed("the shares of your segments do not add up to 100%")


# --- target names -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[MappingProxyType, ...], MappingProxyType]:
    """The vocabulary, read-only (a cached mutable list could be edited by the candidate)."""
    data = yaml.safe_load((Path(__file__).parent / "vocabulary.yml").read_text(encoding="utf-8"))
    concepts = []
    for c in data["concepts"]:
        pats = tuple(re.compile(r"(?<![\w])" + re.escape(_fold(w)) + r"(?![\w])") for w in c["words"])
        concepts.append(MappingProxyType({**c, "words": tuple(c["words"]),
                                          "rule": MappingProxyType(dict(c["rule"])), "patterns": pats}))
    return tuple(concepts), MappingProxyType({k: tuple(v) for k, v in data["objectives"].items()})


def _fold(text: str) -> str:
    """Lower case without accents, so 'Fidèles' matches 'fideles'."""
    text = unicodedata.normalize("NFKD", str(text).lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("_", " ")


def concepts_of(name: str) -> list[MappingProxyType]:
    """The concepts a segment name claims, at most one per group (first match wins)."""
    found, groups = [], set()
    folded = _fold(name)
    for concept in _vocabulary()[0]:
        if concept["group"] in groups:
            continue
        if any(p.search(folded) for p in concept["patterns"]):
            found.append(concept)
            groups.add(concept["group"])
    return found


def _names(names: object, label_names: list[str]) -> dict[int, str]:
    if isinstance(names, pd.Series):
        names = names.to_dict()
    if not isinstance(names, dict):
        raise BadInput("names must be a dict {segment label: name} (or a Series)")
    given = {str(k): v for k, v in names.items()}
    # labels 0.0 and 0 are the same segment
    given.update({str(int(k)): v for k, v in names.items() if isinstance(k, (float, np.floating))
                  and float(k).is_integer()})
    out = {}
    for code, label in enumerate(label_names):
        name = given.get(label)
        if not isinstance(name, str) or not name.strip():
            raise CheckFailed("every segment needs a name (text): at least one is missing or empty")
        out[code] = name.strip()
    if len({_fold(n) for n in out.values()}) < len(out):
        raise CheckFailed("two segments have the same name: each target needs its own name")
    return out


def names_public(names: object, *, table: object, labels: object, scenario: str) -> None:
    facts = _data.facts(scenario)
    ref, label_names = _recompute_all(table, labels, facts)
    named = _names(names, label_names)
    for code, name in named.items():
        for concept in concepts_of(name):
            feat = facts.value_feature if concept["rule"]["feature"] == "value" else concept["rule"]["feature"]
            if feat not in ref.columns:
                continue
            if not _holds(ref[feat], code, concept["rule"]["position"]):
                raise CheckFailed(f"the segment named {name!r} does not have the profile its name "
                                  f"claims ({concept['id'].replace('_', ' ')}, judged on '{feat}')")


def names_hidden(names: object, *, table: object, labels: object, scenario: str) -> None:
    facts = _data.facts(scenario)
    _, label_names = _recompute_all(table, labels, facts)
    named = _names(names, label_names)
    groups = {c["group"] for n in named.values() for c in concepts_of(n)}
    needed = _vocabulary()[1].get(scenario, ())
    if not set(needed) <= groups:
        raise CheckFailed("your names do not qualify the targets the objective asks for: say what "
                          "makes each target matter for this campaign")


def _recompute_all(table: object, labels: object, facts: _data.Facts) -> tuple[pd.DataFrame, list[str]]:
    df = as_frame(table, "the analysis table")
    codes, label_names = as_labels(labels, len(df))
    num = df.select_dtypes("number")
    return num.groupby(codes).mean(), label_names


def _holds(means: pd.Series, code: int, position: str) -> bool:
    value, med = means.loc[code], means.median()
    if position == "highest":
        return bool(value >= means.max())
    if position == "lowest":
        return bool(value <= means.min())
    if position == "above_median":
        return bool(value > med) or bool(value >= means.max())
    return bool(value < med) or bool(value <= means.min())
