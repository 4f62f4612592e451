"""The feedback page heads each graded cell with a plain title, never its internal grade id (fast)."""

from __future__ import annotations

import pytest

from workbench.referentiel import load_referentiel
from workbench.reports.nbfeedback import _inject, cell_titles
from workbench.scores import load_criterion_map

# The markup nbgrader 0.9.6's feedback template writes (formgrader/templates/feedback/index.html.j2)
PAGE = """<html><head></head><body>
<h4>1_1_collecte (Score: 3.0 / 12.0)</h4>
<ol>
<li><a href="#collect_categories">Test cell</a> (Score: 2.0 / 2.0)</li>
<li><a href="#justification_rubric">Written response</a> (Score: 0.0 / 3.0)</li>
</ol>
<div class="panel-heading"><span class="nbgrader-label">Grade cell: <code>collect_categories</code></span>
  <span class="pull-right">
      Score: 2.0 / 2.0 <a href="#top">(Top)</a>
  </span></div>
<div class="panel-heading"><span class="nbgrader-label">Student's answer</span></div>
</body></html>"""


@pytest.mark.parametrize("lang, check, answer", [
    ("fr", "Vérification automatique — B1.1.a Pertinence du choix des catégories",
     "Réponse écrite — B1.1.b Qualité des justifications au regard de la stratégie"),
    ("en", "Automatic check — B1.1.a ", "Written answer — B1.1.b "),
])
def test_graded_cells_are_titled_by_what_they_are_and_their_criterion(lang, check, answer):
    titles = cell_titles(load_criterion_map(), "1_1_collecte", ref=load_referentiel(), lang=lang)
    assert set(titles) == {"collect_categories", "justification_structure", "justification_rubric",
                           "analysis_table", "categories_rubric"}
    html = _inject(PAGE, "<div>block</div>", lang, titles)
    assert "<code>collect_categories</code>" not in html and "Grade cell" not in html and "Cellule notée" not in html
    assert f'<span class="nbgrader-label">{check}' in html.replace("&#x27;", "'")
    assert f'<a href="#collect_categories">{check}' in html and f'<a href="#justification_rubric">{answer}' in html
    # the anchors stay: the contents still link to the cells
    assert 'href="#collect_categories"' in html and "<div>block</div>" in html
