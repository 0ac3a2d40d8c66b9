"""The report as a static HTML site, one folder per language:

    folder/zh/index.html        cover and table of contents (every page and section)
    folder/zh/overview.html     one page per top-level section, named by its id
    folder/zh/report.css        the only stylesheet; no script, no network at view time

Every page links to the same page in the report's other languages. Templates live in
`rbm/report/templates` (`base.html`, `index.html`, `page.html`, `print.html` and the
`_partials/` for section, table, chart, paragraph and toc); a folder passed as `templates`
is searched first, so a file of the same name there overrides the shipped one.

The headings are the page's outline, with no level skipped: the page title is `h1`, each
section a heading at its depth, and one level below a section's heading come its narrative
subheadings and the title of each of its tables and charts, a heading inside the `<caption>`
or `<figcaption>` (the caption still names the table, the title is printed once), so a
screen reader's list of headings reaches every table and chart. The PDF keeps this outline.

Numbers print as the source does (`format_value`): thousands separators, half-up rounding,
negatives in parentheses, "-" for nil, percentages as "90%", with the decimal mark and digit
grouping of the page's language. A text with no translation into the page's language shows
its first language inside `<span lang="…">`, so readers (and screen readers) know it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup, escape

from rbm.domain.money import round_half_up
from rbm.domain.text import Lang, Text
from rbm.i18n import language_name, languages, localized, t
from rbm.report.model import (
    ChartView,
    NumberFormat,
    Paragraph,
    ReportView,
    Section,
    TableView,
    Value,
)
from rbm.report.render import charts

NIL = "-"
NIL_CELL = Markup('<span class="nil">{}</span>').format(NIL)  # made once: tables hold thousands
# the script is part of a Chinese page's language tag (screen readers pick the voice by it)
HTML_LANG: dict[Lang, str] = {"zh": "zh-Hans"}
PLACES: dict[NumberFormat, int] = {
    "integer": 0,
    "decimal1": 1,
    "decimal2": 2,
    "percent": 0,
    "percent1": 1,
}
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def format_value(value: Value, fmt: NumberFormat, lang: Lang) -> str:
    """A cell as printed: `format_value(Decimal("-1234.5"), "integer", "en") == "(1,235)"`,
    `format_value(Decimal("-0.5"), "percent1", "zh") == "-0.5%"`; nil and zero amounts
    print "-"."""
    if value is None:
        return NIL
    if isinstance(value, Text):
        return value.get(lang)
    places = PLACES.get(fmt, max(0, -int(value.as_tuple().exponent)))
    rounded = round_half_up(value, places)
    if rounded == 0 and fmt in ("integer", "decimal1", "decimal2"):
        return NIL  # the source prints nil amounts as "-"
    body = localized(f"{abs(rounded):,.{places}f}", lang)
    if fmt in ("percent", "percent1"):  # a negative share has a minus sign, as in the XLSX
        return f"-{body}%" if rounded < 0 else f"{body}%"
    return f"({body})" if rounded < 0 else body


def html_lang(lang: Lang) -> str:
    """The language tag of a page or span in `lang`."""
    return HTML_LANG.get(lang, lang)


def untranslated(text: Text, lang: Lang) -> bool:
    """True when a page in `lang` shows another language's text because `lang` has none."""
    return bool(text) and not text.exact(lang)


def page_name(section: Section) -> str:
    """The file of a top-level section: its id, made safe for a file name (never the index)."""
    stem = _UNSAFE.sub("-", section.id).strip(".-") or "section"
    return f"section-{stem}.html" if stem == "index" else f"{stem}.html"


@dataclass(frozen=True)
class Page:
    """A page of the site: the top-level section it shows (None for the index)."""

    name: str
    title: Text
    section: Section | None = None
    top: bool = True  # listed in the site navigation (the index and the top-level sections)


def pages(report: ReportView) -> list[Page]:
    """The index, then each top-level section and each section marked `page`, in order."""
    found = [Page("index.html", report.title)]
    for top in report.sections:
        found.extend(
            Page(page_name(s), s.title, s, s is top) for s in top.walk() if s is top or s.page
        )
    return found


def site_hrefs(report: ReportView) -> dict[str, str]:
    """Where each section is in the site: its page, or an anchor on the page that holds it."""
    hrefs: dict[str, str] = {}

    def place(section: Section, page: str, is_page: bool) -> None:
        hrefs[section.id] = page if is_page else f"{page}#{section.id}"
        for child in section.children:
            if child.page:
                place(child, page_name(child), True)
            else:
                place(child, page, False)

    for top in report.sections:
        place(top, page_name(top), True)
    return hrefs


