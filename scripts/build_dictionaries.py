#!/usr/bin/env python
"""Generate ``datasets/caravan/dictionary.yml`` from the CoIL 2000 variable description.

Run with ``.venv/bin/python scripts/build_dictionaries.py [--source FILE]``. Every label and
code table comes verbatim from the source (default: ``datasets/caravan/coil2000-dictionary.txt``,
a copy of TicDataDescr); this script only adds what the source does not have: the category
a candidate chooses, its GDPR status, and the contact/id columns this project adds.

Domains: in the source, "..." means the domain of the line above carries on, and the lines
after it leave the domain blank; we read a blank domain as carrying on too (that is the
layout of TicDataDescr), except for MINKGEM and MKOOPKLA, which sit in the run of L3
(percentages) but are an average and a class: their scale is left unlabelled.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO / "datasets" / "caravan" / "coil2000-dictionary.txt"  # copy of /work/shared/data/
OUT = REPO / "datasets" / "caravan" / "dictionary.yml"
DOMAIN = re.compile(r"\s+(see (L\d)|\.\.\.|\d+ - \d+)$")
UNLABELLED_SCALE = {"MINKGEM", "MKOOPKLA"}

# (first, last) CoIL variable numbers -> category id
RANGES = [
    ((1, 1), "customer_type"), ((2, 2), "housing"), ((3, 4), "household"), ((5, 5), "customer_type"),
    ((6, 9), "religion"), ((10, 15), "household"), ((16, 18), "education"), ((19, 24), "occupation"),
    ((25, 29), "social_class"), ((30, 31), "housing"), ((32, 34), "car_ownership"),
    ((35, 36), "health_insurance"), ((37, 43), "income"), ((44, 64), "product_contributions"),
    ((65, 85), "product_counts"), ((86, 86), "target"),
]

CATEGORIES = {
    "customer_key": ("identity_contact", "Identifiant client", "Customer key"),
    "contact_details": ("identity_contact", "Coordonnées (e-mail, téléphone)", "Contact details (e-mail, phone)"),
    "marketing_consent": ("consent", "Consentement marketing (opt-in e-mail)", "Marketing consent (e-mail opt-in)"),
    "customer_type": ("socio_demographic", "Type de client (profil de vie)", "Customer type (lifestyle)"),
    "household": ("socio_demographic", "Foyer (taille, âge, situation familiale, enfants)",
                  "Household (size, age, relationship, children)"),
    "religion": ("socio_demographic", "Religion", "Religion"),
    "education": ("socio_demographic", "Niveau d'études", "Education level"),
    "occupation": ("socio_demographic", "Profession", "Occupation"),
    "social_class": ("socio_demographic", "Classe sociale", "Social class"),
    "housing": ("socio_demographic", "Logement (nombre, location / propriété)", "Housing (number, rented / owned)"),
    "car_ownership": ("socio_demographic", "Équipement automobile", "Car ownership"),
    "health_insurance": ("socio_demographic", "Assurance santé", "Health insurance"),
    "income": ("socio_demographic", "Revenu et pouvoir d'achat", "Income and purchasing power"),
    "product_contributions": ("product_holding", "Primes versées par produit", "Contribution (premium) per product"),
    "product_counts": ("product_holding", "Nombre de contrats par produit", "Number of policies per product"),
    "target": ("target", "Cible : détention d'une assurance caravane", "Target: holds a caravan policy"),
}

# What the notebooks show above the dictionary table, in the course's language (fr and en both
# required by workbench.datasets on load). The column descriptions below stay the source's English.
TITLE = {
    "fr": "CoIL Challenge 2000 / ISLR Caravan : clients d'une compagnie d'assurance",
    "en": "CoIL Challenge 2000 / ISLR Caravan: customers of an insurance company",
}
NOTES = [
    ("Les libellés et les tables de codes L0-L4 reprennent mot pour mot la description CoIL 2000 "
     "(TicDataDescr) de van der Putten & van Someren (2000), orthographe comprise : ils restent donc en "
     "anglais dans data/dictionary.csv.",
     "Labels and code tables L0-L4 are verbatim from the CoIL 2000 description (TicDataDescr), "
     "van der Putten & van Someren (2000); spellings as in the original."),
    ("Les variables 1-43 sont des agrégats socio-démographiques de la zone de code postal du client : "
     "tous les clients d'un même code postal ont les mêmes valeurs. Rattachées à un client, elles restent "
     "des données personnelles.",
     "Variables 1-43 are socio-demographic aggregates of the customer's postal-code area: all "
     "customers of one postal code share them. They are still personal data once linked to a customer."),
    ("ISLR nomme la variable 86 Purchase (nom d'origine CARAVAN) et la code Yes/No au lieu de 1/0.",
     "ISLR names variable 86 Purchase (original name CARAVAN) and codes it Yes/No instead of 1/0."),
    ("customer_id et la table des contacts ne figurent pas dans la source : les identifiants suivent le "
     "numéro de ligne, les contacts sont SYNTHÉTIQUES.",
     "customer_id and the contact table are not in the source: ids follow the row number, contacts are SYNTHETIC."),
    ("Dans la source, un domaine laissé vide prolonge celui de la ligne précédente (mention « implied » dans "
     "la colonne type) ; MINKGEM et MKOOPKLA sont des niveaux dont la source ne décrit pas l'échelle.",
     "A blank domain in the source carries on the domain above (marked 'implied'); MINKGEM and "
     "MKOOPKLA are levels whose scale the source does not label."),
]

AREA_REASON = (
    "Aggregate of the customer's postal-code area, but stored in and linked to the customer's "
    "record, so it describes an identifiable person (GDPR art. 4(1))."
)
RELIGION_REASON = AREA_REASON + " Religious beliefs are a special category (GDPR art. 9)."
PRODUCT_REASON = "The customer's own insurance holdings, linked to the customer's record."
TARGET_REASON = "Whether this customer holds a caravan policy: the customer's own holding."

ID_COLUMN = {
    "name": "customer_id", "category": "customer_key",
    "description": "Customer id C00001.. (row number of the ISLR file; not in the source)",
    "type": "string", "personal_data": True,
    "personal_data_reason": "Pseudonymous identifier linking every attribute to one person "
                            "(pseudonymised data remain personal data, GDPR recital 26).",
}
CONTACT_COLUMNS = [
    dict(ID_COLUMN, description="Customer id C00001.., join key to the caravan table"),
    {"name": "email", "category": "contact_details", "type": "string",
     "description": "E-mail address (SYNTHETIC, fictitious: example.invalid)", "personal_data": True,
     "personal_data_reason": "Directly identifies and reaches the person (fictitious here, handled as real)."},
    {"name": "phone", "category": "contact_details", "type": "string",
     "description": "Phone number (SYNTHETIC, fictitious +33 1 99 00 range)", "personal_data": True,
     "personal_data_reason": "Directly identifies and reaches the person (fictitious here, handled as real)."},
    {"name": "opt_in_email", "category": "marketing_consent", "type": "boolean",
     "description": "Consented to marketing e-mails (SYNTHETIC, random)", "personal_data": True,
     "personal_data_reason": "The person's own consent choice, linked to their record."},
]


def parse(text: str) -> tuple[list[dict], dict[str, dict]]:
    """Return the variables (nr, name, label, domain, implied) and code tables of the source."""
    variables: list[dict] = []
    tables: dict[str, dict] = {}
    current_table: str | None = None
    domain: str | None = None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head = re.match(r"^(L\d) \((.*)\):$", line)
        if head:
            current_table = head.group(1)
            tables[current_table] = {"title": head.group(2), "codes": {}}
            continue
        if current_table:
            code, label = line.split(" ", 1)
            tables[current_table]["codes"][int(code)] = label
            continue
        nr, name, rest = line.split(" ", 2)
        found = DOMAIN.search(rest)
        implied = found is None or found.group(1) == "..."
        if found and found.group(1) != "...":
            domain = found.group(2) or found.group(1)
        label = rest[: found.start()] if found else rest
        variables.append({"nr": int(nr), "name": name, "label": label, "domain": domain, "implied": implied})
    return variables, tables


def _category(nr: int) -> str:
    return next(cat for (lo, hi), cat in RANGES if lo <= nr <= hi)


def column(var: dict) -> dict:
    """The dictionary entry of one CoIL variable."""
    nr, name, domain = var["nr"], var["name"], var["domain"]
    cat = _category(nr)
    col = {"name": name, "number": nr, "category": cat}
    if nr <= 43:
        col["description"] = f"{var['label']} [postal-code area aggregate]"
    else:
        col["description"] = var["label"]
    codes = domain if domain and domain.startswith("L") else None
    if name in UNLABELLED_SCALE:
        codes = None
        col["type"] = "ordinal level (scale not labelled in the source)"
    elif codes:
        kind = "categorical" if codes in ("L0", "L2") else "ordinal"
        col["type"] = f"{kind} code, see {codes}" + (" (domain implied by the line above)" if var["implied"] else "")
    else:
        col["type"] = f"integer, domain {domain}" + (" (implied by the line above)" if var["implied"] else "")
    if nr == 86:
        col.update(name="Purchase", source_name="CARAVAN", type='categorical "Yes"/"No" (source: 0 - 1)',
                   description=f"{var['label']}; ISLR names variable 86 Purchase (original name CARAVAN)")
    col["personal_data"] = True
    col["personal_data_reason"] = {
        "religion": RELIGION_REASON, "product_contributions": PRODUCT_REASON,
        "product_counts": PRODUCT_REASON, "target": TARGET_REASON,
    }.get(cat, AREA_REASON)
    col["special_category"] = cat == "religion"
    if codes:
        col["codes"] = codes
    return col


def dictionary(source: Path) -> dict:
    variables, tables = parse(source.read_text(encoding="utf-8"))
    if [v["nr"] for v in variables] != list(range(1, 87)):
        raise SystemExit(f"{source}: expected variables 1-86, found {len(variables)}")
    return {
        "dataset": "caravan",
        "title": TITLE,
        "notes": [{"fr": fr, "en": en} for fr, en in NOTES],
        "categories": {
            cid: {"kind": kind, "label": {"fr": fr, "en": en}} for cid, (kind, fr, en) in CATEGORIES.items()
        },
        "code_tables": tables,
        "tables": {
            "caravan": {"columns": [dict(ID_COLUMN, added_by_loader=True)] + [column(v) for v in variables]},
            "caravan_contacts": {"columns": CONTACT_COLUMNS},
        },
    }


def render(source: Path = DEFAULT_SOURCE) -> str:
    """The text of ``dictionary.yml`` generated from ``source``."""
    text = "# GENERATED by scripts/build_dictionaries.py from the CoIL 2000 description: do not edit by hand.\n"
    return text + yaml.safe_dump(dictionary(source), sort_keys=False, allow_unicode=True, width=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.write_text(render(args.source), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
