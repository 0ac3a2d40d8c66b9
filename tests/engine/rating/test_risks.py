"""Risk summaries: materialized, exposure trend, by owner sector and by result."""

from __future__ import annotations

from rbm.domain.enums import Effectiveness, Exposure, RiskKind
from rbm.domain.risks import Risk
from rbm.domain.text import Text
from rbm.engine.rating.risks import summarize_risks


def risk(
    id: str,
    result: str | None,
    owner: str | None,
    materialized: bool | None,
    exposure: Exposure | None,
) -> Risk:
    kind = RiskKind.RESULT if result else RiskKind.ORGANIZATIONAL
    return Risk(
        id, kind, result, owner, 1, Text.of(zh="r"), Text.of(zh="m"), materialized, exposure,
        Effectiveness.EFFECTIVE, None, None, "S",
    )  # fmt: skip


RISKS = (
    risk("OR-1", None, None, True, Exposure.INCREASED),
    risk("R-4.1-1", "4.1", "rnd", True, None),
    risk("R-3.1-1", "3.1", "pt", False, Exposure.STABLE),
    risk("R-3.1-2", "3.1", "bd", None, Exposure.DECREASED),
    risk("R-5.2-2", "5.2", "pt", False, Exposure.INCREASED),
)


def test_totals() -> None:
    summary = summarize_risks(RISKS)
    total = summary.total
    assert (total.risks, total.materialized, total.not_materialized) == (5, 2, 2)
    assert total.materialized_unknown == 1  # never guessed
    assert total.exposure == {"stable": 1, "increased": 2, "decreased": 1, "unknown": 1}
    assert summary.materialized == ("R-4.1-1", "OR-1")
    assert summary.increased == ("R-5.2-2", "OR-1")
    assert [(g.key, g.risks) for g in summary.by_kind] == [("result", 4), ("organizational", 1)]


def test_by_owner_and_by_result_follow_the_given_order() -> None:
    summary = summarize_risks(RISKS, sectors=["pt", "bd", "rnd"], results=["3.1", "4.1", "5.2"])
    assert [(g.key, g.risks, g.materialized) for g in summary.by_owner] == [
        ("pt", 2, 0),
        ("bd", 1, 0),
        ("rnd", 1, 1),
        ("unassigned", 1, 1),
    ]
    assert [(g.key, g.ids) for g in summary.by_result] == [
        ("3.1", ("R-3.1-1", "R-3.1-2")),
        ("4.1", ("R-4.1-1",)),
        ("5.2", ("R-5.2-2",)),
        ("organizational", ("OR-1",)),
    ]


def test_no_risks() -> None:
    summary = summarize_risks(())
    assert summary.total.risks == 0
    assert summary.by_owner == summary.by_result == ()
    assert summary.to_dict()["total"]["exposure"]["unknown"] == 0  # type: ignore[index]
