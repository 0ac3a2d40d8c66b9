"""The ledger through the command line: validate, load (checked as it goes in), export."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_package import rbm
from tests.datapackage.test_ledger import FILE, GOOD, add_ledger


def test_validate_load_and_export_a_ledger(example: Path, tmp_path: Path) -> None:
    add_ledger(example, GOOD)
    db = f"sqlite:///{tmp_path / 'rbm.db'}"
    code, out, _ = rbm("validate", str(example))
    assert code == 0, out
    code, out, err = rbm("load", str(example), db=db)
    assert code == 0, err
    code, out, err = rbm("export", "--out", str(tmp_path / "out"), db=db)
    assert code == 0, err
    written = (tmp_path / "out" / FILE).read_text(encoding="utf-8").splitlines()
    assert written[1:] == [",".join(row) for row in GOOD]
    assert rbm("validate", str(tmp_path / "out"))[0] == 0


def test_a_bad_posting_is_named_and_nothing_is_loaded(example: Path, tmp_path: Path) -> None:
    add_ledger(example, [*GOOD, ["2026-01-01", "ops", "", "", "", "1", "CHF", ""]])
    db = f"sqlite:///{tmp_path / 'rbm.db'}"
    code, _, err = rbm("load", str(example), db=db)
    assert code == 1
    assert FILE in err and "reference" in err
    code, _, err = rbm("export", "--out", str(tmp_path / "out"), db=db)
    assert code == 1  # no biennium was written
