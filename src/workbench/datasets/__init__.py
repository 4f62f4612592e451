"""Customer datasets: verified loaders, the manifest and the data dictionaries.

Every load checks the file against ``datasets/manifest.yml`` (sha256, size, columns,
dtypes, rows) and never touches the network; faults raise :class:`~workbench.errors.DataError`
naming the file and what is wrong.
"""

from workbench.datasets.dictionary import categories, load_dictionary, load_dictionary_model
from workbench.datasets.loaders import (
    load_caravan,
    load_cdnow_transactions,
    load_contacts,
    load_telco,
    raw_path,
    read_raw,
)
from workbench.datasets.manifest import load_manifest
from workbench.datasets.verify import VerifyResult, verify_all

__all__ = [
    "VerifyResult",
    "categories",
    "load_caravan",
    "load_cdnow_transactions",
    "load_contacts",
    "load_dictionary",
    "load_dictionary_model",
    "load_manifest",
    "load_telco",
    "raw_path",
    "read_raw",
    "verify_all",
]
