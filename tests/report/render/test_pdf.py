"""The PDF of both languages, read back with poppler-utils and pikepdf: extractable Chinese,
embedded CJK font, a table of contents with the right page numbers, running headers and page
numbers, a PDF/UA-1 structure tree; and the print HTML's table layout (column widths, Chinese
headers broken between words, wide tables on turned pages)."""

from __future__ import annotations

import multiprocessing
import re
import shutil
import subprocess
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from lxml import html as lxml_html

from rbm.domain.text import Lang
from rbm.report.model import ReportView, TableView
from rbm.report.render import pdf
from tests.conftest import need
from tests.languages import LANGS


def _poppler() -> None:
    missing = [tool for tool in ("pdftotext", "pdffonts", "pdfinfo") if shutil.which(tool) is None]
    need(f"poppler-utils is missing ({', '.join(missing)})" if missing else None)


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdfs(report: ReportView, tmp_path_factory: pytest.TempPathFactory) -> dict[Lang, Path]:
    """Both languages at once, one process each (spawned: the session may hold threads)."""
    folder = tmp_path_factory.mktemp("pdf")
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(LANGS), mp_context=context) as pool:
        futures = {lang: pool.submit(pdf.write, report, folder, lang) for lang in LANGS}
        return {lang: future.result()[0] for lang, future in futures.items()}


@pytest.fixture(scope="module")
def pages(pdfs: dict[Lang, Path]) -> dict[Lang, list[str]]:
    """The text of every page (pdftotext separates pages with form feeds)."""
    _poppler()
    return {
        lang: _run("pdftotext", "-layout", str(path), "-").split("\f")[:-1]
        for lang, path in pdfs.items()
    }


def test_one_pdf_per_language(pdfs: dict[Lang, Path]) -> None:
    assert {lang: path.name for lang, path in pdfs.items()} == {
        "zh": "report-zh.pdf",
        "en": "report-en.pdf",
    }
    for path in pdfs.values():
        assert path.read_bytes()[:5] == b"%PDF-"


def test_text_is_extractable_in_both_languages(pages: dict[Lang, list[str]]) -> None:
    chinese = "".join(pages["zh"])
    assert "表5" in chinese
    assert "专利和技术" in chinese
    assert "Table 5" in "".join(pages["en"])


def test_more_than_five_pages(pdfs: dict[Lang, Path]) -> None:
    _poppler()
    for path in pdfs.values():
        (count,) = re.findall(r"^Pages:\s+(\d+)", _run("pdfinfo", str(path)), re.M)
        assert int(count) > 5


def test_fonts_are_embedded_and_the_cjk_font_is_noto_sans_cjk_sc(pdfs: dict[Lang, Path]) -> None:
    _poppler()
    for lang, path in pdfs.items():
        rows = _run("pdffonts", str(path)).splitlines()[2:]
        names = [row.split()[0] for row in rows]
        assert any("Noto-Sans-CJK-SC" in name for name in names), (lang, names)
        assert not any("Noto-Sans-CJK-JP" in name for name in names), (lang, names)
        for row in rows:
            # columns: name type encoding emb sub uni object ID (type may hold spaces)
            emb = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", row)
            assert emb is not None and emb.group(1) == "yes", (lang, row)


def test_toc_page_numbers_point_at_the_sections(
    report: ReportView, pages: dict[Lang, list[str]]
) -> None:
    for lang in LANGS:
        toc = "\n".join(pages[lang][1:4])
        for section in report.sections:
            title = section.title.get(lang)
            found = re.search(re.escape(title) + r"\s*\.{3,}\s*(\d+)", toc)
            assert found, (lang, title)
            number = int(found.group(1))
            assert title in pages[lang][number - 1], (lang, title, number)


def test_running_headers_and_page_numbers(report: ReportView, pages: dict[Lang, list[str]]) -> None:
    label = {"zh": "第 {n} 页，共 {total} 页", "en": "Page {n} of {total}"}
    for lang in LANGS:
        total = len(pages[lang])
        title = report.title.get(lang)
        assert title not in pages[lang][0].splitlines()[0]  # the cover has no header
        for number, text in enumerate(pages[lang][1:], start=2):
            lines = [line for line in text.splitlines() if line.strip()]
            assert title in lines[0], (lang, number)
            assert label[lang].format(n=number, total=total) in lines[-1], (lang, number)
        last_section = report.sections[-1].title.get(lang)
        assert last_section in pages[lang][-1].splitlines()[0]


def test_the_print_html_repeats_table_headers_and_sizes_every_column(report: ReportView) -> None:
    root = lxml_html.fromstring(pdf.html_document(report, "en").encode("utf-8"))
    tables = root.xpath("//table")
    assert len(tables) == len(list(report.tables()))
    for table in tables:
        assert table.xpath("./thead/tr/th")
        widths = [
            float(re.search(r"width: ([\d.]+)%", col.get("style")).group(1))  # type: ignore[union-attr]
            for col in table.xpath("./colgroup/col")
        ]
        # one width per column: a group header spans its columns, each listed below it
        assert len(widths) == len(table.xpath("./thead/tr/th[@scope='col']"))
        assert sum(widths) == pytest.approx(100, abs=0.5)
    css = root.xpath("//style")[0].text
    assert "display: table-header-group" in css
    assert (
        'font-family: "Noto Sans CJK SC"' in css.split("@page cover")[0].split("@bottom-center")[1]
    )


