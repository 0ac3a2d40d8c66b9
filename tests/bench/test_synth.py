"""The synthetic package generator and the benchmark's pure parts (no timings asserted)."""

from __future__ import annotations

import csv
import filecmp
import json
import re
from datetime import date
from pathlib import Path

import pytest

from bench import measure, plot, run, synth
from rbm import datasets
from rbm.datapackage.package import read_package

LEDGER_ROWS = 1_000


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def doubled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "x2"
    synth.synthesize(out, 2, LEDGER_ROWS, seed=7)
    return out


def test_same_arguments_write_the_same_bytes(doubled: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    synth.synthesize(again, 2, LEDGER_ROWS, seed=7)
    assert _files(again) == _files(doubled)


def test_the_seed_changes_the_ledger_only(doubled: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    synth.synthesize(other, 2, LEDGER_ROWS, seed=8)
    mine, theirs = _files(doubled), _files(other)
    ledger = f"data/{synth.LEDGER}.csv"
    assert mine[ledger] != theirs[ledger]
    assert {k: v for k, v in mine.items() if k != ledger} == {
        k: v for k, v in theirs.items() if k != ledger
    }


def test_times_one_is_the_embedded_package(tmp_path: Path) -> None:
    source = datasets.embedded(datasets.DEFAULT)
    assert source is not None
    synth.synthesize(tmp_path / "x1", 1)
    assert _files(tmp_path / "x1") == _files(source)


def test_times_two_without_ledger_is_valid_with_every_entity_twice(tmp_path: Path) -> None:
    source = datasets.embedded(datasets.DEFAULT)
    assert source is not None
    synth.synthesize(tmp_path / "x2", 2)
    assert not (tmp_path / "x2" / "data" / f"{synth.LEDGER}.csv").exists()
    validated = read_package(tmp_path / "x2")
    assert validated.report.errors == ()
    assert validated.dataset is not None
    wipo = read_package(source).dataset
    assert wipo is not None
    for name in ("sectors", "results", "indicators", "pies", "indicator_sectors", "transfers"):
        assert len(getattr(validated.dataset, name)) == 2 * len(getattr(wipo, name)), name
    sectors = {s.code for s in validated.dataset.sectors}
    assert {"pt", "pt-2", "un", "un-2"} <= sectors
    assert sum(s.unallocated for s in validated.dataset.sectors) == 1
    # the published figures stay WIPO's
    assert len(validated.dataset.published_figures) == len(wipo.published_figures)


def test_ledger_rows_are_well_formed_and_refer_to_the_package(doubled: Path) -> None:
    data = doubled / "data"
    with (data / f"{synth.LEDGER}.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == list(synth.LEDGER_HEADER)
    rows = _rows(data / f"{synth.LEDGER}.csv")
    assert len(rows) == LEDGER_ROWS
    sectors = {r["code"] for r in _rows(data / "sectors.csv") if r["unallocated"] == "false"}
    results = {r["code"] for r in _rows(data / "results.csv")}
    categories = _rows(data / "cost_categories.csv")
    leaves = {c["code"] for c in categories} - {c["parent"] for c in categories}
    descriptor = json.loads((doubled / "datapackage.json").read_text(encoding="utf-8"))
    biennium = descriptor["rbm"]["biennium"]
    first = date(biennium["start_year"], 1, 1)
    last = date(biennium["end_year"], 12, 31)
    for row in rows:
        assert first <= date.fromisoformat(row["date"]) <= last
        assert row["sector"] in sectors
        assert row["result"] in results | {""}
        assert row["cost_item"] in leaves | {""}
        assert re.fullmatch(r"-?\d+\.\d\d", row["amount"]), row["amount"]
        assert row["currency"] == descriptor["rbm"]["currency"]
        assert re.fullmatch(r"JV-\d{7}-\d{2}", row["reference"])
    assert any(row["amount"].startswith("-") for row in rows)
    assert len({row["reference"][:10] for row in rows}) < len(rows)  # journals of many lines
    assert {r["sector"] for r in rows} & {"pt-2", "bd-2"}
    entry = descriptor["resources"][-1]
    assert entry["name"] == synth.LEDGER
    assert entry["path"] == f"data/{synth.LEDGER}.csv"
    assert [f["name"] for f in entry["schema"]["fields"]] == header


def test_copy_rows_leaves_out_rows_naming_no_copied_entity() -> None:
    header = ["phase", "sector", "result", "amount"]
    rows = [["approved", "pt", "", "1"], ["approved", "", "", "2"], ["approved", "", "1.1", "3"]]
    copied = list(synth.copy_rows(synth.COPIED["budget_facts"], header, rows, 3))
    assert copied == [
        *rows,
        ["approved", "pt-2", "", "1"],
        ["approved", "", "1.1-2", "3"],
        ["approved", "pt-3", "", "1"],
        ["approved", "", "1.1-3", "3"],
    ]


def test_same_folder_twice_gives_the_same_files(tmp_path: Path) -> None:
    synth.synthesize(tmp_path / "a", 3)
    synth.synthesize(tmp_path / "a", 3)  # an existing folder is replaced, not merged
    synth.synthesize(tmp_path / "b", 3)
    assert not filecmp.dircmp(tmp_path / "a", tmp_path / "b").diff_files


def _run(seconds: float, code: int = 0, load: float = 1.0) -> measure.Run:
    return measure.Run(seconds, seconds, 100.0, load, code)


def test_median_and_the_figures_of_repeated_runs() -> None:
    assert measure.median([]) is None
    assert measure.median([3.0, 1.0, 2.0]) == 2.0
    figures = measure.Figures("load sqlite", "1,000 rows", 1000, rows=1000)
    figures.runs = [_run(4.0), _run(2.0), _run(9.0, code=1)]
    figures.baseline = "COPY"
    figures.baseline_runs = [_run(0.5), _run(1.5)]
    assert figures.seconds == 3.0  # the failed run is left out
    assert figures.rows_per_s == pytest.approx(1000 / 3)
    assert figures.ratio == pytest.approx(3.0)


def test_markdown_table_has_one_row_a_step_and_marks_failures() -> None:
    ok = measure.Figures("validate", "×1", 1, runs=[_run(1.234)])
    failed = measure.Figures("load postgresql", "×1", 1, runs=[_run(2.0, code=1)], note="no server")
    lines = measure.markdown_table([ok, failed]).splitlines()
    assert lines[0].startswith("| step | size | median s |")
    assert lines[1].count("---:") == 5
    assert lines[2].split(" | ")[:3] == ["| validate", "×1", "1.23"]
    assert "no server" in lines[3]
    assert len(lines) == 4


def test_job_figures_and_size_lists() -> None:
    assert measure.job_figures('noise\nBENCH {"seconds": 0.5, "groups": 3}\n') == {
        "seconds": 0.5,
        "groups": 3,
    }
    assert measure.job_figures("no figures") == {}
    assert run.parse_list("1,10,1e6") == [1, 10, 1_000_000]


def test_plot_points_draw_a_shared_baseline_once_a_size() -> None:
    def rollup(step: str) -> measure.Figures:
        figures = measure.Figures(step, "1,000 rows", 1000, 1000, runs=[_run(0.5)])
        figures.baseline, figures.baseline_runs = "DuckDB", [_run(0.1)]
        return figures

    web = measure.Figures("web p95 / sqlite", "WIPO ×1", 1, runs=[_run(0.1)])
    points = plot.points([rollup("rollup sqlite"), rollup("rollup postgresql"), web])
    assert [p["step"] for p in points] == ["rollup sqlite", "baseline: DuckDB", "rollup postgresql"]
    assert {p["axis"] for p in points} == {"ledger rows"}
