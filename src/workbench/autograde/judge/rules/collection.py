"""Key rules of notebook 1.1 (B1.1.a), run by the judge only.

Each rule runs the public rule of :mod:`workbench_candidate.rules.collection` first (the very
checks the candidate's self-check ran), then the part that needs the answer key or the
reference data of a :class:`~workbench.autograde.judge.keys.ScenarioKey`. Tolerances and
penalties are data: ``collection.yml`` next to this module, validated on load.

* ``categories(chosen, justifications, *, key)``: ``fraction = max(0, F1 - 0.5 x personal -
  1.0 x leakage)``, with precision = relevant kept / kept and recall = relevant kept /
  (relevant - relevant left out with an argued reason); neutral categories count neither way.
  An argued omission is not a miss: a marker judges the argument (``Outcome.review``).
  Rule ids ``collection.categories.{missing,irrelevant,personal,leakage}``.
* ``analysis_table(table, *, key)``: the customers of the released data (``customers_weight``)
  and the compared variables (the rest, each variable off costing ``wrong_variable_cost`` of it)
  against the recomputation, aligned by customer id, with the announced tolerances and every accepted definition. Rule ids
  ``collection.table.{customers,values,dataset_columns}``.

Messages name the variable and how many customers are off; never an expected value, never an
answer-key category.
"""

from __future__ import annotations

import weakref
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbench.autograde.judge.keys import ScenarioKey
from workbench.errors import ConfigError
from workbench_candidate.outcome import BadAnswer, Fault, Outcome, fail
from workbench_candidate.rules import collection as public

RULES_FILE = Path(__file__).with_name("collection.yml")


# --- thresholds (collection.yml) ------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CategoriesRules(_Strict):
    personal_penalty: float = Field(ge=0, le=1)
    leakage_penalty: float = Field(ge=0, le=1)
    argued_min_words: int = Field(ge=1)


class Tolerance(_Strict):
    atol: float = Field(ge=0)
    rtol: float = Field(ge=0, lt=1)


class DerivedTolerance(Tolerance):
    variants: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _known(self) -> DerivedTolerance:
        unknown = set(self.variants) - {"rows", "dedup_rows", "distinct"}
        if unknown:
            raise ValueError(f"unknown variant(s) {sorted(unknown)} (rows, dedup_rows, distinct)")
        return self


class TableRules(_Strict):
    customers_weight: float = Field(ge=0, le=1)
    wrong_variable_cost: float = Field(gt=0, le=1)
    derived: dict[str, DerivedTolerance]
    dataset_columns: Tolerance

    @model_validator(mode="after")
    def _every_aggregation(self) -> TableRules:
        missing = {"days_since_last", "count", "sum", "mean"} - set(self.derived)
        if missing:
            raise ValueError(f"derived lacks the aggregation(s) {sorted(missing)}")
        return self


class Rules(_Strict):
    categories: CategoriesRules
    analysis_table: TableRules


@lru_cache(maxsize=1)
def rules() -> Rules:
    """``collection.yml``, validated; a fault is one :class:`ConfigError` line naming the file."""
    try:
        return Rules.model_validate(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"the judge's collection rules are unreadable: {type(exc).__name__}: "
                          f"{str(exc)[:300]}", where=str(RULES_FILE)) from None


# --- B1.1.a: the chosen categories ----------------------------------------------------------------

