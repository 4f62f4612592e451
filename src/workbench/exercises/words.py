"""The fixed words of the notebooks in each course language: ``exercises/templates/words.yml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import RootModel

from workbench._yaml import load_model
from workbench.exercises.config import templates_dir
from workbench.referentiel.model import Text


class Words(RootModel[dict[str, Text]]):
    """Every entry in French and English (a missing language is refused on load)."""

    def get(self, key: str, lang: str, **values: object) -> str:
        """The entry ``key`` in ``lang``, its ``{placeholders}`` filled from ``values``."""
        return self.root[key].get(lang).format(**values)


def words_path() -> Path:
    return templates_dir() / "words.yml"


@lru_cache(maxsize=4)
def load_words(path: Path | None = None) -> Words:
    """Load and validate the catalogue (a bad file raises ConfigError naming it)."""
    return load_model(path or words_path(), Words)
