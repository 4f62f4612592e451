"""Public rules of notebook 1.1 (B1.1.a, B1.1.b): the chosen categories, the analysis table, the
justifications.

Pure functions: plain values in, :class:`~workbench_candidate.outcome.Outcome` out. They read
only the :class:`~workbench_candidate.scenario.PublicScenario` (what the instructions and the data
dictionary announce), never an answer key, so the self-check that runs them can never serve as an
oracle. The judge runs them again before its own key rules
(``workbench.autograde.judge.rules.collection``). Thresholds live in ``collection.yml`` next to
this module.

Rule ids: ``collection.categories.{empty,unknown,target}`` (note ``collection.categories.identifying``),
``collection.table.{customer_id,rows,variables,numeric,missing_values,dataset_columns}``,
``collection.justifications.{unknown,missing,duplicate,privacy}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from workbench_candidate.outcome import BadAnswer, Fault, Outcome, fail
from workbench_candidate.scenario import PublicScenario

RULES_FILE = Path(__file__).with_name("collection.yml")


# --- thresholds (collection.yml), validated on load ----------------------------------------------

@dataclass(frozen=True)
class Thresholds:
    id_column: str
    target_fraction: float
    remark_kinds: tuple[str, ...]
    min_words: int
    duplicate_fraction: float
    no_privacy_fraction: float
    privacy: tuple[re.Pattern, ...]
    allow_missing: bool


def _fraction(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{RULES_FILE.name}: {where} must be a number within [0, 1], not {value!r}")
    return float(value)


@lru_cache(maxsize=1)
def thresholds() -> Thresholds:
    """The thresholds of ``collection.yml``; a malformed file is a ``ValueError`` naming the key."""
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    try:
        cat, just, table = data["categories"], data["justifications"], data["analysis_table"]
        words = just["min_words"]
        if isinstance(words, bool) or not isinstance(words, int) or words < 1:
            raise ValueError(f"{RULES_FILE.name}: justifications.min_words must be a positive integer")
        patterns = tuple(re.compile(str(p), re.IGNORECASE) for p in just["privacy_patterns"])
        if not patterns:
            raise ValueError(f"{RULES_FILE.name}: justifications.privacy_patterns is empty")
        return Thresholds(
            id_column=str(data["id_column"]),
            target_fraction=_fraction(cat["target_fraction"], "categories.target_fraction"),
            remark_kinds=tuple(str(k) for k in cat["remark_kinds"]),
            min_words=words,
            duplicate_fraction=_fraction(just["duplicate_fraction"], "justifications.duplicate_fraction"),
            no_privacy_fraction=_fraction(just["no_privacy_fraction"], "justifications.no_privacy_fraction"),
            privacy=patterns, allow_missing=bool(table["allow_missing"]))
    except (KeyError, TypeError, re.error) as exc:
        raise ValueError(f"{RULES_FILE.name} is malformed ({type(exc).__name__}: {exc})") from None


# --- shared readers (the judge's key rules use them too) ------------------------------------------

def as_names(chosen: object, what: str = "chosen") -> list[str]:
    """The category names of a list-like of texts, stripped, in order, without repeats."""
    if isinstance(chosen, (str, bytes, Mapping, pd.DataFrame)) or not isinstance(
            chosen, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)):
        raise BadAnswer(f"{what} must be a list of category names (texts), e.g. ['category_a', 'category_b'], "
                        f"not a {type(chosen).__name__}",
                        f"{what} doit être une liste de noms de catégories (textes), par ex. "
                        f"['categorie_a', 'categorie_b'], pas un {type(chosen).__name__}")
    names = list(chosen)
    if not all(isinstance(n, str) for n in names):
        raise BadAnswer(f"every element of {what} must be a category name (a text)",
                        f"chaque élément de {what} doit être un nom de catégorie (un texte)")
    return list(dict.fromkeys(n.strip() for n in names))


def key_category(scenario: PublicScenario) -> str | None:
    """The category of the customer id (e.g. ``customer_key``): always kept, never argued."""
    return scenario.category_of(thresholds().id_column)


def words(text: object) -> int:
    return len(re.findall(r"\w+", text)) if isinstance(text, str) else 0


def norm_ids(values: object) -> pd.Index:
    """Customer ids without padding: '00042', 42 and '42' are the same customer."""
    idx, name = pd.Index(values), thresholds().id_column
    if idx.dtype.kind in "iu":
        return pd.Index(idx.astype(np.int64), name=name)
    if idx.dtype.kind == "f" and len(idx) and np.isfinite(idx.to_numpy()).all() \
            and (idx.to_numpy() == np.round(idx.to_numpy())).all():
        return pd.Index(idx.astype(np.int64), name=name)
    if idx.inferred_type == "string":
        try:  # '00042' and ' 42' -> 42, in C (about ten times faster than the str accessors)
            return pd.Index(idx.astype(np.int64), name=name)
        except (TypeError, ValueError, OverflowError):
            pass
    return pd.Index(idx.astype(str).str.strip(), name=name)


def customer_ids(table: pd.DataFrame) -> pd.Index | None:
    """The customer ids of a table (the id column, else a named or text index), normalised."""
    col = thresholds().id_column
    if col in table.columns:
        return norm_ids(table[col])
    if table.index.name == col or (table.index.dtype == object and len(table) > 0):
        return norm_ids(table.index)
    return None


def as_table(table: object) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise BadAnswer(f"the analysis table must be a pandas DataFrame, not a {type(table).__name__}",
                        f"la table d'analyse doit être un DataFrame pandas, pas un {type(table).__name__}")
    return pd.DataFrame(table, copy=False)


# --- B1.1.a: the chosen categories ----------------------------------------------------------------

def categories(chosen: object, *, scenario: PublicScenario) -> Outcome:
    """Known category names of the dictionary, at least one, never the target category."""
    names = as_names(chosen)
    if not names:
        return fail("collection.categories.empty", "`chosen` is empty: choose the categories the campaign needs.",
                    "`chosen` est vide : choisissez les catégories dont la campagne a besoin.")
    unknown = [n for n in names if n not in scenario.categories]
    if unknown:
        return fail("collection.categories.unknown",
                    f"`chosen` names unknown categories: {unknown}. Use the ids of the `category` column of "
                    "data/dictionary.csv.",
                    f"`chosen` contient des catégories inconnues : {unknown}. Utilisez les identifiants de la "
                    "colonne `category` de data/dictionary.csv.")
    t = thresholds()
    out = Outcome()
    target = [n for n in names if scenario.categories[n].kind == "target"]
    if target:
        out = out.combine(fail(
            "collection.categories.target",
            f"`chosen` keeps {target[0]!r}, the variable the campaign tries to predict (kind `target` in the "
            "dictionary): segmenting on it is leakage. Leave it out and say why in `justifications`.",
            f"`chosen` garde {target[0]!r}, la variable que la campagne cherche à prédire (type `target` du "
            "dictionnaire) : segmenter dessus est une fuite. Écartez-la et dites pourquoi dans `justifications`.",
            fraction=t.target_fraction))
    key = key_category(scenario)
    flagged = [n for n in names if n != key and (scenario.categories[n].kind in t.remark_kinds
                                                  or scenario.categories[n].special)]
    if flagged:
        out = Outcome(out.fraction, out.faults, out.notes + (Fault(
            "collection.categories.identifying",
            f"`chosen` keeps identifying or special-category data ({', '.join(flagged)}): GDPR data "
            "minimisation allows it only if the analysis needs it; argue it in `justifications`.",
            f"`chosen` garde des données identifiantes ou sensibles ({', '.join(flagged)}) : la minimisation "
            "(RGPD) ne l'admet que si l'analyse en a besoin ; argumentez-le dans `justifications`."),), out.review)
    return out


# --- B1.1.a: the analysis table (structure) -------------------------------------------------------

def analysis_table(table: object, *, scenario: PublicScenario) -> Outcome:
    """A DataFrame, the customer id, one row per customer, the announced variables numeric, no NaN."""
    df = as_table(table)
    t = thresholds()
    ids = customer_ids(df)
    if ids is None:
        return fail("collection.table.customer_id",
                    f"`table` has no customer id: keep a `{t.id_column}` column (or index).",
                    f"`table` n'a pas d'identifiant client : gardez une colonne (ou un index) `{t.id_column}`.")
    if ids.has_duplicates:
        n = int(ids.duplicated().sum())
        return fail("collection.table.rows",
                    f"`table` repeats {n} customer id(s): it must have one row per customer (aggregate the rows "
                    "of each customer).",
                    f"`table` répète {n} identifiant(s) client : il faut une ligne par client (agrégez les lignes "
                    "de chaque client).")
    out = Outcome()
    required = [v.name for v in scenario.variables]
    missing = [c for c in required if c not in df.columns]
    if missing:
        out = out.combine(fail("collection.table.variables",
                               f"`table` lacks the column(s) {missing} that the instructions define.",
                               f"`table` n'a pas la ou les colonnes {missing} que l'énoncé définit."))
    not_numeric = [c for c in required if c in df.columns
                   and (not pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c]))]
    if not_numeric:
        out = out.combine(fail("collection.table.numeric",
                               f"column(s) {not_numeric} of `table` must hold numbers (convert dates to days and "
                               "amounts to numbers first).",
                               f"la ou les colonnes {not_numeric} de `table` doivent contenir des nombres "
                               "(convertissez d'abord les dates en jours et les montants en nombres)."))
    if not t.allow_missing:
        holes = [str(c) for c in df.columns if df[c].isna().any()]
        if t.id_column not in df.columns and df.index.isna().any():
            holes.append(t.id_column)
        if holes:
            out = out.combine(fail("collection.table.missing_values",
                                   f"`table` has missing values in {holes}: handle them before the analysis.",
                                   f"`table` a des valeurs manquantes dans {holes} : traitez-les avant l'analyse."))
    if not required:  # the candidate's own columns: at least one of the sources' columns
        known = {c for cat in scenario.categories.values() for c in cat.columns} - {t.id_column}
        if not known & {str(c) for c in df.columns}:
            out = out.combine(fail("collection.table.dataset_columns",
                                   "`table` holds none of the sources' columns: keep the columns of the "
                                   "categories you chose (see data/dictionary.csv).",
                                   "`table` ne contient aucune colonne des sources : gardez les colonnes des "
                                   "catégories choisies (voir data/dictionary.csv)."))
    return out


# --- B1.1.b: the justifications -------------------------------------------------------------------

def reasons_of(justifications: object) -> dict[str, str]:
    """``{category id: reason}`` from a mapping of texts."""
    if not isinstance(justifications, Mapping):
        raise BadAnswer(f"`justifications` must be a dict {{category id: reason}}, not a "
                        f"{type(justifications).__name__}",
                        f"`justifications` doit être un dict {{identifiant de catégorie : raison}}, pas un "
                        f"{type(justifications).__name__}")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in justifications.items()):
        raise BadAnswer("every key of `justifications` must be a category id and every value a text (a sentence)",
                        "chaque clé de `justifications` doit être un identifiant de catégorie et chaque valeur "
                        "un texte (une phrase)")
    return {k.strip(): v for k, v in justifications.items()}


def justifications(justifications: object, *, chosen: object, scenario: PublicScenario) -> Outcome:
    """Every kept category, and every left-out category that must be argued, has a reason."""
    reasons = reasons_of(justifications)
    kept = set(as_names(chosen, "chosen"))
    t = thresholds()
    unknown = sorted(set(reasons) - set(scenario.categories))
    if unknown:
        return fail("collection.justifications.unknown",
                    f"`justifications` names unknown categories: {unknown}. Use the ids of data/dictionary.csv.",
                    f"`justifications` contient des catégories inconnues : {unknown}. Utilisez les identifiants "
                    "de data/dictionary.csv.")
    key = key_category(scenario)  # always in the table: neither a choice to argue nor left out
    needed = sorted((kept & set(scenario.categories)) - {key})
    needed += sorted(c for c, cat in scenario.categories.items()
                     if c not in kept and c != key and cat.must_be_argued)
    short = [c for c in needed if words(reasons.get(c)) < t.min_words]
    out = Outcome()
    if short:
        kept_short = [c for c in short if c in kept]
        out_short = [c for c in short if c not in kept]
        en, fr = [], []
        if kept_short:
            en.append(f"kept {kept_short}")
            fr.append(f"gardées {kept_short}")
        if out_short:
            en.append(f"left out although identifying, special-category or target data {out_short}")
            fr.append(f"écartées alors qu'identifiantes, sensibles ou cibles {out_short}")
        out = out.combine(fail(
            "collection.justifications.missing",
            f"these categories need a reason of at least {t.min_words} words in `justifications`: "
            f"{'; '.join(en)}. Say why, in the light of the strategy.",
            f"ces catégories demandent une raison d'au moins {t.min_words} mots dans `justifications` : "
            f"{' ; '.join(fr)}. Dites pourquoi, au regard de la stratégie.",
            fraction=1.0 - len(short) / len(needed)))
    texts = {c: " ".join(re.findall(r"\w+", v.casefold())) for c, v in reasons.items() if words(v)}
    seen: dict[str, str] = {}
    twins = []
    for c, text in texts.items():
        if text in seen:
            twins.append((seen[text], c))
        seen.setdefault(text, c)
    if twins:
        a, b = twins[0]
        out = out.combine(fail("collection.justifications.duplicate",
                               f"{a!r} and {b!r} share the same reason: justify each decision on its own.",
                               f"{a!r} et {b!r} ont la même raison : justifiez chaque décision séparément.",
                               fraction=t.duplicate_fraction))
    if not any(p.search(v) for v in reasons.values() for p in t.privacy):
        out = out.combine(fail("collection.justifications.privacy",
                               "none of your reasons says what data protection (GDPR) requires of this choice: "
                               "minimisation, personal or sensitive data.",
                               "aucune de vos raisons ne dit ce que la protection des données (RGPD) impose à ce "
                               "choix : minimisation, données personnelles ou sensibles.",
                               fraction=t.no_privacy_fraction))
    return out
