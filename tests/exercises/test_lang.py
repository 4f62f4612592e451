"""The notebooks in the course's language: same code, same cells, instructions in French or English."""

from __future__ import annotations

import re

import pytest

from workbench.errors import ConfigError
from workbench.exercises.build import build_notebooks
from workbench.exercises.words import load_words

SCENARIOS = ("cdnow_winback", "caravan_crosssell")
CODE_SPAN = re.compile(r"`[^`]*`")
SENTENCE_END = re.compile(r"(?<=[.:;!?])\s+|\n+")
WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")


@pytest.fixture(scope="module")
def both():
    return {s: {lang: build_notebooks(s, lang=lang) for lang in ("fr", "en")} for s in SCENARIOS}


def _pairs(both, scenario):
    fr, en = both[scenario]["fr"].notebooks, both[scenario]["en"].notebooks
    assert list(fr) == list(en)
    for name in en:
        assert len(fr[name].cells) == len(en[name].cells), name
        yield from ((name, a, b) for a, b in zip(fr[name].cells, en[name].cells))


def _is_instruction(cell) -> bool:
    """Markdown written for the candidate (not a candidate's answer cell)."""
    return cell.cell_type == "markdown" and not cell.metadata.get("nbgrader", {}).get("solution")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_code_cells_ids_grade_ids_and_points_do_not_change_with_the_language(both, scenario):
    """nbgrader's checksums of code cells, the grade ids, points and the judge's metadata are the
    same in both courses; only the text of instruction cells changes."""
    for name, fr, en in _pairs(both, scenario):
        assert (fr.cell_type, fr.id, fr.metadata) == (en.cell_type, en.id, en.metadata), f"{name}: {en.id}"
        if not _is_instruction(en):
            assert fr.source == en.source, f"{name}: {en.id}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_instruction_cell_is_written_in_each_language(both, scenario):
    for name, fr, en in _pairs(both, scenario):
        if _is_instruction(en):
            assert fr.source.strip() and fr.source != en.source, f"{name}: {en.id} is not translated"


def _official_french(scenario: str) -> list[str]:
    """Wording an English course shows in French on purpose: the référentiel's, the dictionary labels'."""
    from workbench.datasets import categories
    from workbench.referentiel import load_referentiel, load_rubrics
    from workbench.scenarios import load_scenario

    ref, rubrics = load_referentiel(), load_rubrics()
    block = ref.block("B1")
    texts = [block.title.fr] + [c.title.fr for c in block.competences]
    texts += [crit.label.fr for c in block.competences for crit in c.criteria]
    texts += [lv.fr for lv in rubrics.levels]
    texts += [d.fr for per in rubrics.descriptors.values() for d in per.values()]
    texts += [cat["label"]["fr"] for cat in categories(load_scenario(scenario).dataset).values()]
    return sorted(texts, key=len, reverse=True)


def _dataset_texts(scenario: str):
    """The dataset dictionary's title and notes, each in French and English."""
    from workbench.datasets import load_dictionary_model
    from workbench.scenarios import load_scenario

    dictionary = load_dictionary_model(load_scenario(scenario).dataset)
    return [dictionary.title, *dictionary.notes]


def _plain(text: str, remove: list[str]) -> str:
    for piece in remove:
        text = text.replace(piece, " ")
    return " ".join(CODE_SPAN.sub(" ", text).split())


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_french_notebooks_hold_no_english_instruction(both, scenario):
    """No sentence of the English instructions (official French wording set aside), the dataset's
    notes and source title included, appears in the French notebooks, nor English function words."""
    official = _official_french(scenario)
    fr_text, en_sentences = [], []
    for _, fr, en in _pairs(both, scenario):
        if _is_instruction(en):
            fr_text.append(_plain(fr.source, []))
            en_sentences += SENTENCE_END.split(_plain(en.source, official))
    french = "\n".join(fr_text)
    checked = 0
    for sentence in en_sentences:
        words = WORD.findall(sentence)
        if len(words) >= 4:
            checked += 1
            assert " ".join(words) not in " ".join(WORD.findall(french)), f"English left in French: {sentence!r}"
    assert checked > 50  # the criterion has something to bite on
    english = re.findall(r"\b(?:the|your|you|with|which|each|every|must|is|are|and|of|from|into)\b", french,
                         flags=re.IGNORECASE)
    assert not english, f"English words in the French notebooks: {sorted(set(english))}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_dataset_notes_and_source_title_are_shown_in_the_course_language(both, scenario):
    """The dictionary cell shows the source title and every note in the notebook's language only."""
    texts = _dataset_texts(scenario)
    assert len(texts) > 1  # a title and at least one note
    for lang, other in (("fr", "en"), ("en", "fr")):
        for name, nb in both[scenario][lang].notebooks.items():
            cell = next(c for c in nb.cells if c.get("id") == "dictionary_table")
            for text in texts:
                assert text.get(lang) in cell.source, f"{name} ({lang}): {text.get(lang)!r} missing"
                assert text.get(other) not in cell.source, f"{name} ({lang}): {text.get(other)!r} shown"


def test_a_missing_translation_in_the_words_catalogue_is_refused(tmp_path):
    bad = tmp_path / "words.yml"
    bad.write_text("rubric_note:\n  en: The marker gives one level.\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="rubric_note.fr") as err:
        load_words(bad)
    assert "words.yml" in str(err.value)


def test_every_word_the_generator_uses_is_in_both_languages():
    words = load_words()
    for key, text in words.root.items():
        assert text.fr.strip() and text.en.strip() and text.fr != text.en, key


def test_cli_builds_the_notebooks_in_the_language_asked_for(tmp_path):
    import json

    from click.testing import CliRunner

    from workbench.exercises.cli import exercises

    result = CliRunner().invoke(exercises, ["build", "--out", str(tmp_path), "--no-data", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    nb = json.loads((tmp_path / "block1" / "1_3_visualisation.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["workbench"]["lang"] == "fr"
    assert any("## 4. Pour le comité de direction" in "".join(c["source"]) for c in nb["cells"])
    refused = CliRunner().invoke(exercises, ["build", "--out", str(tmp_path), "--no-data", "--lang", "de"])
    assert refused.exit_code == 2 and "'de' is not one of" in refused.output


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_instruction_names_a_grade_id(both, scenario):
    """The header says which task evidences each criterion, never a graded cell's grade id (an
    internal id the candidate never meets); nbgrader's feedback page shows the same header."""
    for lang in ("fr", "en"):
        for name, nb in both[scenario][lang].notebooks.items():
            ids = {c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
            assert len(ids) > 2, name
            for cell in nb.cells:
                if _is_instruction(cell):
                    named = sorted(i for i in ids if f"`{i}`" in cell.source)
                    assert not named, f"{name} ({lang}) {cell.id}: {named}"
            header = next(c for c in nb.cells if c.get("id") == "scenario").source
            assert re.search(r"(tâche|task) \d+ ?: ", header), f"{name} ({lang}): no task named in the header"
