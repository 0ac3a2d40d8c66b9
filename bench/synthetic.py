"""A synthetic organization: the WIPO skeleton scaled up to many sectors and budget facts."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from rbm import datasets


def make_package(target: Path, sectors: int, facts_per_cell: int) -> int:
    """Copy the embedded package, add `sectors` sectors and replace its budget facts with
    `sectors` × results × phases × `facts_per_cell` facts.

    Returns the number of budget facts written.
    """
    source = datasets.embedded(datasets.DEFAULT)
    assert source is not None
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    data = target / "data"
    with (data / "sectors.csv").open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for i in range(sectors):
            writer.writerow(
                [f"s{i}", f"部门{i}", f"S{i}", f"部门 {i}", f"Sector {i}", i, "false", "表5"]
            )
    results = [row[0] for row in csv.reader((data / "results.csv").open(encoding="utf-8"))][1:]
    count = 0
    with (data / "budget_facts.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "phase",
                "year",
                "sector",
                "result",
                "cost_category",
                "union",
                "funding",
                "amount",
                "unit",
                "source",
            ]
        )
        for s in range(sectors):
            for result in results:
                for phase in ("approved", "adjusted", "executed"):
                    for n in range(facts_per_cell):
                        amount = f"{(s * 7919 + n * 104729) % 100000}.{n % 100:02d}"
                        writer.writerow(
                            [phase, "", f"s{s}", result, "", "", f"F{n}", amount, "CHF", "表4"]
                        )
                        count += 1
    return count
