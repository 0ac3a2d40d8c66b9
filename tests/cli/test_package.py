"""The command line: exit codes, what it prints, and that a failed load writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from rbm.cli import app
from rbm.store.tables import TABLES
from tests.languages import relabel

runner = CliRunner()


def rbm(*args: str, db: str | None = None) -> tuple[int, str, str]:
    full = ["--db", db, *args] if db else list(args)
    result = runner.invoke(app, full, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def stored_rows(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            names = set(sa.inspect(connection).get_table_names())
            return sum(
                connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for n, t in TABLES.items()
                if n in names
            )
    finally:
        engine.dispose()


def break_one_cell(package: Path) -> None:
    facts = package / "data" / "budget_facts.csv"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("1100.5", '"1,100.5"'), encoding="utf-8"
    )


def test_validate_valid_package(example: Path) -> None:
    code, out, _ = rbm("validate", str(example))
    assert code == 0
    assert "Valid: 12 rows in 7 resources." in out


def test_validate_one_bad_cell_names_file_line_and_column(example: Path) -> None:
    break_one_cell(example)
    code, _, err = rbm("validate", str(example))
    assert code == 1
    assert 'data/budget_facts.csv, line 4, column "amount"' in err
    assert '"1,100.5"' in err


def test_validate_json(example: Path) -> None:
    break_one_cell(example)
    code, out, _ = rbm("validate", str(example), "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert payload["valid"] is False
    (error,) = payload["errors"]
    assert (error["file"], error["row"], error["column"], error["value"]) == (
        "data/budget_facts.csv",
        4,
        "amount",
        "1,100.5",
    )
    assert error["type"] == "number-format"


def test_a_language_without_a_catalogue_is_valid_with_a_warning(example: Path) -> None:
    relabel(example, {"zh": "es"})
    path = example / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["rbm"]["languages"] = ["es", "en"]
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    code, out, err = rbm("validate", str(example))
    assert code == 0 and "Valid" in out
    assert "“es”" in err and "English" in err
    code, _, err = rbm("--lang", "fr", "validate", str(example))
    assert "« es »" in err


def test_validate_in_chinese(example: Path) -> None:
    break_one_cell(example)
    code, _, err = rbm("--lang", "zh", "validate", str(example))
    assert code == 1
    assert "第 4 行" in err and "千位分隔符" in err


def test_load_of_a_bad_package_leaves_zero_rows(example: Path, store_url: str) -> None:
    break_one_cell(example)
    code, _, err = rbm("load", str(example), db=store_url)
    assert code == 1
    assert "Nothing was loaded" in err
    assert stored_rows(store_url) == 0


def test_load_export_load(example: Path, tmp_path: Path, store_url: str) -> None:
    code, out, _ = rbm("load", str(example), db=store_url)
    assert code == 0, out
    assert "Loaded 12 rows of biennium 2026-27" in out
    assert rbm("load", str(example), db=store_url)[0] == 1  # already there
    exported = tmp_path / "exported"
    assert rbm("export", "--out", str(exported), db=store_url)[0] == 0
    assert rbm("validate", str(exported))[0] == 0
    assert rbm("load", str(exported), "--replace", db=store_url)[0] == 0


def test_load_embedded_dataset_and_summarize(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rbm.db'}"
    assert rbm("load", "wipo-2024-25", db=url)[0] == 0
    code, out, _ = rbm("summary", "--format", "json", db=url)
    assert code == 0
    summary = json.loads(out)
    assert summary["biennium"] == "2024-25"
    assert summary["counts"]["results"] == 16
    assert summary["counts"]["sectors"] == 9
    code, out, _ = rbm("summary", db=url)
    assert code == 0 and "Expected results" in out


def test_summary_on_an_empty_store_says_what_to_do(tmp_path: Path) -> None:
    code, _, err = rbm("summary", db=f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 1
    assert "rbm load" in err


def test_database_url_from_the_environment(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("RBM_DATABASE_URL", url)
    assert rbm("load", str(example))[0] == 0
    assert stored_rows(url) == 12


BAD_INPUTS = {
    "ragged row": ("results.csv", "code,pillar,order,title_zh,title_en,source\n1.1,1,1,a,b\n"),
    "bad quoting": (
        "results.csv",
        'code,pillar,order,title_zh,title_en,source\n1.1,1,1,"a"b,c,R1\n',
    ),
    "wrong type": ("results.csv", "code,pillar,order,title_zh,title_en,source\n1.1,1,one,a,b,R1\n"),
    "unknown reference": (
        "results.csv",
        "code,pillar,order,title_zh,title_en,source\n1.1,9,1,a,b,R1\n",
    ),
    "duplicate key": (
        "results.csv",
        "code,pillar,order,title_zh,title_en,source\n1.1,1,1,a,b,R1\n1.1,1,2,c,d,R1\n",
    ),
    "missing column": ("results.csv", "code,pillar,order,title_zh,source\n1.1,1,1,a,R1\n"),
    "non-UTF-8": ("results.csv", "code,pillar,order,title_zh,title_en,source\n1.1,1,1,\xe9,b,R1\n"),
    "byte-order mark": (
        "results.csv",
        "\ufeffcode,pillar,order,title_zh,title_en,source\n1.1,1,1,a,b,R1\n",
    ),
    "parentheses": (
        "budget_facts.csv",
        "phase,year,sector,result,cost_category,union,funding,amount,unit,source\napproved,,ops,,,,,(5),kCHF,T1\n",
    ),
    "absurdly large": (
        "budget_facts.csv",
        "phase,year,sector,result,cost_category,union,funding,amount,unit,source\napproved,,ops,,,,,9999999999999999999,kCHF,T1\n",
    ),
    "negative expenditure": (
        "budget_facts.csv",
        "phase,year,sector,result,cost_category,union,funding,amount,unit,source\nexecuted,,ops,,,,,-1,kCHF,T1\n",
    ),
    "missing file": ("pies.csv", None),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_every_kind_of_bad_input_leaves_the_store_untouched(
    case: str, example: Path, store_url: str
) -> None:
    name, content = BAD_INPUTS[case]
    target = example / "data" / name
    if content is None:
        target.unlink()
    elif case == "non-UTF-8":
        target.write_bytes(content.encode("latin-1"))
    else:
        target.write_text(content, encoding="utf-8")
    code, _, err = rbm("load", str(example), db=store_url)
    assert code == 1
    assert f"data/{name}" in err
    assert stored_rows(store_url) == 0
