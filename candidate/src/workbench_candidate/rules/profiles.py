"""B1.2.b — the segment profile table and the target names, recomputed from the candidate's labels.

A public rule: no answer key. Both checks rebuild each segment's profile (size, share, mean of
each key variable) from the analysis table and the candidate's own labels, so any segmentation,
any label values and any row order are judged alike. ``profiles.yml`` holds the tolerances and
the name vocabulary (English and French), announced in the instructions.

Key variables are the scenario's announced ``variables`` (CDNOW's RFM); when none are announced
(Caravan), the numeric columns of the table that the candidate's profile reports.

Scoring
-------
``profiles``: fraction = share of the expected columns (size, share, each key variable) that
match the recomputation; 0 when the table does not have one row per segment.
``names``: 1 when there are two segments or more, every segment has its own name and no name
contradicts its profile, else 0. Names are comparative, so a claim is contradicted when the
segment lies on the opposite side of both the customers' average and the median segment: a
"high value" segment spending less than both, a "lapsed" one more recent than both (a "lapsed"
segment slightly more recent than the average customer, where most customers have lapsed, is not
a contradiction). A name set that leaves part of the objective unqualified is a note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd
import yaml
from scipy.optimize import linear_sum_assignment

from workbench_candidate.outcome import BadAnswer, Fault, Outcome
from workbench_candidate.rules.segmentation import segment_codes
from workbench_candidate.scenario import PublicScenario

SETTINGS_FILE = Path(__file__).with_name("profiles.yml")
SIZE_NAMES = ("size", "n", "count", "customers", "n_customers", "nb_customers", "nb_clients", "clients",
              "effectif", "effectifs", "taille")
SHARE_NAMES = ("share", "pct", "percent", "percentage", "proportion", "part", "share_pct", "pct_customers",
               "share_%", "%", "pourcentage", "part_clients")
_MEAN_FORMS = ("{}", "{}_mean", "mean_{}", "avg_{}", "{}_avg", "moyenne_{}", "{}_moyenne")
POSITIONS = ("above_average", "below_average")


@dataclass(frozen=True)
class Concept:
    """One claim a segment name can make, and the profile fact that must back it."""

    id: str
    group: str
    feature: str  # "value": the scenario's value_feature
    position: str
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Settings:
    """``profiles.yml``, checked; frozen so that a kernel cannot edit a cached copy."""

    tolerance: Mapping[str, float]
    concepts: tuple[Concept, ...]
    negation: re.Pattern
    objectives: Mapping[str, tuple[str, ...]]


def fold(text: str) -> str:
    """Lower case without accents, '_' as a space: 'Fidèles_VIP' reads 'fideles vip'."""
    text = unicodedata.normalize("NFKD", str(text).lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("_", " ")


def parse_settings(data: object) -> Settings:
    """Check the parsed YAML; any fault is a ``ValueError`` naming the file and the key."""
    name = SETTINGS_FILE.name
    if not isinstance(data, dict):
        raise ValueError(f"{name}: not a mapping")
    tol = data.get("tolerance")
    keys = ("size_atol", "share_fraction_atol", "share_percent_atol", "mean_atol", "mean_rtol")
    if not isinstance(tol, dict) or not all(isinstance(tol.get(k), (int, float)) and 0 <= tol[k] <= 1 for k in keys):
        raise ValueError(f"{name}: 'tolerance' needs {list(keys)}, each a number within [0, 1]")
    concepts = []
    for c in data.get("concepts") or ():
        rule = c.get("rule") if isinstance(c, dict) else None
        if (not isinstance(rule, dict) or rule.get("position") not in POSITIONS or not c.get("words")
                or not all(isinstance(c.get(k), str) for k in ("id", "group")) or not isinstance(rule.get("feature"), str)):
            raise ValueError(f"{name}: concept {c!r} needs id, group, words and rule {{feature, position in {POSITIONS}}}")
        pats = tuple(re.compile(r"(?<!\w)" + re.escape(fold(w)) + r"(?!\w)") for w in c["words"])
        concepts.append(Concept(c["id"], c["group"], rule["feature"], rule["position"], pats))
    negators, objectives = data.get("negators"), data.get("objectives")
    if not concepts or not isinstance(negators, list) or not isinstance(objectives, dict):
        raise ValueError(f"{name}: 'concepts', 'negators' (a list) and 'objectives' (a mapping) are required")
    groups = {c.group for c in concepts}
    if not all(isinstance(v, list) and set(v) <= groups for v in objectives.values()):
        raise ValueError(f"{name}: every objective must list groups among {sorted(groups)}")
    negation = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(n)) for n in negators) + r")[\s-]*$")
    return Settings({k: float(tol[k]) for k in keys}, tuple(concepts), negation,
                    {str(k): tuple(v) for k, v in objectives.items()})


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Tolerances and vocabulary, read once."""
    return parse_settings(yaml.safe_load(SETTINGS_FILE.read_text(encoding="utf-8")))


