"""Organization settings in the descriptor: read, written back, and checked with clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from rbm.datapackage.package import read_package
from tests.languages import relabel


def _with(example: Path, **rbm: object) -> Path:
    path = example / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["rbm"].update(rbm)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return example


def test_settings_are_read(example: Path) -> None:
    _with(
        example,
        currency="EUR",
        period={"label": {"zh": "2026–27", "en": "2026–27"}, "end": {"zh": "末", "en": "end"}},
        transfer_rule={"sector_pct": 10, "total_pct": 2, "basis": "gross"},
    )
    for name in ("budget_facts",):
        csv = example / "data" / f"{name}.csv"
        csv.write_text(csv.read_text(encoding="utf-8").replace("kCHF", "kEUR"), encoding="utf-8")
    result = read_package(example)
    assert result.report.errors == ()
    assert result.dataset is not None
    b = result.dataset.biennium
    assert (b.currency, b.period.get("en"), b.settings.transfer_rule.basis) == (
        "EUR",
        "2026–27",
        "gross",
    )


def test_each_bad_setting_names_its_line_and_what_was_expected(example: Path) -> None:
    _with(
        example,
        currency="EURO",
        languages=["en", "tlh"],
        transfer_rule={"sector_pct": 500, "total_pct": 1},
        rating={"partially_at": 60, "fully_at": 50},
    )
    errors = read_package(example).report.errors
    found = {(e.column, e.row is not None) for e in errors}
    assert found >= {
        ("rbm.currency", True),
        ("rbm.languages.1", True),
        ("rbm.transfer_rule.sector_pct", True),
        ("rbm.rating.partially_at", True),
    }
    messages = " ".join(e.message("en") for e in errors)
    assert "ISO 4217" in messages and "0 to 100" in messages


def test_a_band_alone_is_in_order_with_the_default_of_the_other(example: Path) -> None:
    _with(example, rating={"fully_at": 50})  # below the default partially_at, 60
    errors = read_package(example).report.errors
    assert [(e.type, e.column, e.value) for e in errors] == [
        ("invalid-setting", "rbm.rating.fully_at", "50")
    ]
    _with(example, rating={"fully_at": 80})
    assert read_package(example).report.errors == ()


def test_a_package_in_languages_of_its_own(example: Path) -> None:
    """Any languages Babel knows, in any order; a text column per language; a language
    without a catalogue is no error (its labels read English)."""
    relabel(example, {"zh": "es", "en": "fr"})
    _with(example, languages=["es", "fr"], organization={"code": "x", "name": {"es": "Org"}})
    result = read_package(example)
    assert result.report.errors == (), [e.message("en") for e in result.report.errors]
    assert result.dataset is not None
    pillar = result.dataset.pillars[0]
    assert pillar.name.langs == ("es", "fr")
    assert result.dataset.biennium.organization_name.get("fr") == "Org"  # falls back to es


def test_columns_must_follow_the_stated_languages(example: Path) -> None:
    _with(example, languages=["en", "fr"])
    errors = read_package(example).report.errors
    found = {(e.type, e.file, e.column) for e in errors}
    assert ("missing-column", "data/pillars.csv", "name_fr") in found
    assert ("extra-column", "data/pillars.csv", "name_zh") in found


def test_headline_lines_are_lines_of_the_package(example: Path) -> None:
    _with(example, headlines=["income"])
    errors = read_package(example).report.errors
    assert [(e.type, e.column, e.value) for e in errors] == [
        ("foreign-key", "rbm.headlines.0", "income")
    ]
    _with(example, headlines="income")
    errors = read_package(example).report.errors
    assert [(e.type, e.column) for e in errors] == [("invalid-setting", "rbm.headlines")]
