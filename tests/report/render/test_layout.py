"""The layout check (rbm.report.render.layout) on tiny PDFs drawn here by WeasyPrint, each
showing one fault; `assert_layout` holds issue 13's thresholds and is applied to the WIPO PDFs
built once by tests/report/render/test_pdf.py (`test_the_layout_check_passes`)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from weasyprint import HTML

from rbm.report.render import layout

# the text area of print.css (layout.Margins' default), running header and footer included
PAGE_CSS = """
@page { size: A4; margin: 20mm 15mm 18mm 15mm;
  @top-left { content: "Report title"; font-size: 7.5pt; vertical-align: bottom; }
  @bottom-center { content: "Page " counter(page); font-size: 7.5pt; } }
html { font-family: "Noto Sans CJK SC"; font-size: 9.5pt; line-height: 1.5; }
h1 { break-before: page; font-size: 17pt; }
h1:first-child { break-before: auto; }
"""
PARAGRAPH = "<p>" + "The programme delivered its expected results in full. " * 12 + "</p>"


def _pdf(tmp_path: Path, body: str, name: str = "tiny") -> Path:
    path = tmp_path / f"{name}.pdf"
    HTML(
        string=f"<html><head><style>{PAGE_CSS}</style></head><body>{body}</body></html>"
    ).write_pdf(path)
    return path


def assert_layout(path: Path) -> None:
    """Issue 13: no page under 25 % filled but a section's last, no text outside the text
    area, no table cell narrower than four characters, no chart taller than a page."""
    measured = layout.measure(path)
    findings = measured.findings()
    summary = (
        f"{path.name}: {len(measured.pages)} pages, {len(measured.underfilled)} under 25 % "
        f"filled, {len(measured.outside)} lines outside, {len(measured.narrow)} narrow cells, "
        f"{len(measured.tall)} tall charts"
    )
    assert findings == [], "\n".join([summary, *findings[:40]])


def test_fill_is_the_share_of_the_text_area_holding_content(tmp_path: Path) -> None:
    path = _pdf(tmp_path, "<h1>One</h1>" + PARAGRAPH * 7 + "<h1>Two</h1><p>Short.</p>")
    with pdfplumber.open(path) as pdf:
        full, short = pdf.pages[0], pdf.pages[-1]
        assert layout.fill(full, layout.text_area(full)) > 0.9
        assert layout.fill(short, layout.text_area(short)) < 0.1


def test_a_short_page_is_a_finding_unless_it_ends_a_top_level_section(tmp_path: Path) -> None:
    # page 2 ends section One (page 3 starts section Two), page 3 ends the document
    ends = _pdf(tmp_path, "<h1>One</h1>" + PARAGRAPH * 8 + "<h1>Two</h1><p>Short.</p>", "ends")
    measured = layout.measure(ends)
    assert len(measured.pages) == 3
    assert measured.pages[1].fill < 0.25 and measured.pages[1].section_end
    assert measured.underfilled == []
    # a forced break inside a section strands a page: a finding
    body = "<h1>One</h1><p>Alone on its page.</p><div style='break-before: page'>" + PARAGRAPH
    stranded = layout.measure(_pdf(tmp_path, body + "</div>", "stranded"))
    assert stranded.underfilled == [1]
    assert "p. 1: " in stranded.findings()[0]


def test_running_headers_are_not_text_outside_but_overflowing_text_is(tmp_path: Path) -> None:
    clean = layout.measure(_pdf(tmp_path, "<h1>One</h1>" + PARAGRAPH * 3, "clean"))
    assert clean.outside == []
    long_line = "<p style='white-space: nowrap'>" + "overflowing " * 40 + "</p>"
    wide = layout.measure(_pdf(tmp_path, "<h1>One</h1>" + PARAGRAPH + long_line, "wide"))
    assert len(wide.outside) == 1 and wide.outside[0][0] == 1
    assert "overflowing" in wide.outside[0][1]


def test_a_rating_stacked_one_character_a_line_is_a_narrow_cell(tmp_path: Path) -> None:
    def table(width: str) -> str:
        return (
            "<table style='table-layout: fixed; width: 100%; font-size: 8pt'>"
            f"<colgroup><col style='width: {width}'><col></colgroup>"
            "<tr><td>完全实现</td><td>绩效数据表明目标已经实现。</td></tr>"
            "<tr><td>部分实现</td><td>Performance data</td></tr></table>"
        )

    with pdfplumber.open(_pdf(tmp_path, table("1.2em"), "narrow")) as pdf:
        assert layout.narrow_cells(pdf.pages[0]) == ["完/全/实/现", "部/分/实/现"]
    with pdfplumber.open(_pdf(tmp_path, table("2.4em"), "two")) as pdf:
        assert layout.narrow_cells(pdf.pages[0]) == ["完全/实现", "部分/实现"]
    with pdfplumber.open(_pdf(tmp_path, table("30%"), "roomy")) as pdf:
        assert layout.narrow_cells(pdf.pages[0]) == []


def test_short_lines_of_a_paragraph_or_a_numeric_column_are_not_narrow_cells(
    tmp_path: Path,
) -> None:
    rows = "".join(
        f"<tr><td>Row {n}</td><td style='text-align: right'>{n}</td></tr>" for n in range(9)
    )
    body = f"<table style='width: 50%; font-size: 8pt'>{rows}</table><p>a<br>b<br>c</p>"
    with pdfplumber.open(_pdf(tmp_path, body, "numbers")) as pdf:
        # table rows sit further apart than the lines of one cell; the paragraph is no cell
        assert layout.narrow_cells(pdf.pages[0]) == []


def test_a_chart_taller_than_the_text_area_is_found(tmp_path: Path) -> None:
    def chart(height_mm: int) -> str:
        return (
            f"<figure><svg xmlns='http://www.w3.org/2000/svg' width='100mm' height='{height_mm}mm'>"
            "<rect x='0' y='0' width='50' height='100%' fill='#1f77b4'/></svg></figure>"
        )

    assert layout.measure(_pdf(tmp_path, chart(80), "small")).tall == []
    tall = layout.measure(_pdf(tmp_path, "<h1>One</h1>" + chart(400), "tall"))
    assert tall.tall and "leaves the text area" in tall.findings()[-1]


def test_section_starts_come_from_the_outline(tmp_path: Path) -> None:
    path = _pdf(tmp_path, "<h1>One</h1><h2>Sub</h2>" + PARAGRAPH * 8 + "<h1>Two</h1>", "outline")
    with pdfplumber.open(path) as pdf:
        assert layout.section_starts(pdf) == {1, 3}
        assert layout.section_starts(pdf, level=2) == {1, 3}


def test_the_table_prints_one_row_per_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _pdf(tmp_path, "<h1>One</h1>" + PARAGRAPH)
    assert layout.main([str(path)]) == 0
    head, row = capsys.readouterr().out.splitlines()
    assert head.split()[:2] == ["file", "pages"]
    assert row.split()[:6] == [str(path), "1", "0", "0", "0", "0"]


def test_a_pdf_without_an_outline_has_no_section_starts_but_its_last_page(tmp_path: Path) -> None:
    path = _pdf(tmp_path, "<p>Short.</p>", "plain")
    with pdfplumber.open(path) as pdf:
        assert layout.section_starts(pdf) == set()
    assert layout.measure(path).pages[0].section_end
