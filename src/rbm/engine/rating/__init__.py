"""Indicator achievement and rating (Appendix A), and the risk summaries.

    methodology   the settings: rating bands, rounding, threshold basis, per-year aggregate;
                  `methodology_of` reads them from the package's settings
    marks         the package's vocabulary of published marks: what each stands for
    achievement   one formula per target kind: PIE → percent of target, or why not assessable
    assess        PIE → assessment (computed, assessor and final rating, explanation)
    totals        totals by rating, pillar, result and sector; agreement with the published
                  marks; our totals beside the published ones
    risks         materialized risks and exposure trends, by owner sector and by result
    report        all of the above for one dataset: the view model of `rbm assess`
    messages      explanations as catalogue keys with parameters (zh and en)

Every function here is pure: domain objects in, values out; nothing raises on bad data.
"""

from rbm.engine.rating.achievement import Achievement, achieve
from rbm.engine.rating.assess import Assessment, assess_dataset, assess_pie
from rbm.engine.rating.methodology import (
    Methodology,
    NotComparable,
    PerYear,
    ThresholdBasis,
    methodology_of,
    rate,
)
from rbm.engine.rating.report import RatingReport, rating_report
from rbm.engine.rating.risks import RiskSummary, summarize_risks
from rbm.engine.rating.totals import (
    Agreement,
    Totals,
    agreement,
    compare_published,
    count_totals,
)

__all__ = [
    "Achievement",
    "Agreement",
    "Assessment",
    "Methodology",
    "NotComparable",
    "PerYear",
    "RatingReport",
    "RiskSummary",
    "ThresholdBasis",
    "Totals",
    "achieve",
    "agreement",
    "assess_dataset",
    "assess_pie",
    "compare_published",
    "count_totals",
    "methodology_of",
    "rate",
    "rating_report",
    "summarize_risks",
]
