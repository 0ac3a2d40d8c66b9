"""Business rules: reported by the validator with the line of the offending row."""

from __future__ import annotations

from pathlib import Path

from rbm.datapackage.package import read_package

BUDGET = "phase,year,sector,result,cost_category,union,funding,amount,unit,source\n"


def write(package: Path, name: str, content: str) -> None:
    (package / "data" / name).write_text(content, encoding="utf-8")


def add_resource(package: Path, name: str, content: str) -> None:
    """Declare an extra resource in the example's descriptor and write its file."""
    import json

    from rbm.datapackage.descriptor import resource_descriptor
    from rbm.datapackage.resources import BY_NAME

    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append(
        resource_descriptor(BY_NAME[name], "CHF", descriptor["rbm"]["languages"])
    )
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    write(package, f"{name}.csv", content)


def test_negative_expenditure(example: Path) -> None:
    write(
        example,
        "budget_facts.csv",
        BUDGET + "approved,,ops,,,,,-5,kCHF,T1\nexecuted,,ops,,,,,-5,kCHF,T1\n",
    )
    report = read_package(example).report
    assert report.flatten("type", "row", "column", "value") == [
        ["negative-expenditure", 3, "amount", "-5"]
    ]


def test_budget_fact_for_unknown_sector_and_result(example: Path) -> None:
    write(example, "budget_facts.csv", BUDGET + "executed,,xx,9.9,,,,5,kCHF,T1\n")
    report = read_package(example).report
    assert report.flatten("type", "row", "column", "value") == [
        ["foreign-key", 2, "sector", "xx"],
        ["foreign-key", 2, "result", "9.9"],
    ]


def test_transfers_must_net_to_zero_across_units(example: Path) -> None:
    header = "sector,transfers_in,transfers_out,unit,source\n"
    add_resource(example, "transfers", header + "ops,1,0,kCHF,T1\nun,0,1000,CHF,T1\n")
    assert read_package(example).report.valid
    write(example, "transfers.csv", header + "ops,1,0,kCHF,T1\nun,0,999,CHF,T1\n")
    report = read_package(example).report
    assert report.flatten("type", "file", "value") == [
        ["transfers-unbalanced", "data/transfers.csv", "1"]
    ]


def test_footnote_must_point_at_something(example: Path) -> None:
    header = "id,scope,ref,number,kind,text_zh,text_en,source\n"
    add_resource(
        example,
        "footnotes",
        header + "FN-1,pie,1.1-01.1,1,note,注,Note,R1\nFN-2,pie,nope,2,note,注,Note,R1\n",
    )
    report = read_package(example).report
    assert report.flatten("type", "row", "column", "value") == [["footnote-ref", 3, "ref", "nope"]]


def test_a_narrative_figure_is_compared_with_something_that_exists(example: Path) -> None:
    add_resource(
        example,
        "narratives",
        "id,ref,order,heading_zh,heading_en,text_zh,text_en,source\nN-1,overview,1,,,文,Text,R1\n",
    )
    add_resource(
        example,
        "narrative_figures",
        "id,narrative,value,half,compares,ref,source\n"
        "NF-1,N-1,5,,pie_actual,1.1-01.1,R1\nNF-2,N-1,5,,published,nope,R1\n",
    )
    report = read_package(example).report
    assert report.flatten("type", "row", "column", "value") == [["foreign-key", 3, "ref", "nope"]]


def test_cost_category_cycle(example: Path) -> None:
    header = "code,parent,name_zh,name_en,order,personnel,source\n"
    add_resource(
        example, "cost_categories", header + "A,B,甲,A,1,,T1\nB,A,乙,B,2,,T1\nC,,丙,C,3,,T1\n"
    )
    report = read_package(example).report
    assert report.flatten("type", "row", "value") == [
        ["hierarchy-cycle", 2, "A"],
        ["hierarchy-cycle", 3, "B"],
    ]


def test_a_formula_sums_other_lines_of_the_package(example: Path) -> None:
    rows = (
        "code,name_zh,name_en,order,source,formula\n"
        "income,收入,Income,1,T1,\n"
        "spent,支出,Spent,2,T1,\n"
        "result,结果,Result,3,T1,income - spent; - spent + income\n"
        "typo,错,Typo,4,T1,income - spnt\n"
        "loop,环,Loop,5,T1,loop + income\n"
        "bad,坏,Bad,6,T1,income +\n"
    )
    add_resource(example, "financial_lines", rows)
    report = read_package(example).report
    assert report.flatten("type", "row", "value") == [
        ["formula-error", 5, "income - spnt"],
        ["formula-error", 6, "loop + income"],
        ["formula-error", 7, "income +"],
    ]
    assert "spnt" in report.errors[0].message("en")


def test_a_single_unallocated_sector(example: Path) -> None:
    sectors = (example / "data" / "sectors.csv").read_text(encoding="utf-8")
    write(
        example,
        "sectors.csv",
        sectors + "un2,未分拨二,Unallocated 2,未分拨二,Unallocated 2,3,true,T1\n",
    )
    report = read_package(example).report
    assert report.flatten("type", "row", "value") == [["unallocated-sector", 4, "un2"]]
