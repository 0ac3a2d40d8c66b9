"""A synthetic organization N times WIPO's size, with an optional expenditure ledger of M
transactions; deterministic from a seed (same arguments, byte-identical files). Not a test.

usage: .venv/bin/python -m bench.synth --scale N [--ledger-rows M] [--seed S] --out DIR

Copy 1 of every sector, result, indicator, PIE and risk keeps WIPO's code, so report.yaml's
references resolve; copy k > 1 has the code `CODE-k`. The published figures stay WIPO's.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rbm import datasets

LEDGER = "expenditure_ledger"
LEDGER_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("date", "date", True),
    ("sector", "string", True),
    ("result", "string", False),
    ("cost_item", "string", False),
    ("funding", "string", False),
    ("amount", "number", True),
    ("currency", "string", True),
    ("reference", "string", True),
)
LEDGER_HEADER = tuple(name for name, _, _ in LEDGER_FIELDS)
# lines a chunk of the ledger holds in memory: about 10 MB of strings
CHUNK = 50_000
# 1 in 50 ledger lines is a reversal (a negative amount)
REVERSALS = 0.02
FUNDING = ("regular",) * 7 + ("extrabudgetary", "extrabudgetary", "")


@dataclass(frozen=True)
class Copied:
    """How a table is copied: its own key (suffixed in every copy), the columns naming a
    copied entity (suffixed), the text columns made distinct and the order column shifted."""

    own: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    order: str | None = None


# Every table keyed by a sector or a result; the rest (published figures, footnotes, trust
# funds, projects) are WIPO's once. A row naming neither a sector nor a result is not copied.
COPIED: dict[str, Copied] = {
    "sectors": Copied(
        own=("code",),
        names=("short_zh", "short_en", "name_zh", "name_en"),
        order="order",
    ),
    "results": Copied(own=("code",), order="order"),
    "indicators": Copied(own=("id",), refs=("result",)),
    "indicator_sectors": Copied(refs=("indicator", "sector")),
    "pies": Copied(own=("id",), refs=("indicator",)),
    "risks": Copied(own=("id",), refs=("result", "owner_sector")),
    "budget_facts": Copied(refs=("sector", "result")),
    "transfers": Copied(refs=("sector",)),
    "posts": Copied(refs=("sector",)),
    "development_expenditure": Copied(refs=("sector", "result")),
}


def derived(code: str, copy: int) -> str:
    """Copy `copy`'s code for `code` (copy 1 is the original)."""
    return code if copy == 1 or not code else f"{code}-{copy}"


def copy_rows(
    table: Copied, header: Sequence[str], rows: Sequence[list[str]], scale: int
) -> Iterator[list[str]]:
    """The original rows, then copies 2..scale of each row that names a copied entity."""
    own = [header.index(c) for c in table.own]
    refs = [header.index(c) for c in table.refs if c in header]
    names = [header.index(c) for c in table.names if c in header]
    order = header.index(table.order) if table.order else None
    unallocated = header.index("unallocated") if "unallocated" in header else None
    yield from rows
    for k in range(2, scale + 1):
        for row in rows:
            if not own and not any(row[i] for i in refs):
                continue
            out = list(row)
            for i in (*own, *refs):
                out[i] = derived(row[i], k)
            for i in names:
                out[i] = f"{row[i]} {k}" if row[i] else row[i]
            if order is not None:
                out[order] = str(int(row[order]) + (k - 1) * len(rows))
            if unallocated is not None:
                # the package has a single unallocated sector; its copies are ordinary ones
                out[unallocated] = "false"
            yield out


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def _dialect(path: Path) -> str:
    """The source file's line ending, kept in the copy."""
    with path.open("rb") as handle:
        first = handle.readline()
    return "\r\n" if first.endswith(b"\r\n") else "\n"