@pytest.mark.parametrize("lang", LANGS)
def test_column_widths_give_long_text_more_room(report: ReportView, lang: Lang) -> None:
    for table in report.tables():
        widths = pdf.column_widths(table, lang)
        assert len(widths) == len(table.columns) + 1
        assert all(w > 0 for w in widths)
    text_tables = [t for t in report.tables() if all(c.format == "text" for c in t.columns)]
    assert text_tables
    table: TableView = text_tables[0]
    widths = pdf.column_widths(table, lang)
    assert max(widths) > min(widths)


@pytest.mark.parametrize("lang", LANGS)
def test_the_layout_check_passes(pdfs: dict[Lang, Path], lang: Lang) -> None:
    """Issue 13's thresholds (tests/report/render/test_layout.py) on the PDFs built above."""
    from tests.report.render.test_layout import assert_layout

    assert_layout(pdfs[lang])


def _structure(pdf_path: Path) -> tuple[Any, list[Any]]:
    """The PDF's catalogue and every element of its structure tree."""
    document = pikepdf.open(pdf_path)
    found, stack = [], [document.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
    return document, found


def test_the_pdf_is_tagged_as_pdf_ua_1(pdfs: dict[Lang, Path]) -> None:
    for lang, path in pdfs.items():
        document, elements = _structure(path)
        root = document.Root
        assert "/StructTreeRoot" in root, lang
        assert bool(root.MarkInfo.Marked), lang
        assert str(root.Lang) == {"zh": "zh-Hans", "en": "en"}[lang]
        kinds = Counter(str(e.S) for e in elements)
        assert kinds["/Document"] == 1 and kinds["/H1"] >= 5, (lang, kinds)
        tables = [e for e in elements if e.S == "/Table"]
        assert tables, lang
        for table in tables:  # each table (or its part on one page) has header cells
            cells = [e for e in elements if e.S == "/TH" and _inside(e, table)]
            assert cells, (lang, table.objgen)
        figures = [e for e in elements if e.S == "/Figure"]
        assert figures, lang
        assert all(str(f.get("/Alt", "")).strip() for f in figures), lang
        metadata = document.open_metadata()
        assert metadata.get("pdfuaid:part") == "1", (lang, dict(metadata))


def _inside(element: Any, ancestor: Any) -> bool:
    """True when `ancestor` is above `element` in the structure tree."""
    node = element
    while "/P" in node:
        node = node.P
        if node.objgen == ancestor.objgen:
            return True
    return False


def test_chinese_headers_break_only_between_words(report: ReportView) -> None:
    root = lxml_html.fromstring(pdf.html_document(report, "zh").encode("utf-8"))
    limits = {f"tbl-{t.id}": pdf.layout(t, "zh").header_run for t in report.tables()}
    headers = root.xpath("//thead//th")
    assert headers
    for header in headers:
        (block,) = header.xpath("ancestor::div[@class and starts-with(@id, 'tbl-')][1]/@id")
        text = header.text_content()
        kept = "".join(span.text_content() for span in header.xpath(".//span[@class='nobr']"))
        loose = [run for run in pdf.header_runs(text) if run not in kept]
        # what is not kept whole is punctuation, a space or a run too long for the column
        assert all(pdf.WIDE.search(run) is None or 2 * len(run) > limits[block] for run in loose), (
            text,
            loose,
        )
    assert pdf.header_runs("支出（不含项目）") == ["支出", "（不含项目）"]


@pytest.mark.parametrize("lang", LANGS)
def test_short_texts_and_ratings_never_stack(report: ReportView, lang: Lang) -> None:
    root = lxml_html.fromstring(pdf.html_document(report, lang).encode("utf-8"))
    kept = {span.text_content() for span in root.xpath("//td/span[@class='nobr']")}
    if lang == "zh":  # a Chinese rating on one line (an English one breaks at its space)
        assert "完全实现" in kept
    for view in report.tables():
        setting = pdf.layout(view, lang)
        least, _ = pdf._demands(view, lang)
        letters = (pdf.LANDSCAPE_MM if setting.landscape else pdf.PORTRAIT_MM) / (
            setting.font_pt * 0.3528 * 0.55
        )
        if sum(least) <= letters:  # every column gets its widest piece, four characters at least
            for share, low in zip(setting.widths, least, strict=True):
                assert share / 100 * letters >= low - 1e-6, (lang, view.id)


@pytest.mark.parametrize("lang", LANGS)
def test_wide_tables_are_turned_with_their_introduction(report: ReportView, lang: Lang) -> None:
    document = pdf.html_document(report, lang)
    root = lxml_html.fromstring(document.encode("utf-8"))
    rules = re.findall(r"^#(\S+) > :nth-child\((\d+)\) \{ page: landscape; \}", document, re.M)
    turned = [root.xpath(f"//*[@id='{section}']/*[{place}]")[0] for section, place in rules]
    assert "tbl-trust-funds" in [element.get("id") for element in turned]
    for element in turned:
        assert element.get("class") in ("table-block wide very-wide", "paragraph") or (
            element.tag in ("h1", "h2", "h3", "h4")
        ), (element.tag, element.get("class"))
        if element.tag == "div":
            (table,) = (t for t in report.tables() if f"tbl-{t.id}" == element.get("id"))
            assert pdf.layout(table, lang).landscape
