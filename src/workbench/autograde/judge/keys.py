"""The grader's key store: answer keys and references, read outside every candidate's reach.

``workbench course create`` copies what the judge needs into ``<course>/.workbench/judge/``:
the full scenario file (answer key, reference segmentation) and the judged-cells manifest. The
sandbox never binds that folder, the candidate environment never ships it, and nothing in a
candidate's process can name it. A missing or corrupted file stops the batch with one line
before anything is graded (:class:`workbench.errors.ConfigError`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from workbench.errors import ConfigError
from workbench.scenarios.model import Scenario
from workbench_candidate.scenario import PublicScenario, from_mapping

JUDGE_DIR = Path(".workbench") / "judge"
SCENARIO_FILE = "scenario.yml"
MANIFEST_FILE = "manifest.yml"


@dataclass(frozen=True, eq=False)
class ScenarioKey:
    """One scenario as the judge knows it: the public facts plus the answer key.

    Parameters
    ----------
    scenario : Scenario
        The full scenario (answer key, derived-feature definitions, reference segmentation).
    data_dir : Path
        The released data folder (the grader's copy of what candidates received): every
        recomputation reads it, so the judge and the candidates see the same data.
    """

    scenario: Scenario
    data_dir: Path

    @cached_property
    def public(self) -> PublicScenario:
        """What the candidate was told (the same object a self-check reads)."""
        from workbench.scenarios.public import public_view

        table = pd.read_csv(self.data_dir / "dictionary.csv", dtype=str, keep_default_na=False)
        return from_mapping(public_view(self.scenario), table)

    @cached_property
    def reference_table(self) -> pd.DataFrame:
        """The analysis table recomputed from the released data (computed once per batch)."""
        from workbench.scenarios import analysis_table

        return analysis_table(self.scenario, root=self.data_dir)


def load_key(path: Path, *, data_dir: Path) -> ScenarioKey:
    """Read a scenario key file; any fault is one line naming the file."""
    from workbench.scenarios import load_scenario_file

    if not path.is_file():
        raise ConfigError("the judge's key file is missing (run `workbench course create` again)", where=str(path))
    if not (data_dir / "dictionary.csv").is_file():
        raise ConfigError("the released data folder has no dictionary.csv", where=str(data_dir))
    try:
        scenario = load_scenario_file(path)
    except ConfigError:
        raise
    except Exception as exc:  # noqa: BLE001 - yaml/pydantic faults: one line, before grading
        raise ConfigError(f"the judge's key file is unreadable: {type(exc).__name__}: {str(exc)[:200]}",
                          where=str(path)) from None
    return ScenarioKey(scenario=scenario, data_dir=data_dir)