def concepts_of(name: str) -> list[Concept]:
    """The claims a segment name makes: at most one per group, the first concept (YAML order) that
    matches without a negation right before it."""
    s, folded = settings(), fold(name)
    found: dict[str, Concept] = {}
    for concept in s.concepts:
        if concept.group in found:
            continue
        for pat in concept.patterns:
            hits = [m for m in pat.finditer(folded) if not s.negation.search(folded[: m.start()])]
            if hits:
                found[concept.group] = concept
                break
    return list(found.values())


# --- recomputation ----------------------------------------------------------------------------------

def _frame(obj: object, what_en: str, what_fr: str) -> pd.DataFrame:
    if not isinstance(obj, pd.DataFrame):
        raise BadAnswer(f"{what_en} must be a pandas DataFrame, not a {type(obj).__name__}",
                        f"{what_fr} doit être un DataFrame pandas, pas un objet {type(obj).__name__}")
    df = pd.DataFrame(obj, copy=True)  # a plain copy: a subclass brings no methods of its own
    df.columns = ["_".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in df.columns]
    return df


def _key(text: str) -> str:
    """A column name as compared: folded, spaces as '_' ('Recency days' is 'recency_days')."""
    return fold(text).strip().replace(" ", "_")


def _column(df: pd.DataFrame, options: tuple[str, ...]) -> str | None:
    """The first column of ``df`` whose name is one of ``options`` (compared by :func:`_key`)."""
    return next((col for col in df.columns if _key(col) in options), None)


def _mean_forms(var: str) -> tuple[str, ...]:
    return tuple(form.format(_key(var)) for form in _MEAN_FORMS)


def _recompute(table: object, labels: object) -> tuple[pd.DataFrame, np.ndarray, tuple[str, ...]]:
    """Numeric columns of the table, each customer's segment code, each code's label."""
    df = _frame(table, "the analysis table", "la table d'analyse")
    codes, label_names = segment_codes(labels, len(df))
    num = df.select_dtypes("number").astype(float)
    return num, codes, label_names


def _fault(rule: str, en: str, fr: str) -> Fault:
    return Fault(f"profiles.{rule}", en, fr)


