"""A jury panel as CSV is read like every user's CSV (`csvio.read_rows`): same faults, same one line."""

from __future__ import annotations

import pytest

from workbench.deliberation.panel import load_panel
from workbench.errors import InputError

WHEN = {"session": "2026-07", "date": "2026-07-02", "place": "Lyon"}


def panel_error(path, text: str, encoding: str = "utf-8") -> InputError:
    path.write_bytes(text.encode(encoding))
    with pytest.raises(InputError) as err:
        load_panel(path, overrides=WHEN)
    return err.value


@pytest.mark.parametrize("header, fault", [
    ("nom;nom;rôle;externe", "column 'nom' appears twice"),
    ("nom;name;rôle;externe", "column 'nom' and 'name' appears twice (all mean 'name')"),
])
def test_a_repeated_column_is_named_on_line_1(header, fault, tmp_path):
    err = panel_error(tmp_path / "panel.csv", f"{header}\nA;B;présidente;oui\n")
    assert err.where == f"{tmp_path / 'panel.csv'}:1"
    assert err.message == fault + " (expected header: name, role, external, [organisation])"


def test_a_short_row_is_named_by_its_line_not_as_a_none_value(tmp_path):
    err = panel_error(tmp_path / "panel.csv", "nom;rôle;externe\nA;présidente;oui\nB;membre\n")
    assert str(err) == f"{tmp_path / 'panel.csv'}: line 3: 2 fields, the header has 3; nothing was changed"


def test_every_bad_cell_is_named_with_its_line_and_column_in_one_line(tmp_path):
    err = panel_error(tmp_path / "panel.csv", "nom;rôle;externe\n;présidente;oui\nB;juge;peut-être\n")
    assert err.where == str(tmp_path / "panel.csv")
    assert err.message == ("line 2, column name: empty; line 3, column role: 'juge' is not président(e)/membre; "
                           "line 3, column external: 'peut-être' is not oui/non; nothing was changed")


@pytest.mark.parametrize("encoding, sep", [("utf-8", "\t"), ("utf-16", "\t"), ("utf-8-sig", ",")])
def test_tabs_and_excel_unicode_text_are_read_like_the_rubric_and_jury_files(encoding, sep, tmp_path):
    path = tmp_path / "panel.csv"
    rows = [["Nom", "Rôle", "Externe", "Organisme"], ["Hélène Dupré", "Présidente", "oui", "Agence Horizon"],
            ["Marc Petit", "membre", "NON", "Organisme de formation"]]
    path.write_bytes("\r\n".join(sep.join(r) for r in rows).encode(encoding))
    panel = load_panel(path, overrides=WHEN)
    assert [(m.name, m.role, m.external, m.organisation) for m in panel.members] == [
        ("Hélène Dupré", "president", True, "Agence Horizon"),
        ("Marc Petit", "member", False, "Organisme de formation")]
    assert (panel.session, str(panel.date), panel.place) == ("2026-07", "2026-07-02", "Lyon")


def test_a_header_with_no_member_is_refused_like_every_import(tmp_path):
    err = panel_error(tmp_path / "panel.csv", "nom;rôle;externe\n\n")
    assert str(err) == f"{tmp_path / 'panel.csv'}: no row under the header, nothing imported"