def categories(chosen: object, justifications: object, *, key: ScenarioKey) -> Outcome:
    """Public rules, then ``points x F1`` against the answer key (see the module docstring)."""
    out = public.categories(chosen, scenario=key.public)
    if any(f.rule in ("collection.categories.empty", "collection.categories.unknown") for f in out.faults):
        return out
    cfg = rules().categories
    names = set(public.as_names(chosen))
    answer = key.scenario.answer_key
    relevant, neutral = set(answer.relevant), set(answer.neutral)
    personal, leakage = set(answer.personal_without_purpose), set(answer.leakage)
    try:
        reasons = public.reasons_of(justifications)
    except BadAnswer:  # judged in its own cell; here it only means "no omission is argued"
        reasons = {}
    hits = names & relevant
    argued = sorted(c for c in relevant - names if public.words(reasons.get(c)) >= cfg.argued_min_words)
    missed = relevant - names - set(argued)
    f1 = 0.0
    if hits:  # neutral categories count neither way; an argued omission is not a miss
        precision = len(hits) / len(names - neutral)
        recall = len(hits) / (len(relevant) - len(argued))
        f1 = 2 * precision * recall / (precision + recall)
    kept_personal, kept_leakage = names & personal, names & leakage
    fraction = max(0.0, f1 - cfg.personal_penalty * len(kept_personal) - cfg.leakage_penalty * len(kept_leakage))
    faults: list[Fault] = []
    if missed:
        faults.append(Fault(
            "collection.categories.missing",
            "at least one category the objective depends on is missing from `chosen`, and `justifications` "
            f"does not argue its omission (a reason of at least {cfg.argued_min_words} words): reread the "
            "strategy and ask which customer behaviours it relies on.",
            "au moins une catégorie dont l'objectif dépend manque dans `chosen`, et `justifications` "
            f"n'argumente pas son absence (une raison d'au moins {cfg.argued_min_words} mots) : relisez la "
            "stratégie et demandez-vous sur quels comportements clients elle repose."))
    # Every category of the dictionary is classified by the answer key (the scenario loader refuses
    # one that is not) and an unknown name returned above, so a kept category is relevant, neutral,
    # personal or leakage: "irrelevant" can only mean that none of them is relevant.
    if not hits:
        faults.append(Fault("collection.categories.irrelevant",
                            "none of your categories serves the objective of this campaign.",
                            "aucune de vos catégories ne sert l'objectif de cette campagne."))
    if kept_personal:
        faults.append(Fault("collection.categories.personal",
                            "`chosen` keeps personal data that serves no purpose for this objective: GDPR data "
                            "minimisation asks you to drop it.",
                            "`chosen` garde des données personnelles qui ne servent pas cet objectif : la "
                            "minimisation (RGPD) demande de les écarter."))
    # the public rule already said it when the leaked variable is the dictionary's `target` kind:
    # one line per fault for the candidate, the penalty above applies either way
    if kept_leakage and not any(f.rule == "collection.categories.target" for f in out.faults):
        faults.append(Fault("collection.categories.leakage",
                            "`chosen` keeps the variable the campaign tries to predict: segmenting on it is leakage.",
                            "`chosen` garde la variable que la campagne cherche à prédire : segmenter dessus est "
                            "une fuite."))
    review = tuple(f"collection.categories (B1.1.a): {c!r} is left out with a reason in `justifications`; "
                   "judge whether the argument holds" for c in argued)
    return out.combine(Outcome(round(fraction, 4), tuple(faults), (), review))


# --- B1.1.a: the analysis table -------------------------------------------------------------------

_LOADERS = {"cdnow": "load_cdnow_transactions", "caravan": "load_caravan", "telco": "load_telco"}
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _reference(key: ScenarioKey) -> dict:
    """Per key, once: the expected ids, every accepted variant of each derived variable and the
    dataset's per-customer columns, all indexed by normalised customer id."""
    if key in _cache:
        return _cache[key]
    import workbench.datasets as datasets

    id_col = public.thresholds().id_column
    ref = key.reference_table
    expected = public.norm_ids(ref[id_col])
    rows = getattr(datasets, _LOADERS[key.scenario.dataset])(root=key.data_dir)
    rows = rows.assign(**{id_col: public.norm_ids(rows[id_col]).to_numpy()})
    cfg = rules().analysis_table
    variants: dict[str, dict[str, pd.Series]] = {}
    derived = [f for f in (key.scenario.derived(v.name) for v in key.public.variables) if f is not None]
    for feature in derived:
        sources = {"rows": rows, "dedup_rows": rows.drop_duplicates(),
                   "distinct": rows.drop_duplicates([id_col, feature.column])}
        found = {}
        for name in cfg.derived[feature.aggregation].variants:
            grouped = sources[name].groupby(id_col)[feature.column]
            if feature.aggregation == "days_since_last":
                series = (pd.Timestamp(key.scenario.snapshot_date) - grouped.max()).dt.days
            else:
                series = getattr(grouped, {"count": "size", "sum": "sum", "mean": "mean"}[feature.aggregation])()
            found[name] = series  # indexed by customer, read at the candidate's customers (.loc)
        variants[feature.name] = found
    columns = None
    if not variants:  # the candidate's own columns, each compared with the dataset's value
        columns = rows.drop_duplicates(id_col).set_index(id_col)
    _cache[key] = out = {"expected": expected, "variants": variants, "columns": columns}
    return out


def _off(mine: pd.Series, ref: pd.Series, tol) -> np.ndarray:
    """Customers whose value is outside ``atol + rtol x |ref|`` (a missing value is off)."""
    a = pd.to_numeric(mine, errors="coerce").to_numpy(dtype=float)
    b = ref.to_numpy(dtype=float)
    # a NaN compares False (off) without a warning; 1e-9 absorbs the binary rounding of decimals
    return ~(np.abs(a - b) <= tol.atol + tol.rtol * np.abs(b) + 1e-9)