def profiles(profile: object, *, table: object, labels: object, scenario: PublicScenario) -> Outcome:
    """Judge the profile table: one row per segment, its size, share and key-variable means.

    Parameters
    ----------
    profile : DataFrame
        One row per segment, any order and index: a size column, a share column (fraction or
        percent) and the mean of each key variable (``monetary``, ``monetary_mean``...).
    table : DataFrame
        The analysis table the labels segment, one row per customer.
    labels : sequence
        The candidate's segment of each customer (any values).
    scenario : PublicScenario
        Gives the key variables (``variables``) when the instructions announce them.

    Returns
    -------
    Outcome
        ``fraction`` = share of the expected columns that match (0 if the row count is wrong);
        faults ``profiles.rows``, ``profiles.columns``, ``profiles.values``.
    """
    tol = settings().tolerance
    num, codes, _ = _recompute(table, labels)
    mine = _frame(profile, "the profile table", "le tableau des profils")
    k = int(codes.max()) + 1
    if len(mine) != k:
        return Outcome(0.0, (_fault("rows", f"profile table: {len(mine)} rows for {k} segments in your labels; "
                                    "give one row per segment", f"tableau des profils : {len(mine)} lignes pour "
                                    f"{k} segments dans vos labels ; une ligne par segment"),))
    announced = [v.name for v in scenario.variables]
    wanted = announced or [c for c in num.columns if _column(mine, _mean_forms(c))]
    if not wanted:
        return Outcome(0.0, (_fault("columns", "profile table: no column holds the mean of a variable of the analysis "
                                    "table (name it after the variable)", "tableau des profils : aucune colonne ne "
                                    "donne la moyenne d'une variable de la table d'analyse (nommez-la comme la variable)"),))
    sizes = np.bincount(codes, minlength=k).astype(float)
    ref = pd.DataFrame({"size": sizes, "share": sizes / sizes.sum()})
    cols: dict[str, str | None] = {"size": _column(mine, SIZE_NAMES), "share": _column(mine, SHARE_NAMES)}
    for var in wanted:
        ref[var] = num[var].groupby(codes).mean().to_numpy() if var in num.columns else np.nan
        cols[var] = _column(mine, _mean_forms(var))
    given = pd.DataFrame({c: pd.to_numeric(mine[src], errors="coerce").to_numpy(float) if src else np.full(k, np.nan)
                          for c, src in cols.items()}, columns=ref.columns).astype(float)
    if given["share"].sum() > 1.5:  # a percentage: compared in percent, rounding to one decimal
        ref["share"] *= 100.0
    atol = {"size": tol["size_atol"], "share": tol["share_percent_atol" if given["share"].sum() > 1.5 else "share_fraction_atol"]}
    # rows matched whatever their order: the pairing closest over every column given (Hungarian)
    scale = ref.abs().max().replace(0, 1.0).fillna(1.0)
    diff = np.abs(given.to_numpy()[:, None, :] - ref.to_numpy()[None, :, :]) / scale.to_numpy()
    rows, match = linear_sum_assignment(np.nan_to_num(diff, nan=1.0).sum(axis=2))
    faults = []
    for col in ref.columns:
        a, b = given[col].to_numpy()[rows], ref[col].to_numpy()[match]
        if cols[col] is None:
            faults.append(_fault("columns", f"profile table: no column for {col!r} (the {'mean' if col in wanted else col} "
                                 "of each segment)", f"tableau des profils : pas de colonne pour {col!r} "
                                 f"({'la moyenne' if col in wanted else col} de chaque segment)"))
        elif not np.allclose(a, b, rtol=0 if col in atol else tol["mean_rtol"],
                             atol=atol.get(col, tol["mean_atol"]), equal_nan=False):
            faults.append(_fault("values", f"profile table: the column {cols[col]!r} does not match its recomputation "
                                 "from your labels (size, share as a fraction or %, mean per segment)",
                                 f"tableau des profils : la colonne {cols[col]!r} ne correspond pas à son recalcul à "
                                 "partir de vos segments (effectif, part en fraction ou en %, moyenne par segment)"))
    return Outcome(1.0 - len(faults) / len(ref.columns), tuple(faults))


# --- names ------------------------------------------------------------------------------------------

def _named(names: object, label_names: tuple[str, ...]) -> dict[int, str | None]:
    if isinstance(names, pd.Series):
        names = names.to_dict()
    if not isinstance(names, dict):
        raise BadAnswer("names must be a dict {segment label: name} (or a Series)",
                        "names doit être un dict {segment : nom} (ou une Series)")
    given = {str(key): value for key, value in names.items()}
    # the label 2.0 and the label 2 name one segment
    given.update({str(int(key)): value for key, value in names.items()
                  if isinstance(key, (float, np.floating)) and float(key).is_integer()})
    return {code: (given[label].strip() if isinstance(given.get(label), str) and given[label].strip() else None)
            for code, label in enumerate(label_names)}


