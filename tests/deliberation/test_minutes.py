"""`workbench minutes`: the procès-verbal from the audit store, frozen, versioned with a reason, FR and EN, HTML and PDF."""

from __future__ import annotations

import re
import sqlite3

from tests.deliberation.conftest import jury_csv, validate
from workbench.cli import main


def minutes(root, *extra: str) -> int:
    return main(["minutes", "--panel", str(root / "panel.yml"), "-g", str(root / "gradebook.db"),
                 "--out", str(root / "minutes"), *extra])


def versions(root) -> list[tuple]:
    with sqlite3.connect(root / "decisions.db") as db:
        return db.execute("select session, version, reason from workbench_minutes order by version").fetchall()


def test_minutes_in_french_and_english_html_and_pdf(decided):
    assert minutes(decided) == 0
    out = decided / "minutes"
    fr = (out / "minutes-2026-06-v1.fr.html").read_text(encoding="utf-8")
    en = (out / "minutes-2026-06-v1.en.html").read_text(encoding="utf-8")
    assert "Procès-verbal de délibération du jury" in fr and "Minutes of the jury&#39;s deliberation" in en
    assert "Lyon, 12 rue de la République" in fr and "2026-06-30" in fr
    assert "Membres externes : 2 sur 4 (part exigée : 0.5)." in fr
    assert fr.count('<div class="signature"></div>') == 4  # one signature block per member
    assert "Hélène Dupré</strong><br>président·e — externe" in fr
    row = re.search(r"<tr><td>Candidat Ben \(ben\)</td>(.*?)</tr>", fr).group(1)
    assert re.findall(r'class="(\w+)"', row) == ["not_validated", "validated", "not_evaluated", "not_evaluated",
                                                  "not_evaluated"]
    assert "Seuils en vigueur" in fr and "0.667" in fr and "Thresholds in force" in en
    sha = versions(decided)
    assert sha == [("2026-06", 1, "first version")]
    assert "première version" in fr
    for lang in ("fr", "en"):
        pdf = (out / f"minutes-2026-06-v1.{lang}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-") and len(pdf) > 5000


def test_same_inputs_same_version_and_bytes(decided):
    assert minutes(decided, "--no-pdf") == 0
    first = (decided / "minutes" / "minutes-2026-06-v1.fr.html").read_bytes()
    assert minutes(decided, "--no-pdf") == 0
    assert versions(decided) == [("2026-06", 1, "first version")]
    assert (decided / "minutes" / "minutes-2026-06-v1.fr.html").read_bytes() == first


def test_a_change_needs_a_reason_and_makes_a_new_version(decided, capsys):
    assert minutes(decided, "--no-pdf", "--lang", "en") == 0
    jury_csv(decided / "jury.csv", level_ana="partiel")  # the jury changes its levels: new decision version
    validate(decided)
    assert minutes(decided, "--no-pdf", "--lang", "en") == 2
    err = capsys.readouterr().err
    assert "are frozen and their inputs changed" in err and "ana: decision v1 → v2" in err and "--reason" in err
    assert len(err.strip().splitlines()) == 1
    assert versions(decided) == [("2026-06", 1, "first version")]  # nothing recorded
    assert minutes(decided, "--no-pdf", "--lang", "en", "--reason", "jury sheet of ana corrected") == 0
    assert versions(decided)[-1] == ("2026-06", 2, "jury sheet of ana corrected")
    v2 = (decided / "minutes" / "minutes-2026-06-v2.en.html").read_text(encoding="utf-8")
    assert "jury sheet of ana corrected" in v2 and "ana: decision v1 → v2 (B2 validated → not_validated" in v2
    assert (decided / "minutes" / "minutes-2026-06-v1.en.html").exists()  # the earlier version stays


def test_too_few_externals_refused_unless_allowed_with_reason(decided, capsys):
    panel = decided / "panel.yml"
    panel.write_text(panel.read_text(encoding="utf-8").replace("external: true, organisation: Entreprise Sud",
                                                               "external: false, organisation: Entreprise Sud"))
    assert minutes(decided, "--no-pdf") == 2
    err = capsys.readouterr().err
    assert "1 of 4 jury members are external, fewer than the required share 0.5" in err and "--allow" in err
    assert not (decided / "minutes").exists()
    with sqlite3.connect(decided / "decisions.db") as db:
        tables = {r[0] for r in db.execute("select name from sqlite_master")}
    assert "workbench_minutes" not in tables or versions(decided) == []
    assert minutes(decided, "--no-pdf", "--allow", "an external member fell ill on the day") == 0
    fr = (decided / "minutes" / "minutes-2026-06-v1.fr.html").read_text(encoding="utf-8")
    assert "Dérogation enregistrée" in fr and "an external member fell ill on the day" in fr


def test_minutes_with_no_decision_are_refused(decided, capsys):
    with sqlite3.connect(decided / "decisions.db") as db:
        db.execute("delete from workbench_decision")
    assert minutes(decided, "--no-pdf") == 2
    assert "no recorded decision for session 2026-06" in capsys.readouterr().err
    assert versions(decided) == []


def test_bad_panel_file_is_one_line(decided, capsys):
    (decided / "panel.yml").write_text("session: 2026-06\ndate: 2026-06-30\nplace: Lyon\nmembers:\n"
                                       "  - {name: A, role: member, external: true}\n")
    assert minutes(decided, "--no-pdf") == 2
    err = capsys.readouterr().err
    assert "panel.yml" in err and "exactly one president" in err


def test_a_candidates_trainer_cannot_sit(decided, capsys):
    panel = decided / "panel.yml"
    panel.write_text(panel.read_text(encoding="utf-8").replace(
        "organisation: Organisme de formation}", "organisation: Organisme de formation, trainer_of: [ben, zed]}"))
    assert minutes(decided, "--no-pdf", "--allow", "anything") == 2
    assert "a candidate's trainer cannot sit on the jury: Marc Petit trained ben" in capsys.readouterr().err
    assert versions(decided) == []


def test_panel_as_a_french_csv_with_session_date_and_place_options(decided, capsys):
    panel = decided / "jury_panel.csv"
    panel.write_text("nom;rôle;externe;organisme\nHélène Dupré;présidente;oui;Agence Horizon\n"
                     "Marc Petit;membre;non;Organisme de formation\n", encoding="utf-8-sig")
    args = ["minutes", "--panel", str(panel), "-g", str(decided / "gradebook.db"), "--out", str(decided / "m"),
            "--no-pdf", "--lang", "fr"]
    assert main([*args, "--session", "2026-07", "--date", "2026-07-02", "--place", "Lyon"]) == 0
    html = (decided / "m" / "minutes-2026-07-v1.fr.html").read_text(encoding="utf-8")
    assert "Membres externes : 1 sur 2" in html and "2026-07-02" in html
    assert main(args) == 2  # no session, date or place for a CSV panel
    err = capsys.readouterr().err
    assert "jury_panel.csv" in err and "session" in err and "date" in err
    panel.write_text("nom;rôle;externe\nA;membre;peut-être\n", encoding="utf-8")
    assert main([*args, "--session", "s", "--date", "2026-07-02", "--place", "Lyon"]) == 2
    assert "line 2, column external: 'peut-être' is not oui/non" in capsys.readouterr().err
    # A date written the French way is the option's fault, said in one line before anything is read.
    assert main([*args, "--session", "s", "--date", "02/07/2026", "--place", "Lyon"]) == 2
    (line,) = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
    assert line.startswith("error: workbench minutes: ") and "'--date'" in line and "02/07/2026" in line
