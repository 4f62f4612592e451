"""Typical candidate mistakes, each a small patch of one answer cell of the reference solution.

A flaw names the criteria whose *autograded* cells must lose points; every other autograded
cell of the notebook must keep full marks. An empty ``loses`` means the mistake is for the
rubric graders only (the autograder cannot judge it, and must not penalise it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flaw:
    id: str
    scenario: str
    notebook: str
    cell: str                 # grade_id of the answer cell the candidate got wrong
    old: str | None           # text of the reference answer that is replaced (None: whole cell)
    new: str
    loses: frozenset[str]     # criteria whose autograded cells must lose points
    why: str

    def apply(self, answers: dict[str, str]) -> dict[str, str]:
        """Return a copy of ``answers`` with this flaw's cell patched."""
        patched = dict(answers)
        if self.old is None:
            patched[self.cell] = self.new
        else:
            if self.old not in answers[self.cell]:
                raise AssertionError(f"flaw {self.id}: {self.old!r} not in the reference answer of {self.cell}")
            patched[self.cell] = answers[self.cell].replace(self.old, self.new)
        return patched


def _f(id, scenario, notebook, cell, old, new, loses, why) -> Flaw:
    return Flaw(id, scenario, notebook, cell, old, new, frozenset(loses), why)


CD, CA = "cdnow_winback", "caravan_crosssell"
N11, N12, N13 = "1_1_collecte", "1_2_analyse", "1_3_visualisation"

FLAWS: tuple[Flaw, ...] = (
    # 1.1 — collecting the relevant data
    _f("contact_details_kept", CD, N11, "choose_categories", '"purchase_value"]',
       '"purchase_value", "contact_details"]', {"B1.1.a"},
       "e-mail and phone kept as analysis variables (no purpose: GDPR minimisation)"),
    _f("target_as_category", CA, N11, "choose_categories", '"product_counts"]',
       '"product_counts", "target"]', {"B1.1.a"},
       "the caravan policy, the very variable the campaign targets, chosen as a category (leakage)"),
    _f("mean_instead_of_total", CD, N11, "build_table", 'monetary=("dollar_value", "sum")',
       'monetary=("dollar_value", "mean")', {"B1.1.a"},
       "monetary value computed as the average basket, not the total spent"),
    _f("exclusions_not_explained", CD, N11, "justify_categories", None,
       'justifications = {\n'
       '    "purchase_dates": "Recency shows which customers lapsed, the heart of a win-back campaign.",\n'
       '    "purchase_value": "Money spent measures value, which the strategy wants to prioritise.",\n'
       '    "purchase_volume": "Frequency separates loyal customers from one-off buyers here.",\n'
       '}', {"B1.1.b"},
       "kept categories justified, but the personal data left out are not discussed"),
    # 1.2 — statistical analysis
    _f("target_as_feature", CA, N12, "features", "prepared = table[feature_names]",
       'feature_names = feature_names + ["Purchase"]\n'
       'prepared = table[feature_names].assign(Purchase=(table["Purchase"] == "Yes").astype(int))',
       {"B1.2.a"}, "the target (caravan policy) used as a segmentation feature"),
    _f("no_scaling", CD, N12, "features", None,
       'feature_names = ["recency_days", "frequency", "monetary"]\n'
       'X = table[feature_names].astype(float)', {"B1.2.a"},
       "raw RFM fed to k-means: dollars dominate the distance"),
    _f("k_equals_1", CD, N12, "choose_k", "k = 4", "k = 1", {"B1.2.a", "B1.2.b"},
       "k = 1: no segmentation, hence no target to qualify either"),
    _f("k_equals_20", CD, N12, "choose_k", "k = 4", "k = 20", {"B1.2.a"},
       "k = 20 on 23,570 customers: tiny, unusable segments"),
    _f("labels_misaligned", CD, N12, "cluster", None,
       "labels = np.sort(KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(X))", {"B1.2.a"},
       "labels sorted, so they no longer belong to their rows"),
    _f("profiles_on_scaled_features", CD, N12, "profile", "profile = table.groupby(labels)[key].mean()",
       "profile = X.groupby(labels)[key].mean()", {"B1.2.b"},
       "profiles computed on the scaled features instead of the customers' real values"),
    _f("lowest_value_named_high", CD, N12, "names", '#{rank + 1}"\nnames',
       '#{rank + 1}"\nnames[ranked[0]], names[ranked[-1]] = names[ranked[-1]], names[ranked[0]]\nnames', {"B1.2.b"},
       'the lowest-value segment is called "High value"'),
    # 1.3 — visualising the results
    _f("pie_with_12_slices", CD, N13, "fig_sizes", None,
       'fig_sizes, ax = plt.subplots(figsize=(6, 6))\n'
       'tiers = pd.qcut(table[VALUE].rank(method="first"), 12, labels=[f"tier {i}" for i in range(1, 13)])\n'
       'spend = table.groupby(tiers, observed=True)[VALUE].sum()\n'
       'ax.pie(spend, labels=spend.index)\n'
       'ax.set_title("Where the value comes from")', {"B1.3.a", "B1.3.b"},
       "a 12-slice pie (unreadable), which moreover shows value tiers instead of the segments"),
    _f("unlabeled_axes", CD, N13, "fig_sizes",
       'ax.set_xlabel("Segment (S1 = highest value)")\nax.set_ylabel("Share of the total (%)")\n', "",
       {"B1.3.a"}, "bar chart without axis labels"),
    _f("bars_do_not_match", CD, N13, "fig_sizes", "summary.plot.bar(",
       'pd.DataFrame({"customers (%)": [10, 20, 30, 40], "value (%)": [45, 30, 20, 5]},\n'
       '             index=summary.index).plot.bar(', {"B1.3.b"},
       "bars drawn from numbers typed by hand from a draft: they do not match the computed shares"),
    _f("raw_data_instead_of_results", CD, N13, "projection_map",
       'ax.scatter(points["x"], points["y"],',
       'raw = table.loc[points.index]\n    ax.scatter(raw["recency_days"], raw["monetary"],', {"B1.3.b"},
       "raw recency/monetary plotted instead of the projection the figure claims to show"),
    _f("summary_contradicts_figures", CD, N13, "summary_rubric", None,
       "- Focus the campaign on one-off buyers: they bring most of our value.\n"
       "- The top segment is inactive and must be won back first.", set(),
       "an executive summary that contradicts the figures: for the rubric graders only"),
)