def names(names: object, *, table: object, labels: object, scenario: PublicScenario) -> Outcome:
    """Judge the target names against the segments' recomputed profiles.

    Parameters
    ----------
    names : dict or Series
        ``{segment label: name}``, one per segment of ``labels``.
    table, labels, scenario
        As for :func:`profiles`; ``scenario.value_feature`` backs the value words.

    Returns
    -------
    Outcome
        1 when there are at least two segments, every segment has a distinct name and none
        contradicts its profile (lies on the opposite side of both the customers' average and the
        median segment); otherwise 0 with faults ``names.single``, ``names.missing``,
        ``names.distinct``, ``names.contradiction``. Objective groups no
        name qualifies are a note ``names.objective`` (no cost).
    """
    s = settings()
    num, codes, label_names = _recompute(table, labels)
    named = _named(names, label_names)
    missing = [label_names[c] for c, n in named.items() if n is None]
    if missing:
        return Outcome(0.0, (Fault("names.missing", f"names: segment(s) {missing} have no name (text)",
                                   f"noms : le ou les segments {missing} n'ont pas de nom (texte)"),))
    if len({fold(n).strip() for n in named.values()}) < len(named):
        return Outcome(0.0, (Fault("names.distinct", "names: two segments share a name; each target needs its own",
                                   "noms : deux segments portent le même nom ; chaque cible doit avoir le sien"),))
    if len(named) < 2:
        return Outcome(0.0, (Fault("names.single", "names: a single segment qualifies no target (a target is a part of the "
                                   "customers): segment them first", "noms : un seul segment ne qualifie aucune cible "
                                   "(une cible est une partie des clients) : segmentez-les d'abord"),))
    means = num.groupby(codes).mean()
    faults = []
    for code, name in named.items():
        for concept in concepts_of(name):
            feature = scenario.value_feature if concept.feature == "value" else concept.feature
            if feature not in means.columns:
                continue
            # Names are comparative: "lapsed" in a base where the average customer has lapsed, or
            # "mid value" next to a few big spenders, names a segment against the others. A claim is
            # contradicted only when the segment lies on the opposite side of BOTH the customers'
            # average and the median of the segments' means (the lowest-value segment called "high
            # value", the most recent buyers called "lapsed"), never for a relative name.
            seg, avg, mid = means.at[code, feature], num[feature].mean(), means[feature].median()
            if concept.position == "above_average":
                contradicted = seg < avg and seg < mid
            else:
                contradicted = seg > avg and seg > mid
            if contradicted:
                side_en, side_fr = (("above", "supérieure") if concept.position == "above_average" else ("below", "inférieure"))
                faults.append(Fault(
                    "names.contradiction",
                    f"names: {name!r} claims a {concept.id.replace('_', ' ')} segment, but its mean {feature!r} is not "
                    f"{side_en} the customers' average: rename it from its profile",
                    f"noms : {name!r} annonce un segment « {concept.id.replace('_', ' ')} », mais sa moyenne de "
                    f"{feature!r} n'est pas {side_fr} à celle de l'ensemble des clients : renommez-le d'après son profil"))
    claimed = {c.group for n in named.values() for c in concepts_of(n)}
    left = [g for g in s.objectives.get(scenario.id, ()) if g not in claimed]
    notes = (Fault("names.objective", f"names: no name says which segment matters for the objective by {', '.join(left)}",
                   f"noms : aucun nom ne dit quel segment compte pour l'objectif par {', '.join(left)}"),) if left else ()
    return Outcome(0.0 if faults else 1.0, tuple(faults), notes)