def scale_package(source: Path, out: Path, scale: int) -> dict[str, int]:
    """Copy the package at `source` into `out` with every copied table ×`scale`; rows a table."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out)
    counts: dict[str, int] = {}
    # ×1 is WIPO's files themselves (csv quoting could differ from the curated files)
    for name, table in COPIED.items() if scale > 1 else ():
        path = out / "data" / f"{name}.csv"
        header, rows = _read(path)
        ending = _dialect(path)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator=ending)
            writer.writerow(header)
            written = 0
            for row in copy_rows(table, header, rows, scale):
                writer.writerow(row)
                written += 1
        counts[name] = written
    return counts


@dataclass(frozen=True)
class LedgerChoices:
    """The values a ledger line draws from, read once from the package."""

    dates: tuple[str, ...]
    sectors: tuple[str, ...]
    results: tuple[str, ...]
    cost_items: tuple[str, ...]
    currency: str


def ledger_choices(package: Path) -> LedgerChoices:
    """Every day of the biennium, the sectors, the results (or none), the leaf cost
    categories (or none) and the currency of the package at `package`."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    rbm = descriptor["rbm"]
    first = dt.date(rbm["biennium"]["start_year"], 1, 1)
    last = dt.date(rbm["biennium"]["end_year"], 12, 31)
    days = (last - first).days + 1
    dates = tuple((first + dt.timedelta(days=d)).isoformat() for d in range(days))
    data = package / "data"
    sector_header, sectors = _read(data / "sectors.csv")
    unallocated = sector_header.index("unallocated")
    _, results = _read(data / "results.csv")
    header, categories = _read(data / "cost_categories.csv")
    parent = header.index("parent")
    parents = {row[parent] for row in categories}
    leaves = tuple(row[0] for row in categories if row[0] not in parents)
    return LedgerChoices(
        dates=dates,
        # nothing is spent from the budget left unallocated
        sectors=tuple(row[0] for row in sectors if row[unallocated] != "true"),
        # about one line in ten is booked to no expected result, one in twenty to no category
        results=tuple(row[0] for row in results) * 9 + ("",) * len(results),
        cost_items=leaves * 19 + ("",) * len(leaves),
        currency=rbm["currency"],
    )


def _amounts(rng: random.Random, size: int = 1 << 16) -> list[str]:
    """A pool of amounts, log-uniform from 10 to 100,000 with two decimals, 2% negative."""
    pool = []
    for _ in range(size):
        cents = round(10 ** rng.uniform(3, 7))
        sign = "-" if rng.random() < REVERSALS else ""
        pool.append(f"{sign}{cents // 100}.{cents % 100:02d}")
    return pool


def ledger_lines(choices: LedgerChoices, rows: int, seed: int) -> Iterator[list[tuple[str, ...]]]:
    """The ledger's lines in chunks of at most CHUNK; lines of one journal share a reference
    (four lines a journal entry)."""
    rng = random.Random(seed)
    amounts = _amounts(rng)
    currency = [choices.currency] * CHUNK
    for start in range(0, rows, CHUNK):
        n = min(CHUNK, rows - start)
        span = range(start, start + n)
        references = [f"JV-{(i >> 2) + 1:07d}-{(i & 3) + 1:02d}" for i in span]
        # a ledger is in date order: the biennium's days spread evenly over the lines
        dates = [choices.dates[i * len(choices.dates) // rows] for i in span]
        yield list(
            zip(
                dates,
                rng.choices(choices.sectors, k=n),
                rng.choices(choices.results, k=n),
                rng.choices(choices.cost_items, k=n),
                rng.choices(FUNDING, k=n),
                rng.choices(amounts, k=n),
                currency[:n],
                references,
                strict=True,
            )
        )


def write_ledger(package: Path, rows: int, seed: int) -> None:
    """Write `rows` ledger lines to the package at `package` and declare the resource."""
    choices = ledger_choices(package)
    target = package / "data" / f"{LEDGER}.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(LEDGER_HEADER)
        for chunk in ledger_lines(choices, rows, seed):
            writer.writerows(chunk)
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["resources"].append(ledger_resource())
    descriptor_path.write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def ledger_resource() -> dict[str, Any]:
    """The descriptor entry of the ledger, shaped like the package's other entries."""
    fields: list[dict[str, Any]] = []
    for name, kind, required in LEDGER_FIELDS:
        field: dict[str, Any] = {"name": name, "type": kind}
        if required:
            field["constraints"] = {"required": True}
        fields.append(field)
    return {
        "name": LEDGER,
        "title": "Expenditure ledger: one line a transaction",
        "path": f"data/{LEDGER}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields},
    }


def synthesize(out: Path, scale: int, ledger_rows: int | None = None, seed: int = 0) -> None:
    """Write the package ×`scale` into `out`, with a ledger of `ledger_rows` lines if given."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    source = datasets.embedded(datasets.DEFAULT)
    assert source is not None
    scale_package(source, out, scale)
    if ledger_rows is not None:
        write_ledger(out, ledger_rows, seed)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__)
    parser.add_argument("--scale", type=int, required=True, help="times WIPO's size")
    parser.add_argument("--ledger-rows", type=int, default=None, help="ledger transactions")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    synthesize(args.out, args.scale, args.ledger_rows, args.seed)
    print(f"wrote {args.out} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
