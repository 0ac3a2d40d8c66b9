#!/usr/bin/env python3
"""Regenerate the ledger of the Northwind Regional Health Agency example package.

Writes, from a fixed seed (random.Random(2026)) and the standard library only:

- data/budget_facts.csv: the financial ledger at its finest grain, one row per phase
  (approved, adjusted, executed), year, sector, expected result and leaf cost category,
  in EUR with cents. The unallocated reserve (RES) has approved and adjusted rows only,
  with no expected result.
- data/transfers.csv: the budget transfers between sectors, in EUR. Adjusted differs from
  approved only by these transfers, so per sector (transfers_in - transfers_out) equals
  (adjusted - approved) summed over the years and rows, and the transfers net to zero.
- data/income_facts.csv: income estimates (the plan's financing annex) and actuals (the
  ledger) per leaf income category for the whole period, in kEUR.

Run from anywhere: `python examples/northwind-2026-28/generate.py`. The output is the same
on every run; the script checks the identities above before writing.
"""

from __future__ import annotations

import csv
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
YEARS = (2026, 2027, 2028)
LEDGER = "LEDGER"
CENT = Decimal("0.01")

LEAVES = (
    "STAFF.PERM",
    "STAFF.TEMP",
    "NONSTAFF.TRAV",
    "NONSTAFF.CONT",
    "NONSTAFF.SUPP",
    "NONSTAFF.GRANT",
)

# sector: (approved budget per year in EUR, expected results and their weights,
#          leaf cost categories and their weights)
SECTORS: dict[str, tuple[int, dict[str, int], dict[str, int]]] = {
    "CLIN": (
        24_000_000,
        {"A.1": 3, "B.1": 6, "B.2": 2},
        {
            "STAFF.PERM": 55,
            "STAFF.TEMP": 10,
            "NONSTAFF.TRAV": 2,
            "NONSTAFF.CONT": 8,
            "NONSTAFF.SUPP": 22,
            "NONSTAFF.GRANT": 3,
        },
    ),
    "PREV": (
        13_500_000,
        {"A.1": 5, "A.2": 4, "B.2": 3},
        {
            "STAFF.PERM": 45,
            "STAFF.TEMP": 8,
            "NONSTAFF.TRAV": 4,
            "NONSTAFF.CONT": 15,
            "NONSTAFF.SUPP": 10,
            "NONSTAFF.GRANT": 18,
        },
    ),
    "DIGI": (
        8_500_000,
        {"B.1": 2, "B.3": 6, "C.2": 1},
        {
            "STAFF.PERM": 35,
            "STAFF.TEMP": 12,
            "NONSTAFF.TRAV": 1,
            "NONSTAFF.CONT": 40,
            "NONSTAFF.SUPP": 12,
        },
    ),
    "CORP": (
        10_000_000,
        {"C.1": 4, "C.2": 5},
        {"STAFF.PERM": 60, "STAFF.TEMP": 6, "NONSTAFF.TRAV": 3, "NONSTAFF.CONT": 25, "NONSTAFF.SUPP": 6},
    ),
}
RESERVE = ("RES", 1_500_000, {"STAFF.TEMP": 30, "NONSTAFF.CONT": 70})
SECTOR_ORDER = ("CLIN", "PREV", "DIGI", "CORP", "RES")
YEAR_GROWTH = {2026: Decimal("1.000"), 2027: Decimal("1.035"), 2028: Decimal("1.060")}
TRANSFERS_PER_YEAR = 6  # between allocated sectors, plus two draws on the reserve a year

# income: leaf category -> share of the approved budget (estimate); actual = estimate x factor
INCOME = {
    "CONTRIB.REG": Decimal("0.58"),
    "CONTRIB.MUN": Decimal("0.17"),
    "GRANTS": Decimal("0.12"),
    "FEES.LAB": Decimal("0.07"),
    "FEES.TRAIN": Decimal("0.025"),
    "OTHER": Decimal("0.035"),
}

# the FR-style limit of the descriptor's transfer_rule: net transfers into a sector at most
# max(10% of its approved budget, 2% of the total approved budget)
SECTOR_PCT, TOTAL_PCT = Decimal("0.10"), Decimal("0.02")

Key = tuple[str, str, str, int]  # sector, result ("" for the reserve), cost category, year


