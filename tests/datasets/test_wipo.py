"""Seed-backed checks of the embedded WIPO 2024/25 package against the report's own text."""

from __future__ import annotations

import re
from collections import Counter

from rbm.domain.dataset import Dataset
from rbm.domain.enums import Rating

LEGEND = "完全实现"


def squash(text: str) -> str:
    """The seed wraps cells over lines and spaces characters out: compare without whitespace."""
    return re.sub(r"\s+", "", text)


def lines(seed_text: str, span: str) -> list[str]:
    first, last = (int(x) for x in span.split("-"))
    return seed_text.split("\n")[first - 1 : last]


def test_framework_skeleton(wipo: Dataset) -> None:
    assert [p.code for p in wipo.pillars] == ["1", "2", "3", "4", "F"]
    assert [r.code for r in wipo.results] == [
        "1.1", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3",
        "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3",
    ]  # fmt: skip
    assert len(wipo.sectors) == 9
    assert [s.code for s in wipo.sectors if s.unallocated] == ["un"]
    assert all(x.get("en") for s in wipo.sectors for x in (s.name, s.short))
    assert all(r.title.get("en") for r in wipo.results)


def test_result_titles_are_the_seed_text(wipo: Dataset, seed_text: str) -> None:
    seed = squash(seed_text)
    missing = [r.code for r in wipo.results if f"{r.code}{squash(r.title.get('zh'))}" not in seed]
    assert missing == []


def test_sector_names_and_short_names_are_the_seed_text(wipo: Dataset, seed_text: str) -> None:
    seed = squash(seed_text)
    table4_header = "专利品牌版权发展平台伙伴生态行政"
    assert table4_header in seed
    assert "".join(s.short.get("zh") for s in wipo.sectors if not s.unallocated) == table4_header
    assert all(squash(s.name.get("zh")) in seed for s in wipo.sectors)


def test_source_titles_appear_where_their_lines_say(wipo: Dataset, seed_text: str) -> None:
    """Each table/annex source's title is printed within the first lines of its range."""
    misplaced = []
    for source in wipo.sources:
        if source.lines is None or source.kind.value not in ("table", "annex"):
            continue
        head = squash("".join(lines(seed_text, source.lines)[:40]))
        if squash(source.title.get("zh")) not in head:
            misplaced.append(source.id)
    assert misplaced == []


def test_published_marks_are_the_glyphs_of_each_pillar(wipo: Dataset, seed_text: str) -> None:
    """Per pillar section, the curated PIEs carry exactly the rating glyphs the text prints."""
    spans = {s.id: s.lines for s in wipo.sources if s.id.startswith("二-")}
    for section, span in spans.items():
        if span is None or section == "二":
            continue
        printed: Counter[str] = Counter()
        for line in lines(seed_text, span):
            if LEGEND not in line:
                printed.update(ch for ch in line if ch in wipo.biennium.settings.marks)
        curated = Counter(
            p.published_mark for p in wipo.pies if p.source == section and p.published_mark
        )
        assert curated == printed, section


def test_not_achieved_marks(wipo: Dataset) -> None:
    marks = wipo.biennium.settings.marks
    not_achieved = [m for m, means in marks.items() if means == {Rating.NOT_ACHIEVED}]
    assert sum(p.published_mark in not_achieved for p in wipo.pies) == 14


def test_every_pie_has_a_target_and_its_indicator_a_result(wipo: Dataset) -> None:
    indicators = {i.id: i for i in wipo.indicators}
    results = {r.code for r in wipo.results}
    assert all(p.target_text for p in wipo.pies)
    assert all(indicators[p.indicator].result in results for p in wipo.pies)
    assert all(p.id.startswith(p.indicator + ".") for p in wipo.pies)