def environment(
    lang: Lang,
    templates: Path | None = None,
    hrefs: dict[str, str] | None = None,
    report: ReportView | None = None,
) -> Environment:
    """The Jinja environment of one language: the user's folder first, then the shipped
    templates; `_()` reads the catalogue, filters format texts, cells and charts. With a
    `report`, pages link to its other languages and cite its sources as it does."""
    langs: Sequence[Lang] = report.langs if report is not None else ()
    loaders: list[FileSystemLoader | PackageLoader] = []
    if templates is not None:
        loaders.append(FileSystemLoader(str(templates)))
    loaders.append(PackageLoader("rbm.report", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    others = [code for code in langs or languages() if code != lang]
    env.globals.update(
        _=lambda key, **params: t(key, lang, **params),
        lang=lang,
        html_lang=html_lang(lang),
        others=[(code, html_lang(code), language_name(code, code)) for code in others],
        hrefs=hrefs or {},
        split_pages=False,
        kind=_kind,
        shows_unit=_shows_unit,
        heading=lambda level: f"h{min(max(level, 1), 6)}",
        numeric=lambda column: column.format != "text",
        source=lambda table: _source(table, lang, report),
    )
    env.filters.update(
        tx=lambda text: _tx(text, lang),
        plain=lambda text: text.get(lang),
        cell=lambda value, fmt: _cell(value, fmt, lang),
        svg=lambda chart: Markup(charts.svg(chart, lang)),
        css_string=_css_string,
        css_content=_css_content,
    )
    return env


def write(
    report: ReportView, folder: Path, lang: Lang = "zh", templates: Path | None = None
) -> list[Path]:
    """Write the site of one language into `folder/<lang>/`; returns the files written."""
    target = folder / lang
    target.mkdir(parents=True, exist_ok=True)
    env = environment(lang, templates, site_hrefs(report), report)
    env.globals["split_pages"] = True
    site = pages(report)
    css = target / "report.css"
    css.write_text(env.get_template("report.css").render(), encoding="utf-8")
    written = [css]
    for index, page in enumerate(site):
        template = env.get_template("index.html" if page.section is None else "page.html")
        html = template.render(
            report=report,
            page=page,
            pages=site,
            previous=site[index - 1] if index > 0 else None,
            next=site[index + 1] if index + 1 < len(site) else None,
        )
        path = target / page.name
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written


def _kind(block: TableView | ChartView | Paragraph) -> str:
    if isinstance(block, TableView):
        return "table"
    if isinstance(block, ChartView):
        return "chart"
    return "paragraph"


def _tx(text: Text, lang: Lang) -> Markup:
    if untranslated(text, lang):
        return Markup('<span lang="{}">{}</span>').format(html_lang(text.langs[0]), text.first)
    return escape(text.get(lang))


def _cell(value: Value, fmt: NumberFormat, lang: Lang) -> Markup:
    if isinstance(value, Text):
        return _tx(value, lang)
    if value is None:
        return NIL_CELL
    return escape(format_value(value, fmt, lang))


def _shows_unit(table: TableView, lang: Lang) -> bool:
    """A unit made only of dashes (tables of texts) is not printed."""
    return bool(table.unit.get(lang).strip("—–- "))


def _source(table: TableView, lang: Lang, report: ReportView | None) -> Markup:
    """ "Source: <source>", as the report cites it in `lang` (marked class="source"; an id
    cited in the package's first language is marked as such)."""
    cited = report.cite(table.source, lang) if report is not None else table.source
    first = report.langs[0] if report is not None else lang
    marked = (
        Markup(' lang="{}"').format(html_lang(first))
        if lang != first and cited == table.source
        else ""
    )
    span = Markup('<span class="source"{}>{}</span>').format(marked, cited)
    return Markup(escape(t("report.html.source", lang))).format(source=span)


def _css_string(value: str) -> Markup:
    return Markup('"{}"').format(value.replace("\\", "\\\\").replace('"', '\\"'))


def _css_content(template: str, counters: dict[str, str]) -> Markup:
    """A catalogue text with {placeholders} as a CSS `content` value: "Page {page}" with
    {"page": "counter(page)"} gives `"Page " counter(page)`."""
    parts: list[str] = []
    for piece in re.split(r"(\{[a-z_]+\})", template):
        name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if name in counters:
            parts.append(counters[name])
        elif piece:
            parts.append(str(_css_string(piece)))
    return Markup(" ".join(parts) or '""')
