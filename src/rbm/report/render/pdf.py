"""The report as a PDF per language, `folder/report-<lang>.pdf`, drawn by WeasyPrint from the
same templates as the HTML site: `print.html` puts the cover, the table of contents and every
section into one document, styled by `print.css`:

- A4 pages, the cover without running headers;
- a table of contents whose page numbers come from CSS `target-counter`;
- running headers (report title, current section via `string-set`) and "page n of m" in the
  `@page` margin boxes, the label read from the catalogue;
- table headers repeated on every page (`thead` as `table-header-group`), rows never split,
  neither the first nor the last row (a total) left alone, notes and source kept with the
  table; tables in a fixed layout whose column widths `layout` estimates from the cells (a
  fast stand-in for the browser's automatic layout, which WeasyPrint computes slowly): every
  column at least four characters and its widest unbreakable piece wide, short texts (a
  rating) and the runs of a Chinese header between punctuation kept whole (`nobr` spans,
  since WeasyPrint has no `word-break: keep-all`); a table that does not fit is set in a
  smaller type, then on turned (landscape) pages with the paragraphs that introduce it;
- a tagged PDF/UA-1 (`PDF_VARIANT`): structure tree, /Lang from `<html lang>`, table header
  cells, charts as figures whose alternative text is the SVG's `<title>`;
- "Noto Sans CJK SC" named in the body, the margin boxes and on SVG text, so the font is
  embedded and Chinese text can be extracted (e.g. with pdftotext).

`html_document()` returns the HTML behind the PDF, to look at it in a browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from weasyprint import HTML

from rbm.domain.text import Lang, Text
from rbm.report.model import NumberFormat, Paragraph, ReportView, Section, TableView, Value
from rbm.report.render.html import environment, format_value

# East Asian wide characters: about twice as wide as a Latin letter, and a line may break
# between two of them.
WIDE = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60]"
)
# tagged (structure tree, /Lang, alternative texts) and identified as PDF/UA-1 in the XMP
PDF_VARIANT = "pdf/ua-1"
PORTRAIT_MM, LANDSCAPE_MM = 180, 267  # A4 less the page margins, upright and turned
SMALLER = (7.0, 6.5)  # type sizes a table may be set in to fit, in points
CELL_PADDING = 3.0  # in Latin letters: the cell padding and a margin for bold figures
# A text cell this short (a rating, a code, a yes/no) is kept on one line: in Chinese a
# line may otherwise break between any two characters and a narrow column stacks them.
SHORT = 12.0
# No column narrower than four characters (a Chinese character is two Latin letters).
LEAST: dict[str, float] = {"zh": 8.0}
LEAST_LATIN = 4.0
# Chinese headers break only after a space or closing punctuation, or before an opening
# one: the runs between are kept whole unless longer than this (then they may break).
HEADER_RUN = 20.0
LOOSE_RUN = 8.0  # ... or this, in a table too wide for a turned page otherwise
_BREAKS = re.compile(r"(?<=[\s，、；：。）》」』/])|(?=[（《「『])")
_HEAD_CELL = re.compile(r'(<th\b[^>]*\bscope="col(?:group)?"[^>]*>)([^<]+)(</th>)')
_TABLE = re.compile(r'id="tbl-([^"]+)".*?</table>', re.S)
_ROW_LABEL = re.compile(r'(<th\b[^>]*\bscope="row"[^>]*>)([^<]+)(?=<)')


def _font_pt(table: TableView) -> float:
    """The type size print.css gives a table: smaller as columns are added."""
    width = len(table.columns) + 1
    return 6.5 if width > 9 else 7.0 if width > 7 else 8.0


def _width(text: str) -> float:
    """The width of a text in Latin letters."""
    return sum(2.0 if WIDE.match(c) else 1.0 for c in text)


def _extent(text: str, breakable: bool = True) -> tuple[float, float]:
    """(widest unbreakable piece, whole line) of a text, in Latin letters."""
    whole = _width(text)
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


def header_runs(text: str) -> list[str]:
    """A header cut where a line may break: after spaces and closing punctuation, before
    opening punctuation: `"支出（不含项目）"` -> `["支出", "（不含项目）"]`."""
    return [run for run in _BREAKS.split(text) if run]


def _header_extent(text: str, run_limit: float = HEADER_RUN) -> tuple[float, float]:
    """(widest piece, whole) of a header: Chinese runs kept whole as `nobr` does."""
    if not WIDE.search(text):
        return _extent(text)
    if _width(text) <= SHORT:  # a short header on one line
        return _width(text), _width(text)
    pieces = [
        _width(run.strip()) if _width(run) <= run_limit else _extent(run)[0]
        for run in header_runs(text)
    ]
    return max(pieces, default=0.0), _width(text)


def _cell_extent(text: str, numeric: bool) -> tuple[float, float]:
    """(widest piece, whole) of a body cell: figures and short texts never break."""
    return _extent(text, not numeric and _width(text) > SHORT)


def _demands(
    table: TableView, lang: Lang, run_limit: float = HEADER_RUN
) -> tuple[list[float], list[float]]:
    """(least, most) width of the label column and each value column, in Latin letters:
    the widest unbreakable piece (four characters at least) and the longest line."""
    columns: list[list[tuple[float, float]]] = [[_header_extent(table.stub.get(lang), run_limit)]]
    for row in table.rows:
        piece, whole = _cell_extent(row.label.get(lang), False)
        indent = 3 * row.level + 2 * len(row.notes)  # the level's indent and the note marks
        columns[0].append((piece + indent, whole + indent))
    for index, column in enumerate(table.columns):
        numeric = column.format != "text"
        header = _header_extent(column.label.get(lang), run_limit)
        cells = [
            _cell_extent(format_value(row.values[index], column.format, lang), numeric)
            for row in table.rows
        ]
        columns.append([(header[0], header[0]), *cells])
    floor = LEAST.get(lang, LEAST_LATIN)
    least = [max(floor, *(piece for piece, _ in cells)) + CELL_PADDING for cells in columns]
    most = [
        max(max(line for _, line in cells) + CELL_PADDING, low)
        for cells, low in zip(columns, least, strict=True)
    ]
    return least, most


@dataclass(frozen=True)
class Layout:
    """How a table is set: its column widths (percent), type size and page orientation."""

    widths: list[float]
    font_pt: float
    landscape: bool
    header_run: float = HEADER_RUN  # the longest Chinese header run kept whole


def layout(table: TableView, lang: Lang) -> Layout:
    """The first setting in which every column gets its widest unbreakable piece: upright at
    the type size of the table's width class, upright in a smaller type (not below 6.5 pt),
    then on turned pages; the space left is shared in proportion to what each column's
    lines would need, as an automatic table layout would."""
    usual = _font_pt(table)
    sizes = sorted({usual, *(pt for pt in SMALLER if pt < usual)}, reverse=True)
    settings = [(PORTRAIT_MM, pt, HEADER_RUN) for pt in sizes]
    settings += [(LANDSCAPE_MM, pt, HEADER_RUN) for pt in sizes]
    settings.append((LANDSCAPE_MM, sizes[-1], LOOSE_RUN))
    for text_mm, pt, run_limit in settings:
        least, most = _demands(table, lang, run_limit)
        letters = text_mm / (pt * 0.3528 * 0.55)
        if sum(least) <= letters:
            break
    if sum(most) <= letters:
        widths = most
    elif sum(least) >= letters:
        widths = least
    else:
        spare = letters - sum(least)
        wanted = sum(m - low for m, low in zip(most, least, strict=True))
        widths = [low + spare * (m - low) / wanted for m, low in zip(most, least, strict=True)]
    total = sum(widths)
    return Layout([100 * w / total for w in widths], pt, text_mm == LANDSCAPE_MM, run_limit)


def column_widths(table: TableView, lang: Lang) -> list[float]:
    """Percentages of the table width for the label column and each value column (see
    `layout`)."""
    return layout(table, lang).widths


def _turned(section: Section, lang: Lang) -> set[int]:
    """The blocks of a section set on turned pages: its turned tables and the paragraphs
    right before each (they introduce it), so that no upright page is squeezed between."""
    turned: set[int] = set()
    for index, block in enumerate(section.blocks):
        if isinstance(block, TableView) and layout(block, lang).landscape:
            turned.add(index)
            before = index - 1
            while before >= 0 and isinstance(section.blocks[before], Paragraph):
                turned.add(before)
                before -= 1
    return turned


def layout_css(report: ReportView, lang: Lang) -> Markup:
    """CSS rules for what print.css cannot know: a table set in a smaller type, and the
    blocks on turned pages, named by their place in the section (`_partials/section.html`:
    the heading, then one element per block, two for a paragraph with a heading)."""
    rules: list[str] = []
    for section in report.walk():
        turned = _turned(section, lang)
        place = 1  # the section's heading
        if 0 in turned:
            rules.append(f"#{section.id} > :nth-child(1) {{ page: landscape; }}")
        for index, block in enumerate(section.blocks):
            first = place + 1
            place += 2 if isinstance(block, Paragraph) and block.heading is not None else 1
            if isinstance(block, TableView):
                setting = layout(block, lang)
                if setting.font_pt != _font_pt(block):
                    rules.append(
                        f"#tbl-{block.id} .report-table {{ font-size: {setting.font_pt}pt; }}"
                    )
            if index in turned:
                rules.extend(
                    f"#{section.id} > :nth-child({n}) {{ page: landscape; }}"
                    for n in range(first, place + 1)
                )
    return Markup("\n".join(rules))


def _nobr_label(match: re.Match[str]) -> str:
    """A short row label in a `nobr` span (see `SHORT`)."""
    opening, text = match.groups()
    if _width(text.strip()) > SHORT:
        return match.group(0)
    return f'{opening}<span class="nobr">{text}</span>'


def _nobr_header(match: re.Match[str], run_limit: float) -> str:
    """A column header with its Chinese runs in `nobr` spans (see `header_runs`)."""
    opening, text, closing = match.groups()
    if not WIDE.search(text):
        return match.group(0)
    if _width(text) <= SHORT:
        return f'{opening}<span class="nobr">{text}</span>{closing}'
    runs = [
        f'<span class="nobr">{run}</span>' if _width(run) <= run_limit else run
        for run in header_runs(text)
    ]
    return opening + "".join(runs) + closing


def print_hrefs(report: ReportView) -> dict[str, str]:
    """In the one-document print version every section is an anchor of the same file."""
    return {section.id: f"#{section.id}" for section in report.walk()}


def html_document(report: ReportView, lang: Lang, templates: Path | None = None) -> str:
    """The print HTML of the report in `lang`, as WeasyPrint reads it."""
    env = environment(lang, templates, print_hrefs(report), report)
    env.globals["column_widths"] = lambda table: column_widths(table, lang)
    env.globals["layout_css"] = layout_css(report, lang)
    site_cell = env.filters["cell"]

    def cell(value: Value, fmt: NumberFormat) -> Markup:
        """A body cell as the site prints it; a short text kept on one line."""
        shown: Markup = site_cell(value, fmt)
        if isinstance(value, Text) and _width(value.get(lang)) <= SHORT:
            return Markup('<span class="nobr">{}</span>').format(shown)
        return shown

    env.filters["cell"] = cell
    document = env.get_template("print.html").render(report=report)
    limits = {table.id: layout(table, lang).header_run for table in report.tables()}

    def headers(match: re.Match[str]) -> str:
        """One table's column headers, their runs kept as its layout says."""
        limit = limits.get(match.group(1), HEADER_RUN)
        return _HEAD_CELL.sub(lambda cell: _nobr_header(cell, limit), match.group(0))

    document = _TABLE.sub(headers, document)
    return _ROW_LABEL.sub(_nobr_label, document)


def write(
    report: ReportView, folder: Path, lang: Lang = "zh", templates: Path | None = None
) -> list[Path]:
    """Write `folder/report-<lang>.pdf`, tagged as PDF/UA-1; returns the file written."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"report-{lang}.pdf"
    document = HTML(string=html_document(report, lang, templates), base_url=str(folder))
    document.write_pdf(target, pdf_variant=PDF_VARIANT)
    return [target]
