"""Pydantic models of the référentiel; structural rules are checked in :mod:`load`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Text(BaseModel):
    """A wording in French (official) and English (translation)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """Return the wording in ``lang`` ("fr" or "en")."""
        return self.fr if lang == "fr" else self.en


class Criterion(BaseModel):
    """An official evaluation criterion, e.g. ``B1.1.a``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^B\d+\.\d+\.[a-z]$")
    label: Text


class Competence(BaseModel):
    """A competence of a block, e.g. ``B1.1``; it is recognised when all its criteria are met."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^B\d+\.\d+$")
    title: Text
    description: Text
    criteria: tuple[Criterion, ...]


class Block(BaseModel):
    """A competence block, e.g. ``B1``; validated only when every competence is recognised."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^B\d+$")
    title: Text
    evaluation_mode: str
    competences: tuple[Competence, ...]


class EvaluationMode(BaseModel):
    """How a block is evaluated, and who grades it (the workbench or an external jury)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    fr: str
    en: str
    graded_by: Literal["workbench", "jury"]


class Certification(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: Text
    rules: Text


class Referentiel(BaseModel):
    """The whole référentiel d'évaluation, with id lookups."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    certification: Certification
    evaluation_modes: dict[str, EvaluationMode]
    blocks: tuple[Block, ...]

    def block(self, block_id: str) -> Block:
        """Return the block ``block_id``; ``KeyError`` names the unknown id."""
        for b in self.blocks:
            if b.id == block_id:
                return b
        raise KeyError(f"unknown block {block_id!r}")

    def competences(self, block_id: str | None = None) -> list[Competence]:
        """Return the competences of one block, or of all blocks."""
        blocks = [self.block(block_id)] if block_id else list(self.blocks)
        return [c for b in blocks for c in b.competences]

    def criteria(self, block_id: str | None = None) -> list[Criterion]:
        """Return the criteria of one block, or of all blocks, in référentiel order."""
        return [k for c in self.competences(block_id) for k in c.criteria]

    def criterion(self, criterion_id: str) -> Criterion:
        """Return the criterion ``criterion_id``; ``KeyError`` names the unknown id."""
        for k in self.criteria():
            if k.id == criterion_id:
                return k
        raise KeyError(f"unknown criterion {criterion_id!r}")

    def criterion_ids(self, block_id: str | None = None) -> list[str]:
        return [k.id for k in self.criteria(block_id)]

    def competence_of(self, criterion_id: str) -> Competence:
        """Return the competence that holds ``criterion_id``."""
        for c in self.competences():
            if any(k.id == criterion_id for k in c.criteria):
                return c
        raise KeyError(f"unknown criterion {criterion_id!r}")
