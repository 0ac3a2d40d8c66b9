"""The text of `rbm assess`: the rated PIEs, the totals beside the published ones, the
agreement with the published marks and the risks, as Rich tables."""

from __future__ import annotations

from rich.table import Table

from rbm.cli.app import out
from rbm.datapackage.errors import DataError
from rbm.domain.dataset import Dataset
from rbm.domain.enums import Rating
from rbm.domain.text import Lang
from rbm.engine.rating.marks import allowed, mark_label, mark_text
from rbm.engine.rating.messages import percent
from rbm.engine.rating.methodology import Methodology
from rbm.engine.rating.report import RatingReport
from rbm.engine.rating.risks import ORGANIZATIONAL, UNASSIGNED, RiskGroup
from rbm.engine.rating.totals import PublishedComparison
from rbm.i18n import t


def _rating(rating: Rating, lang: Lang) -> str:
    return t(f"rating.{rating.value}", lang)


def _mark(mark: str | None, lang: Lang) -> str:
    return t("assess.none", lang) if mark is None else mark_text(mark)


def print_text(report: RatingReport, dataset: Dataset, lang: Lang) -> None:
    b = dataset.biennium
    out.print(
        t(
            "assess.title",
            lang,
            organization=b.organization_name.get(lang),
            biennium=b.label.get(lang),
        )
    )
    out.print(_methodology(report.methodology, lang))
    pies = Table(title=t("assess.pies", lang, count=report.totals.pies))
    # a final rating column only where some final rating is not the computed one (an
    # assessor's, or the report's own where its mark stands for one rating)
    assessed = any(a.final != a.computed for a in report.assessments)
    columns = ["pie", "achievement", "computed", "mark", "agrees"]
    columns += ["final", "explanation"] if assessed else ["explanation"]
    for key in columns:
        pies.add_column(
            t(f"assess.col.{key}", lang),
            justify="right" if key == "achievement" else "left",
            no_wrap=key in ("pie", "achievement"),
            ratio=1 if key == "explanation" else None,
        )
    for a in report.assessments:
        achieved = a.achievement.percent
        agrees = a.agrees
        cells = {
            "pie": a.pie.id,
            "achievement": t("assess.none", lang) if achieved is None else percent(achieved, 0),
            "computed": _rating(a.computed, lang),
            "mark": _mark(a.pie.published_mark, lang),
            "agrees": t("assess.none", lang)
            if agrees is None
            else t("assess.yes" if agrees else "assess.no", lang),
            "final": _rating(a.final, lang),
            "explanation": a.explain(lang),
        }
        pies.add_row(*(cells[key] for key in columns))
    out.print(pies)
    _print_totals(report, dataset, lang)
    _print_agreement(report, lang)
    _print_risks(report, dataset, lang)


def _methodology(m: Methodology, lang: Lang) -> str:
    rounding = (
        t("assess.rounding.exact", lang)
        if m.places is None
        else t("assess.rounding.places", lang, places=m.places)
    )
    return t(
        "assess.methodology",
        lang,
        fully=m.fully_at,
        partially=m.partially_at,
        rounding=rounding,
        basis=t(f"assess.basis.{m.threshold_basis.value}", lang),
        per_year=t(f"rating.aggregate.{m.per_year.value}", lang),
        not_comparable=t(f"assess.not_comparable.{m.not_comparable.value}", lang),
    )


