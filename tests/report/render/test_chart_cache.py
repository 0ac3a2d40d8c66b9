"""Each chart is drawn once per specification and data: drawings kept on disk, written
atomically, shared by builds and processes, bounded in size, and never required."""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import vl_convert

from rbm.domain.text import Text
from rbm.report.model import ChartView, Column, Row, TableView
from rbm.report.render import chart_cache, charts

LOCALE = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]}


def _chart(value: int = 3, ident: str = "c") -> ChartView:
    rows = (
        Row(Text.of(zh="甲", en="A"), (Decimal(value),)),
        Row(Text.of(zh="乙", en="B"), (Decimal(2),)),
    )
    table = TableView(
        ident,
        Text.plain("T"),
        Text.plain("n"),
        Text.plain(""),
        (Column(Text.plain("n")),),
        rows,
        "",
    )
    return ChartView(ident, Text.plain("Title"), Text.plain("Description"), "bar", table)


def _files(where: Path, pattern: str = "*.svg") -> list[Path]:
    return sorted(where.rglob(pattern))


@pytest.fixture
def drawings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The specifications vl-convert is asked to draw (a stand-in drawing each one), and
    empty memory caches before and after."""
    asked: list[dict[str, Any]] = []

    def fake(spec: dict[str, Any], **_: Any) -> str:
        asked.append(spec)
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{len(asked)}"><g/></svg>'

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", fake)
    charts._svg.cache_clear()
    charts._DRAWN.clear()
    yield asked
    charts._svg.cache_clear()
    charts._DRAWN.clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "charts"
    monkeypatch.setenv(chart_cache.ENV, str(where))
    return where


def test_a_chart_is_drawn_once_and_read_back(cache: Path, drawings: list[dict[str, Any]]) -> None:
    chart = _chart()
    first = charts.svg(chart, "en")
    assert len(drawings) == 1
    [kept] = _files(cache)
    assert kept.parent.name == kept.stem[:2] and len(kept.stem) == 64
    charts._svg.cache_clear()  # as a new process would: only the disk remembers
    assert charts.svg(chart, "en") == first
    assert len(drawings) == 1
    assert first.startswith('<svg role="img" aria-labelledby="fig-c-title fig-c-desc"')


def test_the_kept_drawing_is_the_converters_own(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the real converter: what is read back is byte for byte what it drew."""
    spec = charts.vega_lite(_chart(), "en")
    fresh = chart_cache.drawn(spec, LOCALE)
    calls: list[object] = []
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: calls.append(a))
    assert chart_cache.drawn(spec, LOCALE) == fresh
    assert not calls
    assert fresh.startswith("<svg") and fresh.rstrip().endswith("</svg>")


def test_the_key_changes_with_the_spec_the_locale_and_the_converter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = charts.vega_lite(_chart(3), "en")
    same = charts.vega_lite(_chart(3), "en")
    key = chart_cache.key(spec, LOCALE)
    assert chart_cache.key(same, dict(reversed(LOCALE.items()))) == key  # canonical JSON
    assert chart_cache.key(charts.vega_lite(_chart(4), "en"), LOCALE) != key
    assert chart_cache.key(charts.vega_lite(_chart(3), "zh"), LOCALE) != key
    assert chart_cache.key(spec, {**LOCALE, "decimal": ","}) != key
    monkeypatch.setattr(chart_cache, "converter", lambda: "0.0.0")
    assert chart_cache.key(spec, LOCALE) != key


def test_title_and_description_are_added_after_the_cache(
    cache: Path, drawings: list[dict[str, Any]]
) -> None:
    """Two charts that differ only in their names share a drawing, each with its own
    title and ids."""
    one, other = _chart(ident="one"), _chart(ident="other")
    assert 'id="fig-one-title"' in charts.svg(one, "en")
    assert 'id="fig-other-title"' in charts.svg(other, "en")
    assert len(drawings) == 1 and len(_files(cache)) == 1


@pytest.mark.parametrize("value", ["off", "OFF", "", " "])
def test_the_cache_is_off_by_env(
    value: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    drawings: list[dict[str, Any]],
) -> None:
    monkeypatch.setenv(chart_cache.ENV, value)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert chart_cache.directory() is None
    charts.svg(_chart(), "en")
    charts._svg.cache_clear()
    charts.svg(_chart(), "en")
    assert len(drawings) == 2
    assert not list(tmp_path.rglob("*"))


