"""Bad input: every problem is reported with file, line, column and value, none crashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rbm.datapackage.package import read_package
from rbm.domain.enums import Unit

CSV_HEADER = "code,pillar,order,title_zh,title_en,source\n"


def write(package: Path, name: str, content: str | bytes) -> None:
    target = package / "data" / name
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")


def errors(package: Path) -> list[list[object]]:
    report = read_package(package).report
    assert not report.valid
    return report.flatten("type", "file", "row", "column")


def test_example_package_is_valid(example: Path) -> None:
    result = read_package(example)
    assert result.report.valid, [e.message("en") for e in result.report.errors]
    assert result.dataset is not None
    assert result.report.stats["pies"] == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # a ragged row: one cell short
        (CSV_HEADER + "1.1,1,1,a,b\n", [["row-length", "data/results.csv", 2, None]]),
        # bad quoting: a quote inside an unquoted cell ends the file's parse at that line
        (CSV_HEADER + '1.1,1,1,"a"b,c,R1\n', [["csv-format", "data/results.csv", 2, None]]),
        # an unterminated quote runs to the end of the file
        (CSV_HEADER + '1.1,1,1,"a,b,R1\n', [["csv-format", "data/results.csv", 2, None]]),
        # wrong types
        (CSV_HEADER + "1.1,1,one,a,b,R1\n", [["type-error", "data/results.csv", 2, "order"]]),
        (CSV_HEADER + "1.1,1,1.5,a,b,R1\n", [["type-error", "data/results.csv", 2, "order"]]),
        # display formats of numbers
        (
            CSV_HEADER + '1.1,1,"1,000",a,b,R1\n',
            [["number-format", "data/results.csv", 2, "order"]],
        ),
        (CSV_HEADER + "1.1,1,(12),a,b,R1\n", [["number-format", "data/results.csv", 2, "order"]]),
        # absurdly large
        (
            CSV_HEADER + "1.1,1,12345678901234567890,a,b,R1\n",
            [["out-of-range", "data/results.csv", 2, "order"]],
        ),
        # unknown foreign keys
        (CSV_HEADER + "1.1,9,1,a,b,R1\n", [["foreign-key", "data/results.csv", 2, "pillar"]]),
        (CSV_HEADER + "1.1,1,1,a,b,XX\n", [["foreign-key", "data/results.csv", 2, "source"]]),
        # required value missing; a multi-line cell counts its lines
        (
            CSV_HEADER + '1.0,1,1,"a\nb",c,R1\n1.1,1,1,,b,R1\n',
            [["missing-value", "data/results.csv", 4, "title_zh"]],
        ),
        # missing and unknown columns
        (
            "code,pillar,order,title_zh,source\n",
            [["missing-column", "data/results.csv", 1, "title_en"]],
        ),
        (CSV_HEADER.strip() + ",extra\n", [["extra-column", "data/results.csv", 1, "extra"]]),
        (
            "code,code,pillar,order,title_zh,title_en,source\n",
            [["duplicate-column", "data/results.csv", 1, "code"]],
        ),
    ],
)
def test_bad_cells_rows_and_headers(
    example: Path, content: str, expected: list[list[object]]
) -> None:
    write(example, "results.csv", content)
    found = errors(example)
    # results 1.1 is referenced elsewhere in the example, so a missing 1.1 also breaks those rows
    assert [e for e in found if e[1] == "data/results.csv"] == expected


def test_duplicate_key_names_both_lines(example: Path) -> None:
    write(example, "results.csv", CSV_HEADER + "1.1,1,1,a,b,R1\n1.1,1,2,c,d,R1\n")
    report = read_package(example).report
    assert report.flatten("type", "row", "column", "value") == [["duplicate-key", 3, "code", "1.1"]]
    assert "line 2" in report.errors[0].message("en")


def test_unique_text_column(example: Path) -> None:
    sectors = (example / "data" / "sectors.csv").read_text(encoding="utf-8")
    write(example, "sectors.csv", sectors + "ops2,业务,Ops 2,业务二,Operations 2,3,false,T1\n")
    assert errors(example) == [["duplicate-key", "data/sectors.csv", 4, "short_zh"]]


def test_non_utf8_bytes_name_the_line(example: Path) -> None:
    write(
        example,
        "results.csv",
        (CSV_HEADER + "1.1,1,1,").encode() + "质量".encode("gb18030") + b",b,R1\n",
    )
    found = read_package(example).report
    assert found.flatten("type", "file", "row")[0] == ["encoding-error", "data/results.csv", 2]
    assert found.errors[0].value is not None


def test_byte_order_mark_is_reported_and_the_rest_still_checked(example: Path) -> None:
    write(example, "results.csv", "\ufeff" + CSV_HEADER + "1.1,1,x,a,b,R1\n")
    assert [e for e in errors(example) if e[1] == "data/results.csv"] == [
        ["bom", "data/results.csv", 1, None],
        ["type-error", "data/results.csv", 2, "order"],
    ]


def test_missing_file(example: Path) -> None:
    (example / "data" / "budget_facts.csv").unlink()
    assert errors(example) == [["missing-file", "data/budget_facts.csv", None, None]]


def test_missing_descriptor(tmp_path: Path) -> None:
    assert errors(tmp_path) == [
        ["missing-descriptor", str(tmp_path / "datapackage.json"), None, None]
    ]


def test_invalid_descriptor_json(example: Path) -> None:
    (example / "datapackage.json").write_text("{not json", encoding="utf-8")
    assert errors(example)[0][:2] == ["invalid-descriptor", "datapackage.json"]


def test_descriptor_without_biennium(example: Path) -> None:
    descriptor = json.loads((example / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["rbm"]["biennium"]
    (example / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert errors(example) == [
        ["invalid-descriptor", "datapackage.json", None, "rbm.biennium.code"]
    ]


def test_schema_mismatch_and_unknown_resource(example: Path) -> None:
    descriptor = json.loads((example / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"]["fields"].pop()
    descriptor["resources"].append({"name": "ledgers", "path": "data/ledgers.csv"})
    (example / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert errors(example) == [
        ["schema-mismatch", "datapackage.json", None, "sources.schema"],
        ["unknown-resource", "datapackage.json", None, "resources"],
    ]


def test_path_outside_the_package_is_refused(example: Path) -> None:
    descriptor = json.loads((example / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../../etc/passwd"
    (example / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    found = errors(example)
    assert ["invalid-descriptor", "datapackage.json", None, "sources.path"] in found


def test_empty_package(example: Path) -> None:
    for csv_file in (example / "data").glob("*.csv"):
        csv_file.write_text(
            csv_file.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"
        )
    assert errors(example) == [["empty-package", "datapackage.json", None, None]]


def test_empty_file_without_header(example: Path) -> None:
    write(example, "budget_facts.csv", "")
    found = errors(example)
    assert ["missing-column", "data/budget_facts.csv", 1, "phase"] in found


def test_year_outside_the_biennium(example: Path) -> None:
    write(
        example,
        "budget_facts.csv",
        "phase,year,sector,result,cost_category,union,funding,amount,unit,source\n"
        "approved,2024,ops,1.1,,,,1,kCHF,T1\n",
    )
    assert errors(example) == [["year-range", "data/budget_facts.csv", 2, "year"]]


def test_enum_and_pattern(example: Path) -> None:
    write(
        example,
        "budget_facts.csv",
        "phase,year,sector,result,cost_category,union,funding,amount,unit,source\n"
        "spent,,ops,1.1,,,,1,kCHF,T1\n",
    )
    write(example, "pillars.csv", "code,order,name_zh,name_en,source\n 1,1,服务,Services,R1\n")
    found = errors(example)
    assert ["enum-error", "data/budget_facts.csv", 2, "phase"] in found
    assert ["pattern-error", "data/pillars.csv", 2, "code"] in found


def in_currency(package: Path, currency: str) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["rbm"]["currency"] = currency
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def test_units_name_the_package_currency(example: Path) -> None:
    in_currency(example, "EUR")
    facts = example / "data" / "budget_facts.csv"
    chf = facts.read_text(encoding="utf-8")
    facts.write_text(chf.replace(",kCHF,", ",kEUR,").replace(",50,kEUR,", ",5,MEUR,"), "utf-8")
    dataset = read_package(example).dataset
    assert dataset is not None and dataset.biennium.currency == "EUR"
    assert {f.unit for f in dataset.budget_facts} == {Unit.THOUSAND, Unit.MILLION}

    facts.write_text(chf, encoding="utf-8")  # kCHF in a package in EUR
    report = read_package(example).report
    assert report.flatten("type", "row", "column")[0] == ["enum-error", 2, "unit"]
    assert report.errors[0].message("en").endswith("expected one of: EUR, kEUR, MEUR")


def test_every_error_names_its_value_and_expectation_in_both_languages(example: Path) -> None:
    write(example, "results.csv", CSV_HEADER + "1.1,1,(12),a,b,R1\n")
    error = read_package(example).report.errors[0]
    assert error.message("en") == (
        'data/results.csv, line 2, column "order": number in a display format (found "(12)"); '
        "expected a plain integer such as 1234.5 or -12 (no parentheses for negatives; write -12)"
    )
    assert "第 2 行" in error.message("zh") and "用括号表示负数" in error.message("zh")
    assert error.to_dict("en")["expected"].startswith("a plain integer")
