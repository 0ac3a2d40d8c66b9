"""Shared fixtures: the embedded and example packages, the seed text, and both store backends."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from rbm import datasets
from rbm.datapackage.package import read_package
from rbm.domain.dataset import Dataset
from tests import postgres

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "minimal"
IN_CI = os.environ.get("CI") == "true"


def need(reason: str | None) -> None:
    """Skip when a system part is missing; under CI that is a failure, never a skip."""
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True, scope="session")
def _chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Charts drawn by the tests are kept in a throwaway directory, never ~/.cache (the
    cache's own tests set theirs); commands the tests start inherit it."""
    patch = pytest.MonkeyPatch()
    patch.setenv("RBM_CHART_CACHE", str(tmp_path_factory.mktemp("chart-cache")))
    yield
    patch.undo()


@pytest.fixture(scope="session")
def wipo_path() -> Path:
    path = datasets.embedded(datasets.DEFAULT)
    assert path is not None
    return path


@pytest.fixture(scope="session")
def wipo(wipo_path: Path) -> Dataset:
    """The embedded WIPO 2024/25 dataset, read once."""
    dataset = read_package(wipo_path).dataset
    assert dataset is not None
    return dataset


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The source report's text, from ../shared/seed beside the repository (or $RBM_SEED)."""
    candidates = [
        Path(os.environ.get("RBM_SEED", "")),
        ROOT.parent / "shared" / "seed" / "wipo-performance-report-2024-25.zh.txt",
    ]
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    need("the source report text (../shared/seed) is not beside the repository")
    raise AssertionError("unreachable")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A writable copy of the minimal example package."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    need(postgres.unavailable_reason())
    with postgres.server() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rbm.db'}"
        return
    server_url: str = request.getfixturevalue("pg_server")
    with postgres.database(server_url) as url:
        yield url


@pytest.fixture
def engine(store_url: str) -> Iterator[sa.Engine]:
    """A migrated store on each backend, disposed after the test."""
    from rbm.store import database

    store = database.open_store(store_url)
    yield store
    store.dispose()