def test_the_default_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(chart_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert chart_cache.directory() == tmp_path / "xdg" / "rbm" / "charts"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert chart_cache.directory() == tmp_path / ".cache" / "rbm" / "charts"


def test_an_unwritable_directory_only_means_drawing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drawings: list[dict[str, Any]]
) -> None:
    """A file where the directory should be (read-only homes fail the same way, but root
    writes anywhere): no error, the chart drawn each time it is asked for."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(chart_cache.ENV, str(blocker / "charts"))
    chart = _chart()
    first = charts.svg(chart, "en")
    charts._svg.cache_clear()
    assert charts.svg(chart, "en").startswith('<svg role="img"')
    charts.draw_all([chart], ["zh", "en"])
    assert len(drawings) == 4
    assert first.startswith('<svg role="img"')
    assert not chart_cache.write(blocker / "charts", "ab" * 32, "<svg></svg>")


def test_writes_are_atomic_and_leave_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "cd" * 32
    assert chart_cache.write(tmp_path, name, "<svg>one</svg>")
    assert chart_cache.write(tmp_path, name, "<svg>two</svg>")  # a second writer
    assert chart_cache.read(tmp_path, name) == "<svg>two</svg>"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{name}.svg"]

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    assert not chart_cache.write(tmp_path, "ef" * 32, "<svg>three</svg>")
    assert chart_cache.read(tmp_path, "ef" * 32) is None
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{name}.svg"]


def test_a_file_that_is_not_a_whole_drawing_is_drawn_again(
    cache: Path, drawings: list[dict[str, Any]]
) -> None:
    chart = _chart()
    charts.svg(chart, "en")
    [kept] = _files(cache)
    kept.write_text("<svg><g", encoding="utf-8")
    charts._svg.cache_clear()
    assert charts.svg(chart, "en").rstrip().endswith("</svg>")
    assert len(drawings) == 2


def test_eviction_removes_the_least_recently_used_above_the_cap(tmp_path: Path) -> None:
    names = [f"{i:02x}" * 32 for i in range(5)]
    for age, name in enumerate(names):  # names[0] the newest
        assert chart_cache.write(tmp_path, name, "<svg>" + "x" * 994 + "</svg>")
        stamp = 1_000_000 - 1000 * age
        os.utime(chart_cache.path(tmp_path, name), (stamp, stamp))
    assert chart_cache.read(tmp_path, names[4]) is not None  # the oldest, just used
    stale = tmp_path / "00" / ".dead.tmp"
    stale.write_text("half")
    os.utime(stale, (1, 1))
    assert chart_cache.evict(tmp_path, 5 * 1005) == 0  # under the cap: nothing removed
    assert chart_cache.evict(tmp_path, 3 * 1005) == 2
    left = {p.stem for p in _files(tmp_path)}
    assert left == {names[0], names[1], names[4]}
    assert not stale.exists()


def test_the_cap_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(chart_cache.ENV_LIMIT, "1.5")
    assert chart_cache.limit() == 1536 * 1024
    monkeypatch.setenv(chart_cache.ENV_LIMIT, "lots")
    assert chart_cache.limit() == chart_cache.DEFAULT_LIMIT_MB * 1024 * 1024


def test_draw_all_draws_only_what_is_missing_and_starts_no_pool_when_warm(
    cache: Path, drawings: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = _chart(3, "old"), _chart(5, "new")
    charts.svg(old, "zh")
    charts.svg(old, "en")
    assert len(drawings) == 2

    def no_pool(workers: int) -> object:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(charts, "chart_pool", no_pool)
    charts._svg.cache_clear()
    charts.draw_all([old, new, old], ["zh", "en"], separate=False)
    assert len(drawings) == 4  # the new chart in each language, the old one read back
    charts.draw_all([old, new], ["zh", "en"], separate=True)
    assert len(drawings) == 4  # all kept: even a server's build starts no worker
    assert set(charts._DRAWN) == {(c, lang) for c in (old, new) for lang in ("zh", "en")}
    assert 'id="fig-new-title"' in charts.svg(new, "zh")


def test_draw_all_evicts_once_when_it_drew(
    cache: Path, drawings: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    evicted: list[int] = []
    monkeypatch.setattr(chart_cache, "evict", lambda where, cap: evicted.append(cap) or 0)
    monkeypatch.setenv(chart_cache.ENV_LIMIT, "1")
    charts.draw_all([_chart(3, "a"), _chart(4, "b")], ["zh", "en"])
    assert evicted == [1024 * 1024]
    charts.draw_all([_chart(3, "a"), _chart(4, "b")], ["zh", "en"])
    assert evicted == [1024 * 1024]  # a warm build does not scan the directory
