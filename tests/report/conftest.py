"""The WIPO report's view model, built once for every report test."""

from __future__ import annotations

import pytest

from rbm.domain.dataset import Dataset
from rbm.report.build.report import build_report
from rbm.report.model import ReportView


@pytest.fixture(scope="session")
def report(wipo: Dataset) -> ReportView:
    return build_report(wipo)