def _print_totals(report: RatingReport, dataset: Dataset, lang: Lang) -> None:
    published = Table(title=t("assess.totals.title", lang))
    for key, justify in (
        ("rating", "left"),
        ("ours", "right"),
        ("published", "right"),
        ("difference", "right"),
        ("source", "left"),
    ):
        published.add_column(t(f"assess.col.{key}", lang), justify=justify)  # type: ignore[arg-type]
    shown = {(p.measure, p.note): p for p in report.published}
    rows: list[tuple[str, int, str, str, str]] = []
    for rating, count in report.totals.by_rating.items():
        p = shown.get(("pie_count", rating.value))
        rows.append((_rating(rating, lang), count, *_published(p, lang)))
    total = shown.get(("pie_count", "total"))
    rows.append((t("assess.total", lang), report.totals.pies, *_published(total, lang)))
    indicators = next((p for p in report.published if p.measure == "indicator_count"), None)
    rows.append(
        (t("assess.indicators", lang), report.totals.indicators, *_published(indicators, lang))
    )
    for label, count, value, difference, source in rows:
        published.add_row(label, str(count), value, difference, source)
    out.print(published)

    names = {
        "pillar": {p.code: p.name.get(lang) for p in dataset.pillars},
        "result": {r.code: f"{r.code} {r.title.get(lang)}" for r in dataset.results},
        "sector": {s.code: s.short.get(lang) for s in dataset.sectors},
    }
    groups = (
        ("pillar", report.totals.by_pillar),
        ("result", report.totals.by_result),
        ("sector", report.totals.by_sector),
    )
    for key, grouped in groups:
        table = Table(title=t(f"assess.by_{key}", lang))
        table.add_column(t(f"assess.col.{key}", lang), overflow="fold")
        for rating in Rating:
            table.add_column(_rating(rating, lang), justify="right")
        table.add_column(t("assess.col.total", lang), justify="right")
        for code, counts in grouped.items():
            label = (
                t("assess.unassigned", lang) if code == UNASSIGNED else names[key].get(code, code)
            )
            table.add_row(label, *(str(counts[r]) for r in Rating), str(sum(counts.values())))
        out.print(table)


def _published(p: PublishedComparison | None, lang: Lang) -> tuple[str, str, str]:
    if p is None:
        none = t("assess.none", lang)
        return (none, none, none)
    return (f"{p.published:,.0f}", f"{p.difference:+,.0f}", p.source)


def _print_agreement(report: RatingReport, lang: Lang) -> None:
    a = report.agreement
    table = Table(title=t("assess.agreement.title", lang))
    table.add_column(t("assess.col.mark", lang))
    for rating in Rating:
        table.add_column(_rating(rating, lang), justify="right")
    for mark, row in a.matrix.items():
        if sum(row.values()):
            table.add_row(mark_label(mark, report.marks, lang), *(str(row[r]) for r in Rating))
    out.print(table)
    out.print(
        t(
            "assess.agreement.summary",
            lang,
            agree=a.agree,
            compared=a.compared,
            disagree=a.disagree,
            unmarked=a.unmarked,
        )
    )
    if a.disagreements:
        out.print(t("assess.agreement.disagreements", lang, ids=", ".join(a.disagreements)))
    for mark in a.undefined:  # not in the package's vocabulary: agrees with no rating
        error = DataError(
            "enum-error", "pies", None, "published_mark", mark, {"allowed": allowed(report.marks)}
        )
        out.print(error.message(lang), highlight=False)


def _print_risks(report: RatingReport, dataset: Dataset, lang: Lang) -> None:
    r = report.risks
    out.print(_risk_line(r.total, lang))
    names = {
        "owner": {s.code: s.short.get(lang) for s in dataset.sectors}
        | {UNASSIGNED: t("assess.unassigned", lang)},
        "result": {x.code: x.code for x in dataset.results}
        | {ORGANIZATIONAL: t("risk.organizational", lang)},
    }
    for key, groups in (("owner", r.by_owner), ("result", r.by_result)):
        table = Table(title=t(f"risk.by_{key}", lang))
        table.add_column(t(f"risk.col.{key}", lang))
        for column in ("risks", "materialized", "stable", "increased", "decreased", "unknown"):
            table.add_column(t(f"risk.col.{column}", lang), justify="right")
        for g in groups:
            table.add_row(
                names[key].get(g.key, g.key),
                str(g.risks),
                str(g.materialized),
                str(g.exposure["stable"]),
                str(g.exposure["increased"]),
                str(g.exposure["decreased"]),
                str(g.exposure["unknown"]),
            )
        out.print(table)


def _risk_line(g: RiskGroup, lang: Lang) -> str:
    return t(
        "risk.summary",
        lang,
        risks=g.risks,
        materialized=g.materialized,
        not_materialized=g.not_materialized,
        unknown=g.materialized_unknown,
        stable=g.exposure["stable"],
        increased=g.exposure["increased"],
        decreased=g.exposure["decreased"],
        exposure_unknown=g.exposure["unknown"],
    )
