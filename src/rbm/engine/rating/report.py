"""The rating report of a biennium: every PIE assessed, the totals beside the published ones,
the agreement with the published marks and the risk summary; one view model for the
command line's table and its JSON. The methodology and the vocabulary of marks are the
package's settings unless a methodology is given."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rbm.domain.dataset import Dataset
from rbm.domain.enums import Rating
from rbm.domain.money import round_half_up
from rbm.domain.text import Lang
from rbm.engine.rating.assess import Assessment, assess_dataset
from rbm.engine.rating.marks import Marks, meaning
from rbm.engine.rating.methodology import Methodology, methodology_of
from rbm.engine.rating.risks import RiskSummary, summarize_risks
from rbm.engine.rating.totals import (
    Agreement,
    PublishedComparison,
    Totals,
    agreement,
    compare_published,
    count_totals,
)


@dataclass(frozen=True)
class RatingReport:
    biennium: str
    methodology: Methodology
    assessments: tuple[Assessment, ...]
    totals: Totals  # of the final ratings
    computed: dict[Rating, int]  # the computed ratings alone
    published: tuple[PublishedComparison, ...]
    agreement: Agreement
    risks: RiskSummary
    marks: Marks  # the package's vocabulary of published marks

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        return {
            "biennium": self.biennium,
            "methodology": self.methodology.to_dict(),
            "pies": [pie_dict(a, lang) for a in self.assessments],
            "totals": {
                "pies": self.totals.pies,
                "indicators": self.totals.indicators,
                "by_rating": _ratings(self.totals.by_rating),
                "computed_by_rating": _ratings(self.computed),
                "by_pillar": _grouped(self.totals.by_pillar),
                "by_result": _grouped(self.totals.by_result),
                "by_sector": _grouped(self.totals.by_sector),
                "published": [
                    {
                        "measure": p.measure,
                        "note": p.note,
                        "published": _plain(p.published),
                        "computed": p.computed,
                        "difference": _plain(p.difference),
                        "figure": p.figure,
                        "source": p.source,
                    }
                    for p in self.published
                ],
                "agreement": {
                    "compared": self.agreement.compared,
                    "agree": self.agreement.agree,
                    "disagree": self.agreement.disagree,
                    "unmarked": self.agreement.unmarked,
                    "marks": {
                        mark: [r.value for r in meaning(mark, self.marks)] for mark in self.marks
                    },
                    "matrix": {mark: _ratings(row) for mark, row in self.agreement.matrix.items()},
                    "undefined": list(self.agreement.undefined),
                    "disagreements": list(self.agreement.disagreements),
                },
            },
            "risks": self.risks.to_dict(),
        }


def rating_report(dataset: Dataset, methodology: Methodology | None = None) -> RatingReport:
    """The report with `methodology`, or the package's (`methodology_of`) when none is given."""
    settings = dataset.biennium.settings
    m = methodology or methodology_of(settings)
    assessed = assess_dataset(dataset, m)
    sectors = [s.code for s in sorted(dataset.sectors, key=lambda s: s.order)]
    results = [r.code for r in sorted(dataset.results, key=lambda r: r.order)]
    final = count_totals(assessed, sectors)
    return RatingReport(
        biennium=dataset.biennium.code,
        methodology=m,
        assessments=assessed,
        totals=final,
        computed=count_totals(assessed, sectors, computed=True).by_rating,
        published=compare_published(dataset.published_figures, final),
        agreement=agreement(assessed, settings.marks),
        risks=summarize_risks(dataset.risks, sectors, results),
        marks=settings.marks,
    )


def achievement_text(value: Decimal | None, places: int = 2) -> str | None:
    return None if value is None else _plain(round_half_up(value, places))


def pie_dict(a: Assessment, lang: Lang) -> dict[str, Any]:
    pie = a.pie
    return {
        "id": pie.id,
        "indicator_id": pie.indicator,
        "expected_result": a.result,
        "pillar": a.pillar,
        "sectors": list(a.sectors),
        "segment": pie.segment.get(lang),
        "baseline": {
            "text": pie.baseline_text.get(lang) or None,
            "value": _number(pie.baseline_value),
            "unit": pie.baseline_unit,
            "period": pie.baseline_period,
        },
        "target": {
            "text": pie.target_text.get(lang),
            "kind": pie.target_kind.value,
            "params": pie.target_params,
            "value": _number(a.achievement.target),
        },
        "actual": {
            "text": pie.actual_text.get(lang) or None,
            "value": _number(pie.actual_value),
            "unit": pie.actual_unit,
            "period": pie.actual_period,
            "flags": pie.actual_flags,
        },
        "achievement": achievement_text(a.achievement.percent),
        "not_assessable_reason": a.achievement.reason,
        "computed_rating": a.computed.value,
        "published_mark": pie.published_mark,
        "agrees_with_mark": a.agrees,
        "assessor_rating": pie.assessor_rating.value if pie.assessor_rating else None,
        "assessor_justification": pie.assessor_justification.get(lang) or None,
        "assessor_accepted": a.assessor_accepted,
        "final_rating": a.final.value,
        "explanation": a.explain(lang),
    }


def _number(value: Decimal | None) -> str | None:
    return None if value is None else _plain(round_half_up(value, 6))


def _ratings(counts: dict[Rating, int]) -> dict[str, int]:
    return {rating.value: n for rating, n in counts.items()}


def _grouped(groups: dict[str, dict[Rating, int]]) -> dict[str, dict[str, int]]:
    return {key: _ratings(counts) for key, counts in groups.items()}


def _plain(value: Decimal) -> str:
    """Plain notation without trailing zeros: 214036, -5.9, 0.25."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text
