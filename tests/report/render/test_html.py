"""The HTML site, parsed with lxml (never snapshotted): languages, headings, tables, links,
catalogue labels and the number formats a reader sees."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from rbm.domain.text import Lang, Text
from rbm.report.model import (
    ChartKind,
    ChartView,
    Column,
    NumberFormat,
    Paragraph,
    ReportView,
    Row,
    Section,
    TableView,
    Value,
)
from rbm.report.render import charts, html
from tests.languages import LANGS

SVG = "http://www.w3.org/2000/svg"
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
# amounts, negatives in parentheses; shares, negatives with a minus; ">100%": a capped share;
# "n/a" where a share does not apply
NUMBER = re.compile(r"^(-|n/a|\(?\d{1,3}(,\d{3})*(\.\d+)?\)?|[>-]?\d{1,3}(,\d{3})*(\.\d+)?%)$")
CATALOGUE_KEY = re.compile(r"\b(report|rating|phase|measure)\.[a-z_]+(\.[a-z0-9_]+)*\b")


@pytest.fixture(scope="module")
def site(report: ReportView, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    for lang in LANGS:
        html.write(report, folder, lang)
    return folder


def pages_of(site: Path, lang: Lang) -> dict[str, HtmlElement]:
    return {p.name: lxml_html.parse(str(p)).getroot() for p in sorted((site / lang).glob("*.html"))}


@pytest.fixture(scope="module")
def parsed(site: Path) -> dict[Lang, dict[str, HtmlElement]]:
    return {lang: pages_of(site, lang) for lang in LANGS}


def every_page(parsed: dict[Lang, dict[str, HtmlElement]]) -> list[tuple[Lang, str, HtmlElement]]:
    return [(lang, name, root) for lang, pages in parsed.items() for name, root in pages.items()]


def test_one_page_per_top_level_section_and_an_index(
    report: ReportView, parsed: dict[Lang, dict[str, HtmlElement]]
) -> None:
    """The index, each top-level section, and each section that asks for its own page."""
    own = [s for top in report.sections for s in top.walk() if s.page]
    assert len(own) == 12  # the capital projects' reports
    expected = {"index.html", *(f"{s.id}.html" for s in (*report.sections, *own))}
    for lang in LANGS:
        assert set(parsed[lang]) == expected
        nav = parsed[lang]["index.html"].xpath('//nav[@class="site-nav"]//a')
        assert len(nav) == 1 + len(report.sections)  # subpages stay out of the navigation


def test_html_lang_is_the_page_language(parsed: dict[Lang, dict[str, HtmlElement]]) -> None:
    for lang, name, root in every_page(parsed):
        assert root.get("lang") == {"zh": "zh-Hans", "en": "en"}[lang], name


def test_headings_start_at_h1_and_never_skip_a_level(
    parsed: dict[Lang, dict[str, HtmlElement]],
) -> None:
    for lang, name, root in every_page(parsed):
        levels = [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1 and levels.count(1) == 1, (lang, name)
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (lang, name, levels)


def test_every_section_is_a_heading_at_its_depth(
    report: ReportView, parsed: dict[Lang, dict[str, HtmlElement]]
) -> None:
    def check(root: HtmlElement, section: Section, depth: int) -> None:
        (heading,) = root.xpath(f'//*[@id="h-{section.id}"]')
        assert heading.tag == f"h{min(depth, 6)}"
        for child in section.children:
            if not child.page:  # a page of its own starts again at h1
                check(root, child, depth + 1)

    for lang in LANGS:
        for page in html.pages(report):
            if page.section is not None:
                check(parsed[lang][page.name], page.section, 1)


HEADING = "self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6"


def heading_before(element: HtmlElement) -> HtmlElement:
    """The last heading before `element` in reading order (one inside a caption counts)."""
    found: list[HtmlElement] = element.xpath(f"preceding::*[{HEADING}][1]")
    assert found, element.get("id")
    return found[0]


def section_heading(element: HtmlElement) -> HtmlElement:
    """The heading of the section that holds `element`."""
    (section,) = element.xpath("ancestor::section[1]")
    return section.xpath(f"./*[{HEADING}]")[0]


def test_every_table_and_chart_is_under_its_own_heading_one_level_below_its_section(
    report: ReportView, parsed: dict[Lang, dict[str, HtmlElement]]
) -> None:
    """A screen-reader user jumps to "Table 5" / "表5" by heading: each table and chart of
    every page is read after a heading of its own that holds its title, one level below its
    section's heading (narrative subheadings sit at that level too), and no level is
    skipped."""
    titles = {
        f"{'chart' if isinstance(block, ChartView) else 'tbl'}-{block.id}": block.title
        for top in report.sections
        for section in top.walk()
        for block in section.blocks
        if not isinstance(block, Paragraph)
    }
    checked = 0
    for lang, name, root in every_page(parsed):
        owners: dict[HtmlElement, str] = {}
        blocks = root.xpath(
            '//main//div[contains(@class, "table-block")][not(ancestor::details)]'
            ' | //main//figure[contains(@class, "chart")]'
        )
        for block in blocks:
            first = block.xpath("(.//tr)[1] | (.//*[local-name()='svg'])[1]")[0]
            heading = heading_before(first)
            title = titles[block.get("id")].get(lang)
            assert title in heading.text_content(), (lang, name, title, heading.text_content())
            assert heading not in owners, (lang, name, title, owners.get(heading))
            owners[heading] = title
            level = int(section_heading(block).tag[1])
            assert heading.tag == f"h{min(level + 1, 6)}", (lang, name, title, heading.tag)
            checked += 1
        for subheading in root.xpath('//main//*[contains(@class, "narrative-heading")]'):
            level = int(section_heading(subheading).tag[1])
            assert subheading.tag == f"h{min(level + 1, 6)}", (lang, name, subheading.tag)
        levels = [int(h.tag[1]) for h in root.xpath(f"//*[{HEADING}]")]
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (lang, name, levels)
    assert checked == len(LANGS) * len(titles)


def test_every_table_has_a_caption_and_scoped_headers(
    parsed: dict[Lang, dict[str, HtmlElement]],
) -> None:
    count = 0
    for lang, name, root in every_page(parsed):
        for table in root.iter("table"):
            count += 1
            captions = table.findall("caption")
            assert len(captions) == 1 and captions[0].text_content().strip(), (lang, name)
            for th in table.xpath("./thead//th"):
                assert th.get("scope") in ("col", "colgroup"), (lang, name)
            for tr in table.xpath("./tbody/tr"):
                first = tr[0]
                assert first.tag == "th" and first.get("scope") == "row", (lang, name)
                assert all(cell.tag == "td" for cell in tr[1:]), (lang, name)
    assert count > 40


def test_grouped_columns_print_their_group_once_over_them(
    parsed: dict[Lang, dict[str, HtmlElement]],
) -> None:
    """Posts by grade: each phase heads its grades and their total; the grades are listed
    under it (a Chinese header never has to break inside "计划和预算")."""
    table = parsed["zh"]["annexes.html"].get_element_by_id("tbl-annex-5").find(".//table")
    top, below = table.xpath("./thead/tr")
    groups = [(th.text_content().strip(), th.get("colspan")) for th in top[1:]]
    assert groups == [("计划和预算", "5"), ("调剂使用后最终预算", "5"), ("差异", "5")]
    assert top[0].get("rowspan") == "2" and len(below) == 15
    assert [th.text_content().strip() for th in below[:5]] == ["DG/DDG/ADG", "D", "P", "G", "总计"]


def test_every_table_shows_its_unit_and_source(
    report: ReportView, parsed: dict[Lang, dict[str, HtmlElement]]
) -> None:
    for lang in LANGS:
        text = {name: root.text_content() for name, root in parsed[lang].items()}
        sources = {}
        for name, root in parsed[lang].items():
            for block in root.xpath('//*[contains(@class, "table-block")]'):
                source = block.xpath('.//p[@class="table-source"]/span[@class="source"]')
                sources[block.get("id")] = (name, source[0].text if source else None)
        for table in report.tables():
            page, source = sources[f"tbl-{table.id}"]
            cited = report.cite(table.source, lang)  # 表2 in Chinese, Table 2 in English
            assert source == cited
            label = "来源：" if lang == "zh" else "Source: "
            assert f"{label}{cited}" in text[page]


def test_numbers_are_right_aligned_and_printed_as_the_source_does(
    parsed: dict[Lang, dict[str, HtmlElement]],
) -> None:
    cells = 0
    for lang, name, root in every_page(parsed):
        for td in root.xpath('//td[contains(@class, "num")]'):
            cells += 1
            assert NUMBER.match(td.text_content().strip()), (lang, name, td.text_content())
    assert cells > 500
    css = Path(html.__file__).parent.parent / "templates" / "report.css"
    assert re.search(r"\.num \{[^}]*text-align: right", css.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("value", "fmt", "printed"),
    [
        (Decimal("1234567"), "integer", "1,234,567"),
        (Decimal("1234.5"), "integer", "1,235"),
        (Decimal("2.5"), "integer", "3"),
        (Decimal("-233.4"), "decimal1", "(233.4)"),
        (Decimal("-0.04"), "decimal1", "-"),
        (Decimal("0"), "integer", "-"),
        (Decimal("0"), "percent", "0%"),
        (None, "integer", "-"),
        (Decimal("90"), "percent", "90%"),
        (Decimal("89.5"), "percent", "90%"),
        (Decimal("-4.25"), "percent1", "-4.3%"),
        (Decimal("12.345"), "decimal2", "12.35"),
        (Decimal("1234.50"), "text", "1,234.50"),
        (Text.of(zh="表5", en="Table 5"), "text", "Table 5"),
    ],
)
def test_format_value(value: Value, fmt: NumberFormat, printed: str) -> None:
    assert html.format_value(value, fmt, "en") == printed


def test_row_notes_link_to_the_notes_below_the_table(
    parsed: dict[Lang, dict[str, HtmlElement]],
) -> None:
    for lang, name, root in every_page(parsed):
        for link in root.xpath('//sup[@class="note-ref"]/a'):
            (target,) = root.xpath(f'//*[@id="{link.get("href")[1:]}"]')
            assert target.tag == "li" and target.getparent().get("class") == "notes", (lang, name)


def test_language_switch_links_the_same_page_in_the_other_language(
    site: Path, parsed: dict[Lang, dict[str, HtmlElement]]
) -> None:
    for lang, name, root in every_page(parsed):
        (link,) = root.xpath('//nav[@class="lang-switch"]//a')
        other = "en" if lang == "zh" else "zh"
        assert link.get("href") == f"../{other}/{name}"
        assert (site / lang / link.get("href")).resolve() == (site / other / name).resolve()
        assert (site / other / name).is_file()
        assert link.get("hreflang") == {"zh": "zh-Hans", "en": "en"}[other]


def test_internal_links_resolve_and_the_toc_reaches_every_section(
    report: ReportView, parsed: dict[Lang, dict[str, HtmlElement]]
) -> None:
    for lang, pages in parsed.items():
        for name, root in pages.items():
            for link in root.xpath("//a[@href]"):
                href = link.get("href")
                if href.startswith("../"):
                    continue
                path, _, anchor = href.partition("#")
                target = pages[path or name]
                if anchor:
                    assert target.xpath(f'//*[@id="{anchor}"]'), (lang, name, href)
        toc = {a.get("href") for a in pages["index.html"].xpath('//nav[@class="toc"]//a')}
        hrefs = html.site_hrefs(report)
        for top in report.sections:
            for section in top.walk():
                assert hrefs[section.id] in toc


def test_no_external_urls_and_no_scripts(parsed: dict[Lang, dict[str, HtmlElement]]) -> None:
    for lang, name, root in every_page(parsed):
        assert not root.xpath("//script"), (lang, name)
        for element in root.xpath(
            "//*[@src or @href or @xlink:href]",
            namespaces={"xlink": "http://www.w3.org/1999/xlink"},
        ):
            for attribute in ("src", "href", "{http://www.w3.org/1999/xlink}href"):
                value = element.get(attribute)
                if value is not None:
                    parts = urlsplit(value)
                    assert not parts.scheme and not parts.netloc, (lang, name, value)


def test_no_catalogue_key_is_shown(parsed: dict[Lang, dict[str, HtmlElement]]) -> None:
    for lang, name, root in every_page(parsed):
        text = root.text_content()
        assert not CATALOGUE_KEY.search(text), (lang, name, CATALOGUE_KEY.search(text))
        for element in root.xpath("//*[@aria-label or @title]"):
            for value in (element.get("aria-label"), element.get("title")):
                assert value is None or not CATALOGUE_KEY.search(value), (lang, name, value)


def _cjk_outside_marked_parts(root: HtmlElement, skip: str = "") -> list[str]:
    """CJK words left once the parts marked as Chinese (lang="zh…"), the source ids and the
    elements matching the XPath `skip` are gone."""
    marked = '//*[starts-with(@lang, "zh") or contains(concat(" ", @class, " "), " source ")]'
    for element in root.xpath(marked + (f" | {skip}" if skip else "")):
        if element is not root:
            element.drop_tree()
    return re.findall(r"\S*[\u2e80-\u9fff\uff00-\uffef]\S*", root.text_content())


PARAGRAPHS = '//p[@class="paragraph"]'


def test_english_site_shows_chinese_only_where_marked(site: Path) -> None:
    left = {
        name: _cjk_outside_marked_parts(root, PARAGRAPHS)
        for name, root in pages_of(site, "en").items()
    }
    assert {name: words for name, words in left.items() if words} == {}


def test_the_english_edition_has_no_chinese_at_all(site: Path) -> None:
    """Every cell, label, note, narrative and source of the WIPO package has its English:
    no Han character is left on an English page but the link to the Chinese edition."""
    left = {}
    for name, root in pages_of(site, "en").items():
        for link in root.xpath("//a[@hreflang]"):
            link.drop_tree()
        if words := re.findall(r"\S*[\u2e80-\u9fff\uff00-\uffef]\S*", root.text_content()):
            left[name] = words
    assert left == {}


def test_english_paragraphs_have_no_chinese(site: Path) -> None:
    left = {
        name: re.findall(
            r"\S*[\u2e80-\u9fff\uff00-\uffef]\S*",
            " ".join(p.text_content() for p in root.xpath(PARAGRAPHS)),
        )
        for name, root in pages_of(site, "en").items()
    }
    assert {name: words for name, words in left.items() if words} == {}


def test_untranslated_texts_are_marked_as_chinese_in_english(
    parsed: dict[Lang, dict[str, HtmlElement]],
) -> None:
    marked = [
        e.text_content()
        for e in parsed["en"]["performance.html"].xpath('//*[starts-with(@lang, "zh")]')
    ]
    assert marked and sum(bool(CJK.search(text)) for text in marked) > len(marked) / 2
    assert not parsed["zh"]["performance.html"].xpath('//main//*[starts-with(@lang, "zh")]')
    assert html.untranslated(Text.of(zh="两年期增长 20%"), "fr")
    assert html.untranslated(Text.of(zh="专利和技术"), "en")
    assert not html.untranslated(Text.of(zh="专利和技术", en="Patents and Technology"), "en")
    assert not html.untranslated(Text.of(zh="专利和技术"), "zh")


def test_charts_are_named_svgs_with_their_table(
    report: ReportView, parsed: dict[Lang, dict[str, HtmlElement]]
) -> None:
    charts = list(report.charts())
    assert {c.kind for c in charts} >= {"bar", "stacked_bar", "donut", "gauge"}
    for lang in LANGS:
        figures = {
            figure.get("id"): figure
            for root in parsed[lang].values()
            for figure in root.xpath('//figure[contains(@class, "chart")]')
        }
        for chart in charts:
            figure = figures[f"chart-{chart.id}"]
            (svg,) = figure.xpath(".//*[local-name()='svg']")
            assert svg.get("role") == "img"
            title, desc = svg[0], svg[1]
            assert (title.tag.split("}")[-1], desc.tag.split("}")[-1]) == ("title", "desc")
            assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
            assert title.text == chart.title.get(lang)
            assert desc.text == chart.description.get(lang)
            assert figure.xpath(".//details//table/caption")


def test_paragraphs_are_shown(
    report: ReportView, parsed: dict[Lang, dict[str, HtmlElement]]
) -> None:
    for top in report.sections:
        for section in top.walk():
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    name = html.site_hrefs(report)[section.id].partition("#")[0]
                    assert block.text.get("zh") in parsed["zh"][name].text_content()


def test_a_user_template_folder_overrides_a_partial(report: ReportView, tmp_path: Path) -> None:
    custom = tmp_path / "templates" / "_partials"
    custom.mkdir(parents=True)
    (custom / "paragraph.html").write_text(
        '<p class="custom">{{ block.text|tx }}</p>\n', encoding="utf-8"
    )
    small = ReportView(
        report.title,
        report.organization,
        report.biennium,
        (
            Section(
                "intro",
                Text.of(zh="引言", en="Introduction"),
                (Paragraph(Text.of(zh="你好", en="Hello")),),
            ),
        ),
    )
    written = html.write(small, tmp_path / "out", "en", templates=tmp_path / "templates")
    assert {p.name for p in written} == {"report.css", "index.html", "intro.html"}
    root = lxml_html.parse(str(tmp_path / "out" / "en" / "intro.html")).getroot()
    assert [p.text_content() for p in root.xpath('//p[@class="custom"]')] == ["Hello"]


def _chart(kind: ChartKind, columns: int, fmt: NumberFormat = "integer") -> ChartView:
    table = TableView(
        f"t-{kind}",
        Text.of(zh="测试表", en="Test table"),
        Text.of(zh="千瑞郎", en="thousand CHF"),
        Text.of(zh="部门", en="Sector"),
        tuple(Column(Text.of(zh=f"系列{i}", en=f"Series {i}"), fmt) for i in range(columns)),
        (
            Row(
                Text.of(zh="专利和技术", en="Patents and Technology"),
                tuple(Decimal(1234 + i) for i in range(columns)),
            ),
            Row(Text.of(zh="品牌", en="Brands"), tuple(Decimal(-56 - i) for i in range(columns))),
            Row(
                Text.of(zh="总计", en="Total"),
                tuple(Decimal(99999) for _ in range(columns)),
                "total",
            ),
        ),
        "表5",
    )
    return ChartView(
        f"c-{kind}",
        Text.of(zh="图一 测试", en="Figure 1. Test"),
        Text.of(zh="说明", en="Description"),
        kind,
        table,
    )


@pytest.mark.parametrize(
    ("kind", "columns", "fmt"),
    [
        ("bar", 1, "integer"),
        ("stacked_bar", 3, "integer"),
        ("grouped_bar", 2, "decimal1"),
        ("donut", 1, "percent1"),
        ("gauge", 1, "percent"),
    ],
)
def test_every_chart_kind_draws_a_named_svg_in_the_readers_language(
    kind: ChartKind, columns: int, fmt: NumberFormat
) -> None:
    chart = _chart(kind, columns, fmt)
    drawings = {lang: etree.fromstring(charts.svg(chart, lang).encode("utf-8")) for lang in LANGS}
    for lang, svg in drawings.items():
        assert svg.get("role") == "img"
        title, desc = svg[0], svg[1]
        assert [title.tag, desc.tag] == [f"{{{SVG}}}title", f"{{{SVG}}}desc"]
        assert svg.get("aria-labelledby") == f"fig-c-{kind}-title fig-c-{kind}-desc"
        assert (title.text, desc.text) == (chart.title.get(lang), chart.description.get(lang))
        texts = " ".join(t.text or "" for t in svg.iter(f"{{{SVG}}}text"))
        assert {t.get("font-family") for t in svg.iter(f"{{{SVG}}}text")} == {"Noto Sans CJK SC"}
        if kind != "gauge":
            category = "Patents and Technology" if lang == "en" else "专利和技术"
            assert category in texts, (lang, texts)
        assert "99,999" not in texts  # total rows are not drawn
    assert "专利" not in " ".join(t.text or "" for t in drawings["en"].iter(f"{{{SVG}}}text"))


def test_chart_numbers_follow_the_column_format() -> None:
    bar = " ".join(
        t.text or ""
        for t in etree.fromstring(charts.svg(_chart("bar", 1), "en")).iter(f"{{{SVG}}}text")
    )
    assert "1,234" in bar and "(56)" in bar
    gauge = etree.fromstring(charts.svg(_chart("gauge", 1, "percent"), "zh"))
    assert "1,234%" in [t.text for t in gauge.iter(f"{{{SVG}}}text")]
