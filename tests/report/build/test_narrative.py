"""Narratives: placed by the part they belong to, each paragraph once, subheadings where
they change."""

from __future__ import annotations

from rbm.domain.dataset import Dataset
from rbm.domain.framework import Narrative
from rbm.domain.text import Text
from rbm.report.build.narrative import narrative_section, place, told
from rbm.report.model import Column, Paragraph, ReportView, Row, Section, TableView
from tests.strategies import BIENNIUM


def _narrative(id: str, ref: str, order: int, heading: str = "") -> Narrative:
    return Narrative(id, ref, order, Text.of(en=heading), Text.of(en=f"text {id}"), "S")


def test_a_subheading_prints_where_it_changes() -> None:
    dataset = Dataset(
        BIENNIUM,
        narratives=(
            _narrative("b", "r", 2, "One"),
            _narrative("a", "r", 1, "One"),
            _narrative("c", "r", 3, "Two"),
            _narrative("d", "r", 4),
        ),
    )
    (parts,) = told(dataset).values()
    assert [(p.text.get("en"), p.heading and p.heading.get("en")) for p in parts] == [
        ("text a", "One"),
        ("text b", None),
        ("text c", "Two"),
        ("text d", None),
    ]


def test_paragraphs_go_before_their_block_and_at_the_start_of_their_section() -> None:
    table = TableView(
        "t",
        Text.of(en="T"),
        Text(),
        Text(),
        (Column(Text.of(en="c")),),
        (Row(Text(), (None,)),),
        "S",
    )
    section = Section("s", Text.of(en="S"), (table,), (Section("child", Text.of(en="C")),))
    parts = {ref: [Paragraph(Text.of(en=ref))] for ref in ("s", "t", "child")}
    placed = place(section, parts)
    assert [b.text.get("en") if isinstance(b, Paragraph) else b.id for b in placed.blocks] == [
        "s",
        "t",
        "t",
    ]
    assert placed.children[0].blocks == (Paragraph(Text.of(en="child")),)
    assert parts == {}  # each placed once
    # a part that is only a narrative takes its paragraphs, once
    parts["s"] = [Paragraph(Text.of(en="s"))]
    alone = narrative_section(parts, "s", Text.of(en="Alone"))
    assert alone is not None and alone.blocks == (Paragraph(Text.of(en="s")),)
    assert narrative_section(parts, "s", Text.of(en="Alone")) is None


def test_every_wipo_paragraph_is_printed_once(wipo: Dataset, report: ReportView) -> None:
    printed = [b.text for s in report.walk() for b in s.blocks if isinstance(b, Paragraph)]
    assert wipo.narratives
    missing = [n.id for n in wipo.narratives if printed.count(n.text) != 1]
    assert missing == []


def test_every_expected_result_has_its_narrative(wipo: Dataset) -> None:
    told_results = {n.ref for n in wipo.narratives}
    assert {f"result-{r.code}" for r in wipo.results} <= told_results
