"""The report specification: the schema's errors name the file, line and place."""

from __future__ import annotations

from pathlib import Path

from rbm.report.spec.load import default_spec, read_spec, spec_errors


def test_the_default_layout_follows_the_schema() -> None:
    assert spec_errors(default_spec()) == []


def test_the_embedded_specification_follows_the_schema(wipo_path: Path) -> None:
    spec, errors = read_spec(wipo_path, ["表1", "表2", "表4"])
    assert spec is None  # it cites sources this short list lacks...
    assert {e.value for e in errors} >= {"附件一", "三-*"}  # ...and says which


def test_a_mistake_names_the_line_and_what_was_expected(tmp_path: Path) -> None:
    (tmp_path / "report.yaml").write_text(
        "version: 1\nsections:\n  - id: overview\n    blocks:\n      - kind: budget_table\n"
        "        rows: sectors\n        across: result\n        phase: executed\n",
        encoding="utf-8",
    )
    spec, errors = read_spec(tmp_path, [])
    assert spec is None
    assert [(e.file, e.row, e.column) for e in errors] == [
        ("report.yaml", 6, "sections/0/blocks/0/rows")
    ]
    assert "sector" in errors[0].message("en")


def test_an_unknown_source_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "report.yaml").write_text(
        "version: 1\nsections:\n  - id: s\n    blocks:\n      - {kind: transfers, source: T9}\n",
        encoding="utf-8",
    )
    _, errors = read_spec(tmp_path, ["T1"])
    assert [(e.row, e.value) for e in errors] == [(5, "T9")]


def test_an_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    rows += [
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    (tmp_path / "report.yaml").write_text("\n".join(rows) + "\n", encoding="utf-8")
    spec, errors = read_spec(tmp_path, [])
    assert spec is None and [(e.type, e.row) for e in errors] == [("invalid-spec", 2)]


def test_a_linked_specification_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("version: 1\nsections: []\n", encoding="utf-8")
    package = tmp_path / "package"
    package.mkdir()
    (package / "report.yaml").symlink_to(outside)
    spec, errors = read_spec(package, [])
    assert spec is None and [(e.type, e.value) for e in errors] == [("linked-file", "report.yaml")]
