"""The report as a PDF per language, `folder/report-<lang>.pdf`, drawn by WeasyPrint from the
same templates as the HTML site: `print.html` puts the cover, the table of contents and every
section into one document, styled by `print.css`:

- A4 pages, the cover without running headers;
- a table of contents whose page numbers come from CSS `target-counter`;
- running headers (report title, current section via `string-set`) and "page n of m" in the
  `@page` margin boxes, the label read from the catalogue;
- table headers repeated on every page (`thead` as `table-header-group`), rows never split;
  tables in a fixed layout whose column widths `column_widths` estimates from the cells
  (a fast stand-in for the browser's automatic layout, which WeasyPrint computes slowly),
  tables of more than seven columns in a smaller type, so none is clipped;
- "Noto Sans CJK SC" named in the body, the margin boxes and on SVG text, so the font is
  embedded and Chinese text can be extracted (e.g. with pdftotext).

`html_document()` returns the HTML behind the PDF, to look at it in a browser.
"""

from __future__ import annotations

import re
from pathlib import Path

from weasyprint import HTML

from rbm.domain.text import Lang
from rbm.report.model import ReportView, TableView
from rbm.report.render.html import environment, format_value

# East Asian wide characters: about twice as wide as a Latin letter, and a line may break
# between two of them.
WIDE = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60]"
)
TEXT_WIDTH_MM = 180  # A4 less the page margins
CELL_PADDING = 3.0  # in Latin letters: the cell padding and a margin for bold figures


def _font_pt(table: TableView) -> float:
    """The type size print.css gives a table: smaller as columns are added."""
    width = len(table.columns) + 1
    return 6.5 if width > 9 else 7.0 if width > 7 else 8.0


def _extent(text: str, breakable: bool = True) -> tuple[float, float]:
    """(widest unbreakable piece, whole line) of a text, in Latin letters."""
    whole = sum(2.0 if WIDE.match(c) else 1.0 for c in text)
    if not breakable:
        return whole, whole
    widest = run = 0.0
    for char in text:
        if char.isspace() or WIDE.match(char):
            widest, run = max(widest, run), 0.0
            if not char.isspace():
                widest = max(widest, 2.0)
        else:
            run += 1.0
    return max(widest, run), whole


def column_widths(table: TableView, lang: Lang) -> list[float]:
    """Percentages of the table width for the label column and each value column, as an
    automatic table layout would share them: every column at least as wide as its widest
    word, the rest shared in proportion to how much each column's lines would need."""
    columns: list[list[tuple[float, float]]] = [[_extent(table.stub.get(lang))]]
    columns[0] += [
        _extent(r.label.get(lang) + " " * 3 * r.level + " a" * len(r.notes)) for r in table.rows
    ]
    for index, column in enumerate(table.columns):
        numeric = column.format != "text"
        header = _extent(column.label.get(lang))
        cells = [
            _extent(format_value(row.values[index], column.format, lang), not numeric)
            for row in table.rows
        ]
        columns.append([(header[0], header[0]), *cells])
    least = [max(piece for piece, _ in cells) + CELL_PADDING for cells in columns]
    most = [
        max(max(line for _, line in cells) + CELL_PADDING, low)
        for cells, low in zip(columns, least, strict=True)
    ]
    letters = TEXT_WIDTH_MM / (_font_pt(table) * 0.3528 * 0.55)
    if sum(most) <= letters or sum(least) >= letters:
        widths = most if sum(most) <= letters else least
    else:
        spare, wanted = (
            letters - sum(least),
            sum(m - low for m, low in zip(most, least, strict=True)),
        )
        widths = [low + spare * (m - low) / wanted for m, low in zip(most, least, strict=True)]
    total = sum(widths)
    return [100 * w / total for w in widths]


def print_hrefs(report: ReportView) -> dict[str, str]:
    """In the one-document print version every section is an anchor of the same file."""
    return {section.id: f"#{section.id}" for section in report.walk()}


def html_document(report: ReportView, lang: Lang, templates: Path | None = None) -> str:
    """The print HTML of the report in `lang`, as WeasyPrint reads it."""
    env = environment(lang, templates, print_hrefs(report), report)
    env.globals["column_widths"] = lambda table: column_widths(table, lang)
    return env.get_template("print.html").render(report=report)


def write(
    report: ReportView, folder: Path, lang: Lang = "zh", templates: Path | None = None
) -> list[Path]:
    """Write `folder/report-<lang>.pdf`; returns the file written."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"report-{lang}.pdf"
    document = HTML(string=html_document(report, lang, templates), base_url=str(folder))
    document.write_pdf(target)
    return [target]
