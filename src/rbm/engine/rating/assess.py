"""From a PIE to its assessment: computed rating, explanation, assessor and final rating.

- computed rating: from the achievement (`achievement.achieve`) and the methodology's bands;
  not assessable when the achievement cannot be computed, discontinued when the params say so.
- assessor rating: accepted when it comes with a justification (in any language); an assessor rating
  without one is shown but not used.
- final rating: the accepted assessor rating if there is one; else the report's own rating,
  where its published mark stands for one rating only (a mark that stands for several is
  only checked against); else the computed rating.
- agreement: whether the computed rating is one of the ratings the published mark stands for
  in the package's vocabulary of marks (`settings.marks`, see `marks`); a mark the
  vocabulary does not define agrees with nothing.
- methodology: the package's (`methodology_of(settings)`) unless one is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

from rbm.domain.dataset import Dataset
from rbm.domain.enums import AssessorBasis, FootnoteKind, FootnoteScope, Rating
from rbm.domain.framework import Footnote, Pie
from rbm.domain.text import Lang
from rbm.engine.rating.achievement import Achievement, achieve
from rbm.engine.rating.marks import Marks, meaning
from rbm.engine.rating.messages import Message
from rbm.engine.rating.methodology import Methodology, methodology_of, rate
from rbm.engine.rating.reading import reading

UNASSIGNED = "unassigned"
NO_MARKS: Marks = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Assessment:
    """One PIE, rated; `pillar`, `result` and `sectors` place it in the framework."""

    pie: Pie
    result: str | None
    pillar: str | None
    sectors: tuple[str, ...]  # contributing sectors of its indicator; () when none is linked
    achievement: Achievement
    computed: Rating
    assessor_accepted: bool
    final: Rating
    mark_means: tuple[Rating, ...] = ()  # what the published mark stands for; () if undefined

    @property
    def agrees(self) -> bool | None:
        """Whether the computed rating fits the published mark; None when none is printed."""
        return None if self.pie.published_mark is None else self.computed in self.mark_means

    @property
    def mark_defined(self) -> bool | None:
        """Whether the package's vocabulary defines the published mark; None without a mark."""
        return None if self.pie.published_mark is None else bool(self.mark_means)

    @property
    def published(self) -> Rating | None:
        """The report's own rating: its mark, where the mark stands for one rating only."""
        return self.mark_means[0] if len(self.mark_means) == 1 else None

    @property
    def explanation(self) -> Message:
        rated = Message.of(
            "rating.explain.rated",
            detail=self.achievement.detail,
            rating=rating_label(self.computed),
        )
        assessor = self.pie.assessor_rating
        if assessor is None:
            if self.published is None:
                return rated
            return Message.of(
                "rating.explain.published", explanation=rated, rating=rating_label(self.final)
            )
        if not self.assessor_accepted:
            return Message.of(
                "rating.explain.assessor_ignored", explanation=rated, rating=rating_label(assessor)
            )
        return Message.of(
            "rating.explain.assessor",
            explanation=rated,
            rating=rating_label(assessor),
            justification=self.pie.assessor_justification,
        )

    def explain(self, lang: Lang) -> str:
        return self.explanation.text(lang)

    @property
    def reading(self) -> Message:
        """The explanation as a reader reads it: what was measured against what, the final
        rating, and, where that is not the computed one, why."""
        detail = reading(self.achievement.detail)
        final = rating_label(self.final)
        if self.assessor_accepted:
            basis = self.pie.assessor_basis or AssessorBasis.REVIEW
            # a milestone has nothing measured: the assessor's reasons are the whole story
            alone = self.achievement.reason == "milestone"
            return Message.of(
                f"rating.read.{basis.value}{'_alone' if alone else ''}",
                detail=detail,
                rating=final,
                justification=self.pie.assessor_justification,
            )
        if self.final != self.computed:
            return Message.of(
                "rating.read.differs",
                detail=detail,
                computed=rating_label(self.computed),
                rating=final,
            )
        return Message.of("rating.read.rated", detail=detail, rating=final)


def rating_label(rating: Rating) -> Message:
    return Message.of(f"rating.{rating.value}")


def _justification(pie: Pie) -> str:
    return pie.assessor_justification.first


def computed_rating(achievement: Achievement, methodology: Methodology) -> Rating:
    if achievement.reason == "discontinued":
        return Rating.DISCONTINUED
    if achievement.percent is None:
        return Rating.NOT_ASSESSABLE
    return rate(achievement.percent, methodology)


def assess_pie(
    pie: Pie,
    methodology: Methodology | None = None,
    *,
    result: str | None = None,
    pillar: str | None = None,
    sectors: tuple[str, ...] = (),
    not_comparable: Footnote | None = None,
    marks: Marks = NO_MARKS,
) -> Assessment:
    """Rate one PIE; the keyword arguments place it in the framework and give the package's
    vocabulary of published marks (see `assess_dataset`)."""
    m = methodology or Methodology()
    achievement = achieve(pie, m, not_comparable)
    computed = computed_rating(achievement, m)
    accepted = pie.assessor_rating is not None and bool(_justification(pie).strip())
    means = () if pie.published_mark is None else meaning(pie.published_mark, marks)
    published = means[0] if len(means) == 1 else None
    if accepted and pie.assessor_rating is not None:
        final = pie.assessor_rating
    else:
        final = published or computed
    return Assessment(pie, result, pillar, sectors, achievement, computed, accepted, final, means)


def assess_dataset(
    dataset: Dataset, methodology: Methodology | None = None
) -> tuple[Assessment, ...]:
    """Every PIE of the dataset, rated, in framework order (result, indicator, PIE); the
    methodology is the package's unless one is given."""
    settings = dataset.biennium.settings
    m = methodology or methodology_of(settings)
    indicators = {i.id: i for i in dataset.indicators}
    results = {r.code: r for r in dataset.results}
    sector_order = {s.code: s.order for s in dataset.sectors}
    sectors: dict[str, list[str]] = {}
    for link in dataset.indicator_sectors:
        sectors.setdefault(link.indicator, []).append(link.sector)
    caveats = _not_comparable(dataset.footnotes)

    def order(pie: Pie) -> tuple[int, str, int, int, str]:
        indicator = indicators.get(pie.indicator)
        result = results.get(indicator.result) if indicator else None
        return (
            result.order if result else 1 << 30,
            indicator.result if indicator else "",
            indicator.order if indicator else 1 << 30,
            pie.order,
            pie.id,
        )

    assessed = []
    for pie in sorted(dataset.pies, key=order):
        indicator = indicators.get(pie.indicator)
        result = results.get(indicator.result) if indicator else None
        linked = sorted(set(sectors.get(pie.indicator, ())), key=lambda s: sector_order.get(s, 0))
        assessed.append(
            assess_pie(
                pie,
                m,
                result=result.code if result else None,
                pillar=result.pillar if result else None,
                sectors=tuple(linked),
                not_comparable=caveats.get((FootnoteScope.PIE, pie.id))
                or caveats.get((FootnoteScope.INDICATOR, pie.indicator)),
                marks=settings.marks,
            )
        )
    return tuple(assessed)


def _not_comparable(footnotes: Iterable[Footnote]) -> dict[tuple[FootnoteScope, str], Footnote]:
    """Not-comparable footnotes by the PIE or indicator they are attached to."""
    scopes = (FootnoteScope.PIE, FootnoteScope.INDICATOR)
    return {
        (f.scope, f.ref): f
        for f in footnotes
        if f.kind == FootnoteKind.NOT_COMPARABLE and f.scope in scopes
    }