def rounded(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def approved_budget(rng: random.Random) -> dict[Key, Decimal]:
    """Approved amounts per row, rounded to EUR 100: each sector's results take their share,
    each (sector, result) pair uses permanent staff and a random subset of the other leaves."""
    approved: dict[Key, Decimal] = {}
    for sector, (annual, results, categories) in SECTORS.items():
        result_total = sum(results.values())
        for result, r_weight in results.items():
            used = ["STAFF.PERM"] + [c for c in categories if c != "STAFF.PERM" and rng.random() < 0.8]
            while len(used) < 3:  # at least three cost categories per pair
                spare = [c for c in categories if c not in used]
                used.append(rng.choice(spare))
            used.sort(key=LEAVES.index)
            c_total = sum(categories[c] for c in used)
            for category in used:
                share = Decimal(r_weight) / result_total * categories[category] / c_total
                for year in YEARS:
                    noise = Decimal(str(round(rng.uniform(0.97, 1.03), 4)))
                    amount = Decimal(annual) * share * YEAR_GROWTH[year] * noise
                    approved[(sector, result, category, year)] = rounded(amount, Decimal(100))
    sector, annual, categories = RESERVE
    c_total = sum(categories.values())
    for category, weight in categories.items():
        for year in YEARS:
            amount = Decimal(annual) * weight / c_total * YEAR_GROWTH[year]
            approved[(sector, "", category, year)] = rounded(amount, Decimal(100))
    return approved


def transfer_moves(
    rng: random.Random, approved: dict[Key, Decimal]
) -> list[tuple[Key, Key, Decimal]]:
    """Budget moved between rows of different sectors in the same year (EUR 500 steps)."""
    adjusted = dict(approved)
    moves: list[tuple[Key, Key, Decimal]] = []
    allocated = [k for k in approved if k[0] != "RES"]
    for year in YEARS:
        rows = [k for k in allocated if k[3] == year]
        reserve = [k for k in approved if k[0] == "RES" and k[3] == year]
        plan = [(rng.choice(rows), 0.05, 0.20) for _ in range(TRANSFERS_PER_YEAR)]
        plan += [(k, 0.25, 0.45) for k in reserve]
        for donor, low, high in plan:
            targets = [k for k in rows if k[0] != donor[0]]
            recipient = rng.choice(targets)
            share = Decimal(str(round(rng.uniform(low, high), 4)))
            amount = max(rounded(adjusted[donor] * share, Decimal(500)), Decimal(500))
            amount = min(amount, adjusted[donor] - Decimal(500))
            if amount <= 0:
                continue
            adjusted[donor] -= amount
            adjusted[recipient] += amount
            moves.append((donor, recipient, amount))
    return moves


def main() -> None:
    rng = random.Random(2026)
    approved = approved_budget(rng)
    moves = transfer_moves(rng, approved)

    adjusted = dict(approved)
    t_in = {s: Decimal(0) for s in SECTOR_ORDER}
    t_out = {s: Decimal(0) for s in SECTOR_ORDER}
    for donor, recipient, amount in moves:
        adjusted[donor] -= amount
        adjusted[recipient] += amount
        t_out[donor[0]] += amount
        t_in[recipient[0]] += amount

    executed: dict[Key, Decimal] = {}
    for key, amount in adjusted.items():
        if key[0] == "RES":
            continue  # the reserve is never spent as such: it is transferred to the sectors
        ratio = Decimal(str(round(rng.triangular(0.70, 1.05, 0.95), 4)))
        executed[key] = (amount * ratio).quantize(CENT, rounding=ROUND_HALF_UP)

    # the identities the package promises
    assert all(v > 0 for v in adjusted.values())
    assert sum(t_in.values()) == sum(t_out.values())
    total_approved = sum(approved.values(), Decimal(0))
    for sector in SECTOR_ORDER:
        ap = sum((v for k, v in approved.items() if k[0] == sector), Decimal(0))
        ad = sum((v for k, v in adjusted.items() if k[0] == sector), Decimal(0))
        assert ad - ap == t_in[sector] - t_out[sector], sector
        limit = max(ap * SECTOR_PCT, total_approved * TOTAL_PCT)
        assert t_in[sector] - t_out[sector] <= limit, (sector, t_in[sector] - t_out[sector], limit)
    for key, amount in executed.items():
        assert Decimal("0.699") * adjusted[key] <= amount <= Decimal("1.051") * adjusted[key]

    def order(key: Key) -> tuple[int, str, int, int]:
        return (SECTOR_ORDER.index(key[0]), key[1], LEAVES.index(key[2]), key[3])

    header = ["phase", "year", "sector", "result", "cost_category", "union", "funding", "amount", "unit", "source"]
    rows = []
    for key in sorted(approved, key=order):
        sector, result, category, year = key
        for phase, amounts in (("approved", approved), ("adjusted", adjusted), ("executed", executed)):
            if key in amounts:
                rows.append([phase, year, sector, result, category, "", "", money(amounts[key]), "EUR", LEDGER])
    write("budget_facts.csv", header, rows)

    write(
        "transfers.csv",
        ["sector", "transfers_in", "transfers_out", "unit", "source"],
        [[s, money(t_in[s]), money(t_out[s]), "EUR", LEDGER] for s in SECTOR_ORDER],
    )

    income_rows = []
    for category, share in INCOME.items():
        estimate = rounded(total_approved * share / 1000, Decimal("0.1"))
        factor = Decimal(str(round(rng.uniform(0.93, 1.06), 3)))
        actual = rounded(estimate * factor, Decimal("0.1"))
        income_rows.append(["estimate", "", category, "", str(estimate), "kEUR", "PLAN-FIN"])
        income_rows.append(["actual", "", category, "", str(actual), "kEUR", LEDGER])
    write(
        "income_facts.csv",
        ["phase", "year", "category", "union", "amount", "unit", "source"],
        income_rows,
    )


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (DATA / name).open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


if __name__ == "__main__":
    main()
