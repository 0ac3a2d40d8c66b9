"""IATI 2.03: an organisation file (budgets and expenditure) and an activity file (the
results framework), written from a dataset and read back; see docs/exchange.md."""

from __future__ import annotations

from pathlib import Path

from rbm.domain.dataset import Dataset
from rbm.exchange.iati.activity import activities_tree
from rbm.exchange.iati.organisation import organisation_tree
from rbm.exchange.iati.xml import RBM_NS, serialize

ORGANISATION_FILE = "iati-organisations.xml"
ACTIVITY_FILE = "iati-activities.xml"

__all__ = ["ACTIVITY_FILE", "ORGANISATION_FILE", "RBM_NS", "iati_files", "write_iati"]


def iati_files(dataset: Dataset) -> dict[str, bytes]:
    """File name → bytes of both IATI files of `dataset`."""
    return {
        ORGANISATION_FILE: serialize(organisation_tree(dataset)),
        ACTIVITY_FILE: serialize(activities_tree(dataset)),
    }


def write_iati(dataset: Dataset, out: Path) -> list[Path]:
    """Write both IATI files of `dataset` under `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in iati_files(dataset).items():
        path = out / name
        path.write_bytes(content)
        written.append(path)
    return written
