"""The rating reads the package's settings: its methodology and its vocabulary of marks."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from types import MappingProxyType

from rbm.datapackage.package import read_package
from rbm.datapackage.rules import mark_errors
from rbm.domain.dataset import Dataset
from rbm.domain.enums import Rating, TargetKind
from rbm.domain.settings import Settings
from rbm.engine.rating.assess import assess_dataset, assess_pie
from rbm.engine.rating.marks import agrees, mark_label, mark_text, meaning
from rbm.engine.rating.methodology import (
    Methodology,
    NotComparable,
    PerYear,
    ThresholdBasis,
    methodology_of,
)
from rbm.engine.rating.report import rating_report
from rbm.engine.rating.totals import agreement
from tests.conftest import ROOT
from tests.engine.rating.pies import pie

F, P, N, X, D = (
    Rating.FULLY,
    Rating.PARTIALLY,
    Rating.NOT_ACHIEVED,
    Rating.NOT_ASSESSABLE,
    Rating.DISCONTINUED,
)
MARKS = MappingProxyType({"○": frozenset({F, P}), "×": frozenset({N})})


def test_no_rating_settings_give_the_default_methodology() -> None:
    assert methodology_of(Settings()) == Methodology()


def test_every_rating_setting_is_read() -> None:
    rating = {
        "fully_at": Decimal(95),
        "partially_at": Decimal("62.5"),
        "places": None,
        "threshold_basis": "progress",
        "per_year": "mean",
        "not_comparable": "ignore",
    }
    assert methodology_of(Settings(rating=rating)) == Methodology(
        fully_at=Decimal(95),
        partially_at=Decimal("62.5"),
        places=None,
        threshold_basis=ThresholdBasis.PROGRESS,
        per_year=PerYear.MEAN,
        not_comparable=NotComparable.IGNORE,
    )
    # a key left out keeps its default; places 2 is not the default 0
    partial = methodology_of(Settings(rating={"places": 2}))
    assert partial == replace(Methodology(), places=2)


def test_the_packages_methodologies(wipo: Dataset) -> None:
    assert methodology_of(wipo.biennium.settings) == Methodology(
        Decimal(100), Decimal(60), 0, ThresholdBasis.RATIO, PerYear.MINIMUM
    )
    northwind = read_package(ROOT / "examples" / "northwind-2026-28").dataset
    assert northwind is not None
    assert methodology_of(northwind.biennium.settings).partially_at == 75
    report = rating_report(northwind)
    assert report.methodology.partially_at == 75  # rating_report uses the package's
    assert report.marks == {} and report.agreement.compared == 0


def test_the_packages_bands_rate_the_pies(wipo: Dataset) -> None:
    """With partially_at 75 in the package, a 74% achievement is not achieved."""
    strict = replace(wipo.biennium.settings, rating={"partially_at": Decimal(75)})
    dataset = replace(wipo, biennium=replace(wipo.biennium, settings=strict))
    by_id = {a.pie.id: a.computed for a in rating_report(dataset).assessments}
    assert by_id["4.3-06.1"] == N  # 74.12% of the way (partially with WIPO's 60)
    assert {a.pie.id: a.computed for a in rating_report(wipo).assessments}["4.3-06.1"] == P
    # a methodology given in code overrides the package's
    given = rating_report(dataset, Methodology())
    assert {a.pie.id: a.computed for a in given.assessments}["4.3-06.1"] == P


def test_a_mark_means_what_the_vocabulary_says() -> None:
    assert meaning("○", MARKS) == (F, P)
    assert agrees(P, "○", MARKS) and not agrees(N, "○", MARKS)
    assert meaning("?", MARKS) == () and not any(agrees(r, "?", MARKS) for r in Rating)
    assert mark_text("\uf070") == "U+F070" and mark_text("⚫") == "⚫"
    assert mark_label("○", MARKS, "en") == "○ fully achieved; partially achieved"
    assert mark_label("×", MARKS, "zh") == "× 未实现"
    assert mark_label("?", MARKS, "en") == "? value not allowed"


def test_agreement_uses_the_vocabulary() -> None:
    base = pie(TargetKind.AT_LEAST, {"threshold": 10}, actual=7)  # 70%: partially
    marked = {m: assess_pie(replace(base, published_mark=m), marks=MARKS) for m in "○×?"}
    assert {m: a.agrees for m, a in marked.items()} == {"○": True, "×": False, "?": False}
    assert {m: a.mark_defined for m, a in marked.items()} == {"○": True, "×": True, "?": False}
    assert assess_pie(base, marks=MARKS).agrees is None  # no mark: not compared
    # the same mark under another vocabulary means something else
    other = assess_pie(replace(base, published_mark="×"), marks={"×": frozenset({P})})
    assert other.agrees is True
    result = agreement([*marked.values(), assess_pie(base)], MARKS)
    assert (result.compared, result.agree, result.unmarked) == (3, 1, 1)
    assert list(result.matrix) == ["○", "×", "?"]  # the vocabulary's order, then the rest
    assert result.matrix["?"][P] == 1
    assert result.undefined == ("?",)
    assert result.disagreements == (base.id, base.id)


def test_wipos_vocabulary(wipo: Dataset) -> None:
    marks = wipo.biennium.settings.marks
    assert marks == {
        "⚫": frozenset({F, P, X}),
        "\uf070": frozenset({N}),
        "⧫": frozenset({D}),
    }
    assessed = assess_dataset(wipo)
    assert all(a.mark_defined for a in assessed if a.pie.published_mark is not None)
    assert list(mark_errors(wipo, _lines(wipo), {"pies": "data/pies.csv"})) == []


def test_a_mark_the_vocabulary_does_not_define_is_a_data_error(wipo: Dataset) -> None:
    marks = {k: v for k, v in wipo.biennium.settings.marks.items() if k != "⧫"}
    settings = replace(wipo.biennium.settings, marks=marks)
    pies = (replace(wipo.pies[0], published_mark="⧫"), *wipo.pies[1:])
    dataset = replace(wipo, biennium=replace(wipo.biennium, settings=settings), pies=pies)
    errors = list(mark_errors(dataset, _lines(dataset), {"pies": "data/pies.csv"}))
    assert [(e.type, e.file, e.row, e.column, e.value) for e in errors] == [
        ("enum-error", "data/pies.csv", 2, "published_mark", "⧫")
    ]
    assert errors[0].expected("en") == "one of: ⚫, U+F070 (rbm.marks)"
    report = rating_report(dataset)
    assert report.agreement.undefined == ("⧫",)
    assert wipo.pies[0].id in report.agreement.disagreements


def test_northwind_prints_no_marks() -> None:
    dataset = read_package(ROOT / "examples" / "northwind-2026-28").dataset
    assert dataset is not None
    assert dataset.biennium.settings.marks == {}
    assert list(mark_errors(dataset, _lines(dataset), {"pies": "pies.csv"})) == []


def _lines(dataset: Dataset) -> dict[str, list[int]]:
    return {"pies": [i + 2 for i in range(len(dataset.pies))]}
