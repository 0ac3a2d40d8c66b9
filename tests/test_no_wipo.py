"""Nothing of WIPO in the code: its source ids, its biennium's years, its sector codes and
its currency live in the embedded dataset, never in `src/rbm` outside `datasets/`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src" / "rbm"
SUFFIXES = {".py", ".html", ".css", ".po", ".json", ".yaml", ".mako", ".ini", ".js"}
SECTORS = ("pt", "bd", "cc", "rnd", "ip", "gcp", "ie", "afm", "un")
PATTERNS = {
    "a source id": re.compile(r"表\s?\d|附件[一二三四五六七八九十]|附录[A-Z]|图[一二三]"),
    "a year of the 2024/25 biennium": re.compile(r"(?<!\d)202[45](?!\d)|2024/25|2024-25"),
    "a sector code": re.compile(r"[\"'](?:" + "|".join(SECTORS) + r")[\"']"),
    "the currency CHF": re.compile(r"(?<![A-Za-z])[kM]?CHF(?![A-Za-z])|瑞郎"),
    "a numbered table of the WIPO report": re.compile(r"[\"'](?:table|annex|figure)-\d"),
    "a key financial line of WIPO's": re.compile(r"[\"']\w*ipsas\w*[\"']"),
}


def files() -> list[Path]:
    return sorted(
        p
        for p in SRC.rglob("*")
        if p.is_file() and p.suffix in SUFFIXES and "datasets" not in p.relative_to(SRC).parts
    )


def findings() -> list[str]:
    found = []
    for path in files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for what, pattern in PATTERNS.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()}")
    return found


def test_the_code_holds_nothing_of_wipo() -> None:
    found = findings()
    assert not found, f"{len(found)} lines:\n" + "\n".join(found[:60])


@pytest.mark.parametrize(
    "line",
    [
        '"表5"',
        "附件十五",
        "2025",
        '"un"',
        "kCHF",
        "千瑞郎",
        '"table-5"',
        '"expenditure_after_ipsas"',
    ],
)
def test_the_check_would_see_each_kind(line: str) -> None:
    assert any(p.search(line) for p in PATTERNS.values())
