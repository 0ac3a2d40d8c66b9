"""二 Performance by strategic pillar and expected result: the performance-data tables with
each PIE's computed rating and explanation, and the risk tables."""

from __future__ import annotations

from collections.abc import Callable

from rbm.domain.enums import BudgetPhase, FootnoteScope
from rbm.domain.framework import Footnote, Highlight
from rbm.domain.risks import Risk
from rbm.domain.text import Text
from rbm.engine.rating.assess import Assessment
from rbm.i18n import joined, text
from rbm.report.build.context import Context
from rbm.report.model import Column, Note, Paragraph, Row, Section, TableView

EXECUTED = BudgetPhase.EXECUTED


def _reading(ctx: Context, a: Assessment) -> Text:
    return Text.build(ctx.langs, a.reading.text)


def pie_table(ctx: Context, result: str) -> TableView:
    """One row per PIE of an expected result: what was measured, against what, the final
    rating and what it rests on; the source's footnotes on their rows."""
    indicators = {i.id: i for i in ctx.dataset.indicators if i.result == result}
    footnotes: dict[tuple[FootnoteScope, str], list[Footnote]] = {}
    for f in ctx.dataset.footnotes:
        footnotes.setdefault((f.scope, f.ref), []).append(f)
    keys = ("baseline", "target", "actual", "rating", "explanation")
    rows: list[Row] = []
    notes: list[Note] = []
    seen: set[str] = set()
    for a in ctx.ratings.assessments:
        pie = a.pie
        if pie.indicator not in indicators:
            continue
        label = indicators[pie.indicator].text
        if pie.segment:
            label = text("format.parenthetical", text=label, note=pie.segment)
        cited = [
            *(
                ()
                if pie.indicator in seen
                else footnotes.get((FootnoteScope.INDICATOR, pie.indicator), ())
            ),
            *footnotes.get((FootnoteScope.PIE, pie.id), ()),
        ]
        seen.add(pie.indicator)
        for f in cited:
            if all(n.id != f.marker for n in notes):
                notes.append(Note(f.marker, f.text))
        rows.append(
            Row(
                label,
                (
                    pie.baseline_text,
                    pie.target_text,
                    pie.actual_text,
                    text(f"rating.{a.final.value}"),
                    _reading(ctx, a),
                ),
                notes=tuple(f.marker for f in cited),
            )
        )
    columns = tuple(Column(text(f"report.column.{key}"), "text") for key in keys)
    return TableView(
        f"pies-{result}",
        ctx.result_label(result),
        text("report.unit.none"),
        text("report.stub.indicator"),
        columns,
        tuple(rows),
        next((p.source for p in ctx.dataset.pies if p.indicator in indicators), ""),
        tuple(notes),
    )


def _evolution(risk: Risk) -> Text | None:
    """How a risk evolved: whether it materialized, and its exposure over the period."""
    parts = []
    if risk.materialized is not None:
        parts.append(text(f"report.risk.materialized.{str(risk.materialized).lower()}"))
    if risk.exposure is not None:
        parts.append(text(f"report.risk.exposure.{risk.exposure.value}"))
    if not parts:
        return None
    return (
        parts[0]
        if len(parts) == 1
        else text("report.risk.evolution", materialized=parts[0], exposure=parts[1])
    )


def risk_table(ctx: Context, result: str | None) -> TableView | None:
    """The risks of an expected result (or the organization's), with the columns the data
    fill: appetite, evolution, mitigation and its effect, the owner."""
    risks = [r for r in ctx.dataset.risks if r.result == result]
    if not risks:
        return None
    cells: dict[str, Callable[[Risk], Text | None]] = {
        "appetite": lambda r: (
            text(f"report.risk.appetite.{r.appetite.value}") if r.appetite else None
        ),
        "evolution": _evolution,
        "mitigation": lambda r: r.mitigation or None,
        "owner": lambda r: ctx.sectors.get(r.owner_sector) if r.owner_sector else None,
    }
    filled = [key for key, cell in cells.items() if any(cell(r) is not None for r in risks)]
    rows = [Row(risk.risk, tuple(cells[key](risk) for key in filled)) for risk in risks]
    columns = tuple(Column(text(f"report.column.risk_{key}"), "text") for key in filled)
    table_id = f"risks-{result}" if result else "risks-organizational"
    return TableView(
        table_id,
        text("report.table.risks", result=result) if result else text("report.table.org_risks"),
        text("report.unit.none"),
        text("report.stub.risk"),
        columns,
        tuple(rows),
        risks[0].source,
    )


def contributing_sectors(ctx: Context, pillar: str, prefer: list[str]) -> Text:
    """The sectors that spent under the pillar's expected results, in sector order."""
    names = [
        s.short
        for s in ctx.dataset.sectors
        if (spent := ctx.cube.cell(EXECUTED, {"pillar": pillar, "sector": s.code}, prefer).value)
        and spent > 0
    ]
    return text(
        "report.contributing_sectors",
        sectors=joined(names),
    )


def _highlight(h: Highlight) -> Text:
    """A highlight: its figure as printed, then our description. A figure in words (e.g.
    第一) is in the source language only; the description says it in the others."""
    worded = any(c.isalpha() for c in h.figure)
    source = h.text.langs[0] if h.text else ""
    return Text.build(
        h.text.langs,
        lambda lang: (
            h.text.get(lang)
            if worded and lang != source
            else text("format.figure_text", figure=h.figure, text=h.text).get(lang)
        ),
    )


def _source_notes(ctx: Context, pillar: str) -> Section | None:
    """The footnotes of a pillar's narrative (those on its sources, not on a row), as the
    pillar's last section."""
    codes = {r.code for r in ctx.dataset.results if r.pillar == pillar}
    indicators = {i.id for i in ctx.dataset.indicators if i.result in codes}
    sources = {p.source for p in ctx.dataset.pies if p.indicator in indicators}
    sources |= {r.source for r in ctx.dataset.risks if r.result in codes}
    notes = [
        Paragraph(f.text.prefixed(f"{f.marker} "))
        for f in ctx.dataset.footnotes
        if f.scope == FootnoteScope.SOURCE and f.ref in sources
    ]
    if not notes:
        return None
    return Section(f"notes-{pillar}", text("report.section.notes"), tuple(notes))


def performance(ctx: Context, prefer: list[str]) -> list[Section]:
    """A section per pillar, and in it one per expected result."""
    pillars = []
    for pillar in ctx.dataset.pillars:
        results = []
        for result in (r for r in ctx.dataset.results if r.pillar == pillar.code):
            pies = pie_table(ctx, result.code)
            blocks: list[TableView] = [pies] if pies.rows else []  # no PIEs, no table
            risks = risk_table(ctx, result.code)
            if risks is not None:
                blocks.append(risks)
            if not blocks:
                continue
            results.append(
                Section(
                    f"result-{result.code}",
                    ctx.result_label(result.code),
                    tuple(blocks),
                )
            )
        notes = _source_notes(ctx, pillar.code)
        if notes is not None:
            results.append(notes)
        highlights = [h for h in ctx.dataset.highlights if h.pillar == pillar.code]
        intro = (
            *(Paragraph(_highlight(h)) for h in highlights),
            Paragraph(contributing_sectors(ctx, pillar.code, prefer)),
        )
        pillars.append(Section(f"pillar-{pillar.code}", pillar.name, intro, tuple(results)))
    return pillars
