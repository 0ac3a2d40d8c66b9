"""A figure a narrative quotes against the cell that gives it, its rounding allowed for."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rbm.domain.dataset import Dataset
from rbm.domain.enums import NarrativeRef, TargetKind
from rbm.domain.framework import NarrativeFigure
from rbm.engine.reconcile.findings import FindingClass
from rbm.engine.reconcile.narratives import narrative_figures
from rbm.engine.reconcile.run import reconcile
from tests.engine.rating.pies import pie
from tests.engine.reconcile.builders import figure
from tests.strategies import BIENNIUM


def quoted(
    value: str, compares: NarrativeRef, ref: str, half: str | None = None
) -> NarrativeFigure:
    return NarrativeFigure(
        f"NF-{ref}-{value}",
        "N-1",
        Decimal(value),
        None if half is None else Decimal(half),
        compares,
        ref,
        "S",
    )


def test_each_quoted_figure_is_exact_rounded_or_a_difference() -> None:
    connected = replace(pie(TargetKind.COUNT, {"count": 10}, actual=69), id="4.4-03.1")
    dataset = Dataset(
        BIENNIUM,
        pies=(connected,),
        published_figures=(figure("I-income", "976.4"),),
        narrative_figures=(
            quoted("976.4", NarrativeRef.PUBLISHED, "I-income"),  # exact
            quoted("976", NarrativeRef.PUBLISHED, "I-income", half="0.5"),  # "9.76 亿": rounded
            quoted("68", NarrativeRef.PIE_ACTUAL, "4.4-03.1"),  # the narrative's 68 against 69
            quoted("5", NarrativeRef.PIE_BASELINE, "4.4-03.1"),  # no baseline value: no check
        ),
    )
    found = list(narrative_figures(dataset))
    assert [(f.klass, f.left.value, f.right.value) for f in found] == [
        (FindingClass.EXACT, Decimal("976.4"), Decimal("976.4")),
        (FindingClass.ROUNDING, Decimal("976"), Decimal("976.4")),
        (FindingClass.DIFFERENCE, Decimal("68"), Decimal("69")),
    ]
    assert found[2].subject == {"measure": "pie_actual", "pie": "4.4-03.1"}
    assert found[2].left.ref == "N-1"  # the narrative, so the finding says where it is
    assert sum(f.check == "narrative_figure" for f in reconcile(dataset).findings) == 3
