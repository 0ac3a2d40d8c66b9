"""Totals of assessed PIEs (by rating, pillar, result, sector), their agreement with the
published marks, and our totals beside the totals the source publishes.

A PIE counts once in each sector its indicator is linked to (through `indicator_sectors`), so
the sector totals add up to more than the PIEs when indicators are shared; a PIE whose
indicator has no sector link counts under `unassigned`.

The published totals are data (`published_figures` rows with measure `pie_count`, note a
rating or `total`; measure `indicator_count`), never constants in code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rbm.domain.enums import Rating
from rbm.domain.finance import PublishedFigure
from rbm.engine.rating.assess import UNASSIGNED, Assessment

PIE_COUNT = "pie_count"
INDICATOR_COUNT = "indicator_count"
TOTAL = "total"


def tally(ratings: Iterable[Rating]) -> dict[Rating, int]:
    """Counts per rating, every rating present (in the order of the enum)."""
    counts = dict.fromkeys(Rating, 0)
    for rating in ratings:
        counts[rating] += 1
    return counts


@dataclass(frozen=True)
class Totals:
    pies: int
    indicators: int
    by_rating: dict[Rating, int]
    by_pillar: dict[str, dict[Rating, int]]
    by_result: dict[str, dict[Rating, int]]
    by_sector: dict[str, dict[Rating, int]]


def count_totals(
    assessments: Sequence[Assessment], sectors: Sequence[str] = (), *, computed: bool = False
) -> Totals:
    """Totals of the final ratings (the computed ones with `computed=True`); `sectors` gives the
    order of the sector rows (sectors without PIEs are left out), `unassigned` comes last."""

    def rating(a: Assessment) -> Rating:
        return a.computed if computed else a.final

    def group(keys: Iterable[tuple[str, Rating]]) -> dict[str, dict[Rating, int]]:
        grouped: dict[str, list[Rating]] = {}
        for key, value in keys:
            grouped.setdefault(key, []).append(value)
        return {key: tally(values) for key, values in grouped.items()}

    by_sector = group(
        (sector, rating(a)) for a in assessments for sector in (a.sectors or (UNASSIGNED,))
    )
    order = {code: i for i, code in enumerate((*sectors, UNASSIGNED))}
    return Totals(
        pies=len(assessments),
        indicators=len({a.pie.indicator for a in assessments}),
        by_rating=tally(rating(a) for a in assessments),
        by_pillar=group((a.pillar or UNASSIGNED, rating(a)) for a in assessments),
        by_result=group((a.result or UNASSIGNED, rating(a)) for a in assessments),
        by_sector=dict(sorted(by_sector.items(), key=lambda kv: order.get(kv[0], len(order)))),
    )


@dataclass(frozen=True)
class Agreement:
    """Computed ratings against the published marks, in the package's vocabulary of marks."""

    compared: int  # PIEs with a mark
    agree: int
    unmarked: int  # PIEs without a mark: not compared
    matrix: dict[str, dict[Rating, int]]  # mark → computed rating → PIEs
    disagreements: tuple[str, ...]  # PIE ids
    undefined: tuple[str, ...] = ()  # marks the vocabulary does not define (they agree with none)

    @property
    def disagree(self) -> int:
        return self.compared - self.agree


def agreement(assessments: Iterable[Assessment], marks: Iterable[str] = ()) -> Agreement:
    """The agreement of each marked PIE; the matrix has a row for each mark of the vocabulary
    (`marks`, in its order) and then for each undefined mark found, in order of appearance."""
    matrix = {mark: dict.fromkeys(Rating, 0) for mark in marks}
    compared = agree = unmarked = 0
    disagreements, undefined = [], []
    for a in assessments:
        mark = a.pie.published_mark
        if mark is None:
            unmarked += 1
            continue
        compared += 1
        if not a.mark_defined and mark not in undefined:
            undefined.append(mark)
        matrix.setdefault(mark, dict.fromkeys(Rating, 0))[a.computed] += 1
        if a.agrees:
            agree += 1
        else:
            disagreements.append(a.pie.id)
    return Agreement(compared, agree, unmarked, matrix, tuple(disagreements), tuple(undefined))


@dataclass(frozen=True)
class PublishedComparison:
    """One published total beside ours."""

    measure: str  # pie_count or indicator_count
    note: str  # a rating value, or total
    published: Decimal
    computed: int
    figure: str  # the published figure's id
    source: str

    @property
    def difference(self) -> Decimal:
        return self.computed - self.published


def compare_published(
    figures: Iterable[PublishedFigure], totals: Totals
) -> tuple[PublishedComparison, ...]:
    """The published PIE and indicator counts (if the dataset has them) beside ours, in the
    order ratings…, total, indicators."""
    ratings = {r.value: r for r in Rating}
    rows: list[tuple[int, PublishedComparison]] = []
    for f in figures:
        note = (f.note or "").strip()
        if f.measure == PIE_COUNT and note in ratings:
            computed, rank = totals.by_rating[ratings[note]], list(ratings).index(note)
        elif f.measure == PIE_COUNT and note == TOTAL:
            computed, rank = totals.pies, len(ratings)
        elif f.measure == INDICATOR_COUNT:
            computed, rank = totals.indicators, len(ratings) + 1
        else:
            continue
        rows.append((rank, PublishedComparison(f.measure, note, f.value, computed, f.id, f.source)))
    return tuple(row for _, row in sorted(rows, key=lambda r: (r[0], r[1].figure)))
