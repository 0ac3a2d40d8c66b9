"""Write → read and load → export → load are lossless, over generated packages."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from rbm.datapackage.package import read_package
from rbm.datapackage.writer import write_package
from rbm.domain.dataset import Dataset
from rbm.store import database
from rbm.store.load import load_dataset
from rbm.store.read import read_dataset
from tests.strategies import datasets

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reread(dataset: Dataset) -> Dataset:
    with tempfile.TemporaryDirectory() as tmp:
        write_package(dataset, Path(tmp))
        result = read_package(Path(tmp))
    assert result.report.valid, [e.message("en") for e in result.report.errors]
    assert result.dataset is not None
    return result.dataset


@SETTINGS
@given(datasets())
def test_package_round_trip(dataset: Dataset) -> None:
    if not any(dataset.counts().values()):
        return  # an empty package is invalid by design (see test_package)
    assert reread(dataset) == dataset


@SETTINGS
@given(datasets())
def test_store_round_trip(dataset: Dataset) -> None:
    if not any(dataset.counts().values()):
        return
    with tempfile.TemporaryDirectory() as tmp:
        engine = database.open_store(f"sqlite:///{tmp}/rbm.db")
        assert load_dataset(engine, reread(dataset)).valid
        exported = read_dataset(engine)
        engine.dispose()
    assert exported is not None
    assert reread(exported) == dataset


def test_embedded_package_round_trip(wipo_path: Path) -> None:
    result = read_package(wipo_path)
    assert result.dataset is not None
    assert reread(result.dataset) == result.dataset
