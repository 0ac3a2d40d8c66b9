"""IATI 2.03 export and import: both files pass the official schemas for both example
organizations, a round trip through an empty store gives the same files, and another
publisher's files import what maps and name what they leave out."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree

from rbm.datapackage.package import read_package
from rbm.domain.dataset import Dataset
from rbm.domain.enums import Rating, TargetKind
from rbm.domain.text import Text
from rbm.exchange.iati import ACTIVITY_FILE, ORGANISATION_FILE, RBM_NS, iati_files
from rbm.exchange.iati.activity import baseline_year
from rbm.exchange.iati.load import checked, import_iati
from rbm.exchange.iati.read import IatiError, read_iati
from rbm.store import database
from rbm.store.read import read_dataset
from tests.conftest import ROOT

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "iati-2.03"
FIXTURES = HERE / "fixtures"
NORTHWIND = ROOT / "examples" / "northwind-2026-28"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
R = f"{{{RBM_NS}}}"


@pytest.fixture(scope="module")
def schemas() -> dict[str, etree.XMLSchema]:
    return {
        ORGANISATION_FILE: etree.XMLSchema(etree.parse(SCHEMAS / "iati-organisations-schema.xsd")),
        ACTIVITY_FILE: etree.XMLSchema(etree.parse(SCHEMAS / "iati-activities-schema.xsd")),
    }


@pytest.fixture(scope="module")
def northwind() -> Dataset:
    dataset = read_package(NORTHWIND).dataset
    assert dataset is not None
    return dataset


def valid(schema: etree.XMLSchema, content: bytes) -> list[str]:
    """The schema's complaints about `content` (none when it validates)."""
    schema.validate(etree.fromstring(content))
    return [f"{e.line}: {e.message}" for e in schema.error_log]


