"""`rbm export --format iati` and `rbm import --format iati` from the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rbm.cli import app
from rbm.domain.workflow import Role
from rbm.exchange.iati import ACTIVITY_FILE, ORGANISATION_FILE
from rbm.store.accounts import add_user
from rbm.store.database import open_store
from tests.conftest import ROOT

NORTHWIND = ROOT / "examples" / "northwind-2026-28"
FOREIGN = Path(__file__).resolve().parent / "fixtures" / "foreign-periods.xml"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
runner = CliRunner()


def rbm(*args: str, db: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def loaded(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    assert rbm("load", str(NORTHWIND), db=url)[0] == 0
    return url


def test_export_import_export_gives_the_same_files(loaded: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    code, out, _ = rbm("export", "--format", "iati", "--out", str(first), db=loaded)
    assert code == 0 and "Wrote 2 files" in out
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    code, out, err = rbm("import", "--format", "iati", str(first), db=empty)
    assert code == 0, err
    assert "as biennium 2026-28; 0 elements were left out" in out
    assert rbm("export", "--format", "iati", "--out", str(second), db=empty)[0] == 0
    for name in (ACTIVITY_FILE, ORGANISATION_FILE):
        assert (second / name).read_bytes() == (first / name).read_bytes()
    # the same biennium again is refused unless replaced
    assert rbm("import", str(first), db=empty)[0] == 1
    assert rbm("import", str(first), "--replace", db=empty)[0] == 0


def test_import_lists_what_it_left_out_and_can_write_a_package(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rbm.db'}"
    package = tmp_path / "package"
    code, out, err = rbm("import", str(FOREIGN), "--out", str(package), db=url)
    assert code == 0, err
    assert "as biennium 2025-26" in out
    assert "iati-activity[1]/result[1]/indicator[1]/period[2] left out" in err
    assert "/actual[1]/@value left out: the value is not a number" in err
    assert rbm("validate", str(package), db=url)[0] == 0


def test_a_file_that_is_not_iati_changes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<html><body/></html>", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'rbm.db'}"
    code, _, err = rbm("import", "--format", "iati", str(bad), db=url)
    assert code == 1
    assert "bad.xml is not an IATI file: its root element is <html>" in err
    assert rbm("export", "--format", "iati", "--out", str(tmp_path / "x"), db=url)[0] == 1


def test_export_ofdp_writes_the_fiscal_data_package(loaded: str, tmp_path: Path) -> None:
    pytest.importorskip("rbm.exchange.ofdp")
    code, _, err = rbm("export", "--format", "ofdp", "--out", str(tmp_path / "ofdp"), db=loaded)
    assert code == 0, err
    assert (tmp_path / "ofdp" / "datapackage.json").is_file()


def test_the_offline_workbook_cycle_from_the_command_line(loaded: str, tmp_path: Path) -> None:
    pytest.importorskip("rbm.exchange.workbook.load")
    engine = open_store(loaded)
    add_user(engine, "fay", Role.FOCAL_POINT, "correct horse battery", ("PREV",), START)
    engine.dispose()
    workbook = tmp_path / "prev.xlsx"
    code, out, err = rbm("template", "--sector", "PREV", "--out", str(workbook), db=loaded)
    assert code == 0, err
    assert "workbook of sector PREV" in out and workbook.is_file()
    code, out, err = rbm("import", "--format", "xlsx", str(workbook), "--as", "fay", db=loaded)
    assert code == 0, err
    assert out.startswith("0 values changed")  # returned untouched: nothing to change
    code, _, err = rbm("import", "--format", "xlsx", str(workbook), "--as", "nobody", db=loaded)
    assert code == 1 and "Nothing was loaded" in err
