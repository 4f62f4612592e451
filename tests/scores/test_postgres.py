"""The same cohort path on a real PostgreSQL gradebook: scores, rubric import, decisions, audit tables."""

from __future__ import annotations

import pytest
from nbgrader.api import Gradebook
from sqlalchemy import create_engine, inspect

from tests.scores.factory import MAP_PATH, build_gradebook, full_marks, with_levels
from workbench.errors import InputError
from workbench.scores.records import resolve_audit
from workbench.scores.rubric_import import import_rubric_csv
from workbench.validator.audit import history, open_audit, record
from workbench.validator.run import build_decisions

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url():
    from tests.autograde import services

    if services.postgres_bindir() is None:
        pytest.skip("PostgreSQL is not installed (scripts/install-system-packages)")
    with services.postgres_server() as url:
        pending = with_levels(2)
        del pending["targets_rubric"]
        build_gradebook(url, {"ana": full_marks(), "bea": pending, "chloé": None})
        yield url


def test_postgres_gradebook_scores_import_and_audit(pg_url, tmp_path):
    d = build_decisions(gradebook=pg_url, criterion_map=MAP_PATH)
    bea = d.documents[d.candidates.index("bea")]
    assert bea["criteria"]["B1.2.b"]["state"] == "not_evaluated"
    assert d.documents[0]["blocks"]["B1"] == "validated"

    bad = tmp_path / "bad.csv"
    bad.write_text("candidate,criterion,level\nbea,B1.2.b,2\nbea,B1.3.b,7\n", encoding="utf-8")
    with pytest.raises(InputError, match="level 7 is above the maximum 3"):
        import_rubric_csv(csv_path=bad, gradebook=pg_url, criterion_map=MAP_PATH)
    with Gradebook(pg_url) as gb:  # nothing written by the rejected file
        assert gb.find_grade("targets_rubric", "1_2_segmentation", "block1", "bea").manual_score is None

    good = tmp_path / "good.csv"
    good.write_text("candidate;criterion;level;comment;grader\nbea;B1.2.b;excellent;Cibles chiffrées;Léa\n",
                    encoding="utf-8-sig")
    import_rubric_csv(csv_path=good, gradebook=pg_url, criterion_map=MAP_PATH)
    audit_url = resolve_audit(pg_url, None)
    assert audit_url == pg_url  # our own tables beside nbgrader's, in the same database
    store = open_audit(audit_url)
    d2 = build_decisions(gradebook=pg_url, criterion_map=MAP_PATH)
    assert d2.documents[d2.candidates.index("bea")]["blocks"]["B1"] == "validated"
    assert record(store, d2, source="pg")["recorded"] == 3
    assert record(store, d2, source="pg")["recorded"] == 0
    assert [v["version"] for v in history(store, "bea")] == [1]
    store.dispose()
    engine = create_engine(pg_url)
    assert {"workbench_decision", "workbench_rubric_grade", "grade"} <= set(inspect(engine).get_table_names())
    engine.dispose()