def _value_fault(column: str, n_off: int, n: int, hint_en: str, hint_fr: str) -> Fault:
    return Fault("collection.table.values",
                 f"`{column}` is off for {n_off} of {n} customers compared with its definition in the "
                 f"instructions, recomputed from the released data{hint_en}.",
                 f"`{column}` est faux pour {n_off} clients sur {n} par rapport à sa définition dans "
                 f"l'énoncé, recalculée à partir des données fournies{hint_fr}.")


def analysis_table(table: object, *, key: ScenarioKey) -> Outcome:
    """Public structure, then the customers and every variable's values (module docstring)."""
    out = public.analysis_table(table, scenario=key.public)
    if out.fraction == 0.0:
        return out
    cfg = rules().analysis_table
    ref = _reference(key)
    df = public.as_table(table)
    ids = public.customer_ids(df)
    df = df.drop(columns=[public.thresholds().id_column], errors="ignore").set_axis(ids)
    expected: pd.Index = ref["expected"]
    common = ids.intersection(expected)
    faults: list[Fault] = []
    customers_ok = len(common) == len(expected) == len(ids)
    if len(common) == 0:
        return out.combine(fail(
            "collection.table.customers",
            "none of the ids of `table` is a customer id of the released data, so no value could be compared: "
            "keep the ids as the sources write them.",
            "aucun identifiant de `table` n'est un identifiant client des données fournies, donc aucune valeur "
            "n'a pu être comparée : gardez les identifiants tels que les sources les écrivent."))
    if not customers_ok:
        missing, extra = len(expected.difference(ids)), len(ids.difference(expected))
        en, fr = [], []
        if missing:
            en.append(f"{missing} customers of the released data have no row")
            fr.append(f"{missing} clients des données fournies n'ont pas de ligne")
        if extra:
            en.append(f"{extra} rows are not customers of the released data (check the aggregation key)")
            fr.append(f"{extra} lignes ne sont pas des clients des données fournies (vérifiez la clé d'agrégation)")
        faults.append(Fault("collection.table.customers", f"`table`: {'; '.join(en)}.", f"`table` : {' ; '.join(fr)}."))
    mine = df.loc[common]
    wrong = 0  # the public rule scored 0 a table lacking an announced variable: each is here
    for column, found in ref["variants"].items():
        tol = cfg.derived[key.scenario.derived(column).aggregation]
        offs = [_off(mine[column], series.loc[common], tol) for series in found.values()]
        best = min(offs, key=lambda o: int(o.sum()))
        if best.any():
            wrong += 1
            hint_en = hint_fr = ""
            if key.scenario.derived(column).aggregation == "days_since_last":
                # an announced variable is numeric here (the public rule scored 0 otherwise); one
                # shift for every customer (nunique skips missing values) means another reference date
                diff = mine[column] - next(iter(found.values())).loc[common]
                if best.all() and diff.nunique() == 1:
                    hint_en = ": every customer is off by the same number of days, so it is measured from " \
                              "another date than the snapshot date"
                    hint_fr = " : tous les clients sont décalés du même nombre de jours, elle est donc mesurée " \
                              "depuis une autre date que la date d'observation"
            faults.append(_value_fault(column, int(best.sum()), len(common), hint_en, hint_fr))
    if ref["columns"] is not None:
        data = ref["columns"]
        kept = [c for c in mine.columns if c in data.columns]
        if not kept:
            return out.combine(fail("collection.table.dataset_columns",
                                    "`table` keeps none of the customer columns of the dataset file: keep the "
                                    "columns of the categories you chose.",
                                    "`table` ne garde aucune colonne client du fichier de données : gardez les "
                                    "colonnes des catégories choisies."))
        for column in kept:
            expect = data.loc[common, column]
            if pd.api.types.is_numeric_dtype(expect):
                off = _off(mine[column], expect, cfg.dataset_columns)
            else:
                off = (mine[column].astype(str).to_numpy() != expect.astype(str).to_numpy())
            if off.any():
                wrong += 1
                faults.append(_value_fault(column, int(off.sum()), len(common),
                                           " (it must equal the dataset's value for the same customer id: rows "
                                           "reordered without their id, or values altered?)",
                                           " (elle doit égaler la valeur du fichier pour le même identifiant : "
                                           "lignes réordonnées sans leur identifiant, ou valeurs modifiées ?)"))
    # A table is the data the whole analysis rests on: one variable wrong (the average basket for
    # the total spent) misstates every segment built on it, so it costs `wrong_variable_cost` of
    # the values' share however many variables there are (an equal share each let one wrong
    # variable of three keep 3/4 of the points, above the criterion's threshold share).
    values_share = max(0.0, 1.0 - cfg.wrong_variable_cost * wrong)
    fraction = cfg.customers_weight * customers_ok + (1 - cfg.customers_weight) * values_share
    return out.combine(Outcome(round(fraction, 4), tuple(faults)))
