"""Which rating methodology the WIPO package should state: measured, not assumed.

For each candidate methodology, how many of the 14 PIEs the source marks not achieved (U+F070)
the engine also rates not achieved, and how many of the 142 marked PIEs agree with their
mark. The package's methodology must be one of the best-agreeing; docs/methodology.md prints
the same table (regenerate it with `python -m tests.engine.rating.test_wipo_methodology`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from rbm.domain.dataset import Dataset
from rbm.domain.enums import Rating
from rbm.engine.rating.methodology import (
    Methodology,
    NotComparable,
    PerYear,
    ThresholdBasis,
    methodology_of,
)
from rbm.engine.rating.report import rating_report

ROOT = Path(__file__).resolve().parents[3]
RATIO, PROGRESS = ThresholdBasis.RATIO, ThresholdBasis.PROGRESS


@dataclass(frozen=True)
class Measured:
    methodology: Methodology
    marked: int  # PIEs marked with a mark that stands for not achieved alone
    reproduced: int  # of those, rated not achieved
    compared: int  # PIEs with a mark
    agree: int


def candidates() -> list[Methodology]:
    """Threshold basis × rounding at the appendix's bands, then other bands and choices."""
    base = Methodology(partially_at=Decimal(60), places=0)
    grid = [
        replace(base, threshold_basis=basis, places=places)
        for basis in (RATIO, PROGRESS)
        for places in (0, None)
    ]
    bands = [
        replace(base, threshold_basis=basis, partially_at=Decimal(at))
        for basis in (RATIO, PROGRESS)
        for at in (50, 75, 90)
    ]
    others = [
        replace(base, per_year=PerYear.MEAN),
        replace(base, not_comparable=NotComparable.ALL),
        replace(base, not_comparable=NotComparable.IGNORE),
    ]
    return grid + bands + others


def measure(dataset: Dataset, methodology: Methodology) -> Measured:
    marks = dataset.biennium.settings.marks
    not_achieved = {m for m, means in marks.items() if means == {Rating.NOT_ACHIEVED}}
    report = rating_report(dataset, methodology)
    marked = [a for a in report.assessments if a.pie.published_mark in not_achieved]
    reproduced = sum(a.computed == Rating.NOT_ACHIEVED for a in marked)
    a = report.agreement
    return Measured(methodology, len(marked), reproduced, a.compared, a.agree)


def table(rows: list[Measured], package: Methodology) -> str:
    """The comparison as docs/methodology.md prints it; the package's row in bold."""
    lines = [
        "| threshold basis | places | partially at | per year | not comparable "
        "| U+F070 rated not achieved | agree |",
        "|---|---|---:|---|---|---:|---:|",
    ]
    for r in rows:
        m = r.methodology
        cells = [
            m.threshold_basis.value,
            "none" if m.places is None else str(m.places),
            str(m.partially_at),
            m.per_year.value,
            m.not_comparable.value,
            f"{r.reproduced} of {r.marked}",
            f"{r.agree} of {r.compared}",
        ]
        if m == package:
            cells = [f"**{c}**" for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def test_the_packages_methodology_agrees_best(wipo: Dataset) -> None:
    package = methodology_of(wipo.biennium.settings)
    rows = [measure(wipo, m) for m in candidates()]
    assert package in [r.methodology for r in rows]
    assert all((r.marked, r.compared) == (14, 142) for r in rows)
    best = max(r.agree for r in rows)
    chosen = next(r for r in rows if r.methodology == package)
    assert chosen.agree == best
    # the table in docs/methodology.md is this measurement
    doc = (ROOT / "docs" / "methodology.md").read_text("utf-8")
    assert table(rows, package) in doc


if __name__ == "__main__":
    from rbm import datasets
    from rbm.datapackage.package import read_package

    path = datasets.embedded(datasets.DEFAULT)
    assert path is not None
    wipo = read_package(path).dataset
    assert wipo is not None
    print(table([measure(wipo, m) for m in candidates()], methodology_of(wipo.biennium.settings)))