def twice(dataset: Dataset, tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The files of `dataset`, and those of what an empty store holds after importing them."""
    first = iati_files(dataset)
    for name, content in first.items():
        (tmp_path / name).write_bytes(content)
    engine = database.open_store(f"sqlite:///{tmp_path / 'rbm.db'}")
    report, imported = import_iati([tmp_path], engine=engine)
    assert report.valid, [e.message("en") for e in report.errors]
    assert imported.left_out == ()
    stored = read_dataset(engine)
    engine.dispose()
    assert stored is not None
    return first, iati_files(stored)


@pytest.mark.parametrize("name", ["wipo", "northwind"])
def test_both_files_pass_the_official_schemas(
    name: str, request: pytest.FixtureRequest, schemas: dict[str, etree.XMLSchema]
) -> None:
    dataset: Dataset = request.getfixturevalue(name)
    for file, content in iati_files(dataset).items():
        assert valid(schemas[file], content) == [], file


@pytest.mark.parametrize("name", ["wipo", "northwind"])
def test_round_trip_through_an_empty_store_gives_identical_files(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    first, again = twice(request.getfixturevalue(name), tmp_path)
    assert again == first


def test_round_trip_on_each_backend(northwind: Dataset, engine: sa.Engine, tmp_path: Path) -> None:
    first = iati_files(northwind)
    for name, content in first.items():
        (tmp_path / name).write_bytes(content)
    report, _ = import_iati([tmp_path], engine=engine, biennium="copy")
    assert report.valid
    stored = read_dataset(engine, "copy")
    assert stored is not None
    assert iati_files(dataclasses.replace(stored, biennium=northwind.biennium)) == first


def test_organisation_file_has_each_year_with_a_line_per_sector(northwind: Dataset) -> None:
    root = ET.fromstring(iati_files(northwind)[ORGANISATION_FILE])
    budgets = root.findall("iati-organisation/total-budget")
    spent = root.findall("iati-organisation/total-expenditure")
    years = [b.find("period-start").get("iso-date") for b in budgets]  # type: ignore[union-attr]
    assert years == ["2026-01-01", "2027-01-01", "2028-01-01"]
    assert len(spent) == 3
    sectors = {s.code for s in northwind.sectors}
    for total in budgets:
        lines = total.findall("budget-line")
        assert {line.get("ref") for line in lines} <= sectors
        assert sum(Decimal(line.findtext("value") or "") for line in lines) == Decimal(
            total.findtext("value") or ""
        )
        assert root.find("iati-organisation").get("default-currency") == "EUR"  # type: ignore[union-attr]


def test_a_phase_without_yearly_figures_covers_the_whole_period(wipo: Dataset) -> None:
    root = ET.fromstring(iati_files(wipo)[ORGANISATION_FILE])
    (spent,) = root.findall("iati-organisation/total-expenditure")
    assert spent.find("period-start").get("iso-date") == "2024-01-01"  # type: ignore[union-attr]
    assert spent.find("period-end").get("iso-date") == "2025-12-31"  # type: ignore[union-attr]
    assert len(root.findall("iati-organisation/total-budget")) == 2


def test_narratives_in_every_language_of_the_package(northwind: Dataset) -> None:
    root = ET.fromstring(iati_files(northwind)[ACTIVITY_FILE])
    for title in root.iter("title"):
        langs = [n.get(XML_LANG) for n in title.findall("narrative")]
        assert langs == ["en", "fr"], ET.tostring(title)


def test_indicator_measure_direction_and_period(northwind: Dataset) -> None:
    root = ET.fromstring(iati_files(northwind)[ACTIVITY_FILE])
    by_pie = {i.find(f"{R}pie").get("id"): i for i in root.iter("indicator")}  # type: ignore[union-attr]
    for pie in northwind.pies:
        element = by_pie[pie.id]
        if pie.target_kind == TargetKind.MILESTONE:
            assert element.get("measure") == "5" and element.get("ascending") is None
        else:
            lower = pie.target_kind in (TargetKind.AT_MOST, TargetKind.DECREASE)
            assert element.get("ascending") == ("false" if lower else "true")
        period = element.find("period")
        assert period is not None
        assert period.find("period-start").get("iso-date") == "2026-01-01"  # type: ignore[union-attr]
        assert period.find("period-end").get("iso-date") == "2028-12-31"  # type: ignore[union-attr]


def test_a_missing_value_is_left_out_never_zero(northwind: Dataset) -> None:
    pie = dataclasses.replace(
        northwind.pies[0], actual_value=None, actual_text=Text(), baseline_value=None
    )
    dataset = northwind.with_records(pies=(pie, *northwind.pies[1:]))
    root = ET.fromstring(iati_files(dataset)[ACTIVITY_FILE])
    element = next(
        i for i in root.iter("indicator") if i.find(f"{R}pie[@id='{pie.id}']") is not None
    )
    assert element.find("period/actual") is None
    baseline = element.find("baseline")
    assert baseline is not None and baseline.get("value") is None
    assert "0" not in {e.get("value") for e in element.iter() if e.get("value") is not None}


def test_ratings_marks_and_justifications_go_in_the_extension_and_come_back(
    northwind: Dataset,
) -> None:
    pie = dataclasses.replace(
        northwind.pies[0],
        assessor_rating=Rating.PARTIALLY,
        published_mark="◐",
        assessor_justification=Text.of(en="Rural districts lag", fr="Les districts ruraux"),
    )
    dataset = northwind.with_records(pies=(pie, *northwind.pies[1:]))
    files = iati_files(dataset)
    root = ET.fromstring(files[ACTIVITY_FILE])
    extension = root.find(f".//{R}pie[@id='{pie.id}']")
    assert extension is not None and extension.get("assessor_rating") == "partially"
    assert {r.get("resource") for r in root.findall(f"{R}record")} == {"risks"}
    back = read_iati(list(files.items())).dataset
    again = next(p for p in back.pies if p.id == pie.id)
    assert again.assessor_rating == Rating.PARTIALLY
    assert again.published_mark == "◐"
    assert again.assessor_justification == pie.assessor_justification
    assert back.risks == tuple(dataclasses.replace(r, source="iati") for r in northwind.risks)


def test_capital_projects_travel_in_the_extension(wipo: Dataset) -> None:
    files = iati_files(wipo)
    back = read_iati(list(files.items())).dataset
    assert len(back.capital_projects) == len(wipo.capital_projects) > 0
    assert back.capital_projects[0].budget == wipo.capital_projects[0].budget


def test_baseline_year_reads_the_last_year_a_period_names() -> None:
    assert baseline_year("2022/23") == 2023
    assert baseline_year("2023–2025") == 2025
    assert baseline_year("2023年底") == 2023
    assert baseline_year(None) is None


@pytest.mark.parametrize("name", ["foreign-periods.xml", "foreign-qualitative.xml"])
def test_foreign_fixtures_are_valid_iati(name: str, schemas: dict[str, etree.XMLSchema]) -> None:
    assert valid(schemas[ACTIVITY_FILE], (FIXTURES / name).read_bytes()) == []


def test_foreign_file_imports_what_maps_and_names_what_it_left_out() -> None:
    path = FIXTURES / "foreign-periods.xml"
    imported = read_iati([(path.name, path.read_bytes())])
    left = {(item.path, item.reason) for item in imported.left_out}
    activity = "/iati-activities/iati-activity[1]"
    first = f"{activity}/result[1]/indicator[1]"
    assert (f"{first}/period[2]", "not-mapped") in left
    assert (f"{first}/baseline[1]/dimension[1]", "not-mapped") in left
    assert (f"{activity}/result[1]/document-link[1]", "not-mapped") in left
    assert (f"{activity}/result[1]/indicator[2]/period[1]/target[2]", "not-mapped") in left
    assert (f"{activity}/budget[1]", "not-mapped") in left
    bad = f"{activity}/result[2]/indicator[1]/period[1]/actual[1]/@value"
    assert (bad, "not-a-number") in left
    dataset = imported.dataset
    b = dataset.biennium
    assert (b.organization, b.currency, b.start_year, b.end_year) == (
        "XM-EXAMPLE-7",
        "USD",
        2025,
        2026,
    )
    assert b.settings.languages == ("en", "fr")
    water = dataset.pies[0]
    assert (water.baseline_value, water.baseline_period) == (Decimal("61.5"), "2024")
    assert (water.target_kind, water.target_params) == (TargetKind.AT_LEAST, {"threshold": 70})
    assert water.actual_value == Decimal("68.2") and water.actual_unit == "%"
    assert dataset.pies[1].target_kind == TargetKind.AT_MOST
    assert dataset.pies[2].actual_value is None  # "not yet counted" is reported, not guessed
    assert checked(dataset).report.valid


def test_second_foreign_file_qualitative_and_two_activities() -> None:
    path = FIXTURES / "foreign-qualitative.xml"
    imported = read_iati([(path.name, path.read_bytes())])
    left = {item.path for item in imported.left_out}
    assert "/iati-activities/iati-activity[1]/result[1]/reference[1]" in left
    assert "/iati-activities/iati-activity[1]/location[1]" in left
    assert "/iati-activities/iati-activity[2]/result[1]/indicator[1]/baseline[2]" in left
    dataset = imported.dataset
    assert [p.code for p in dataset.pillars] == ["A1", "A2"]
    assert dataset.biennium.settings.languages == ("es", "en")
    law, parcels = dataset.pies
    assert law.target_kind == TargetKind.MILESTONE
    assert law.actual_text.exact("en") == "Bill in second reading"
    assert parcels.baseline_value == Decimal(12000) and parcels.actual_value == Decimal(14210)
    # untranslated titles read their first language in the other: a package needs both
    assert dataset.results[1].title.exact("en") == "Predios registrados"
    assert checked(dataset).report.valid


def test_a_file_that_is_not_iati_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IatiError) as caught:
        read_iati([("x.xml", b"<html/>")])
    assert caught.value.key == "iati.error.not-iati"
    with pytest.raises(IatiError) as broken:
        read_iati([("y.xml", b"<iati-activities")])
    assert broken.value.key == "iati.error.not-xml"


def test_a_framework_with_empty_branches_comes_back_the_same(northwind: Dataset) -> None:
    """An indicator with no PIE, a result with no indicator, a pillar with no result."""
    indicator = northwind.indicators[0]
    result = northwind.results[-1]
    pillar = dataclasses.replace(northwind.pillars[0], code="Z", order=9)
    dataset = northwind.with_records(
        pillars=(*northwind.pillars, pillar),
        pies=tuple(p for p in northwind.pies if p.indicator != indicator.id),
        indicators=tuple(i for i in northwind.indicators if i.result != result.code),
    )
    kept = {i.id for i in dataset.indicators}
    dataset = dataset.with_records(
        indicator_sectors=tuple(s for s in dataset.indicator_sectors if s.indicator in kept),
        pies=tuple(p for p in dataset.pies if p.indicator in kept),
    )
    files = iati_files(dataset)
    imported = read_iati(list(files.items()))
    assert imported.left_out == ()
    back = imported.dataset
    assert indicator.id in {i.id for i in back.indicators}
    assert indicator.id not in {p.indicator for p in back.pies}
    assert result.code in {r.code for r in back.results}
    assert not [i for i in back.indicators if i.result == result.code]
    assert "Z" in {p.code for p in back.pillars}
    assert iati_files(back) == files


def test_a_zip_of_both_files_imports_into_a_package(northwind: Dataset, tmp_path: Path) -> None:
    archive = tmp_path / "iati.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for name, content in iati_files(northwind).items():
            handle.writestr(name, content)
    report, imported = import_iati([archive], out=tmp_path / "package")
    assert report.valid and imported.left_out == ()
    again = read_package(tmp_path / "package").dataset
    assert again is not None and iati_files(again) == iati_files(northwind)


def test_an_edited_extension_value_is_reported_not_guessed(northwind: Dataset) -> None:
    files = iati_files(northwind)
    activity = (
        files[ACTIVITY_FILE]
        .replace(b'target_kind="at_least"', b'target_kind="somewhat"', 1)
        .replace(b'rbm:order="1"', b'rbm:order="first"', 1)
    )
    imported = read_iati([(ACTIVITY_FILE, activity), (ORGANISATION_FILE, files[ORGANISATION_FILE])])
    (problem,) = imported.left_out
    assert problem.reason == "bad-value"
    assert problem.path == (
        "/iati-activities/iati-activity[1]/result[1]/indicator[1]/rbm:pie[1]/@target_kind"
    )
    assert imported.dataset.pillars[0].order == 1  # its place, as "first" is not a number
