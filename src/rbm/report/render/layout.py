"""The layout check of a built PDF: it measures every page and says what a publications office
would send back. Per page:

- **fill**: the share of the text area's height that holds content (characters, rules,
  rectangles, curves, images), gaps under `CLOSE` points counted as filled; a page under
  `MIN_FILL` is a finding unless it is the last page of a top-level section (the page before
  a level-1 bookmark of the PDF outline) or of the document;
- **text outside**: characters that leave the page box or the text area, the running headers
  and footers excepted (margin text on a line that recurs on at least half of the pages);
- **narrow cells**: a table cell narrower than four characters, seen from the text layout as a
  stack of at least `STACK` lines in one column, each under four characters, a line apart,
  with another cell beside it (e.g. "完/全/实/现"): a cell wraps only when it is full, so two
  such lines show that it holds fewer than four characters a line;
- **tall charts**: a drawing (curves, rectangles, images) that crosses the top or bottom
  edge of the text area or leaves the page, or an image taller than the text area.

The page is read with pdfplumber (pdfminer.six); the text area is the page less `Margins`,
by default those of print.css. `python -m rbm.report.render.layout FILE...` prints a table
(`make layout`).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFNoOutlines
from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfplumber.page import Page
from pdfplumber.pdf import PDF

MM = 72 / 25.4  # points in a millimetre
MIN_FILL = 0.25
CLOSE = 28.0  # points: a gap under about 10 mm (a heading's margins) still reads as filled
TOLERANCE = 1.0  # points: glyph boxes may touch an edge
STACK = 2  # lines: two wrapped lines under four characters each prove the cell narrow
NARROW = 4  # characters: a cell line holding fewer than this many is a narrow cell
PITCH = 1.6  # line pitch (in font sizes) under which two lines belong to one cell

Object = dict[str, Any]
Key = tuple[str, int]  # ("top" | "bottom", distance from that page edge, in points)


@dataclass(frozen=True)
class Margins:
    """Page margins in points, as `@page { margin }` sets them."""

    top: float = 20 * MM
    right: float = 15 * MM
    bottom: float = 18 * MM
    left: float = 15 * MM


@dataclass(frozen=True)
class Box:
    """A rectangle in pdfplumber's coordinates (from the page's top-left corner, in points)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class PageLayout:
    """What one page measures."""

    number: int  # from 1
    fill: float  # share of the text area's height, 0 to 1
    section_end: bool  # the last page of a top-level section, or of the document
    outside: tuple[str, ...] = ()  # the characters outside, a line of text each
    narrow: tuple[str, ...] = ()  # the narrow cells, e.g. "完/全/实/现"
    tall: int = 0  # drawings out of the text area

    @property
    def underfilled(self) -> bool:
        """Below `MIN_FILL` and not the end of a section: a finding."""
        return self.fill < MIN_FILL and not self.section_end


@dataclass(frozen=True)
class Layout:
    """The measures of a whole PDF."""

    path: Path
    pages: tuple[PageLayout, ...] = field(default_factory=tuple)

    @property
    def underfilled(self) -> list[int]:
        return [p.number for p in self.pages if p.underfilled]

    @property
    def outside(self) -> list[tuple[int, str]]:
        return [(p.number, text) for p in self.pages for text in p.outside]

    @property
    def narrow(self) -> list[tuple[int, str]]:
        return [(p.number, text) for p in self.pages for text in p.narrow]

    @property
    def tall(self) -> list[int]:
        return [p.number for p in self.pages if p.tall]

    def findings(self) -> list[str]:
        """One line per finding, for an assertion message or the console."""
        lines = [f"p. {n}: {100 * self.pages[n - 1].fill:.1f} % filled" for n in self.underfilled]
        lines += [f"p. {n}: text outside the text area: {text}" for n, text in self.outside]
        lines += [f"p. {n}: narrow cell: {text}" for n, text in self.narrow]
        lines += [f"p. {n}: a drawing leaves the text area" for n in self.tall]
        return lines


def text_area(page: Page, margins: Margins = Margins()) -> Box:
    """The page less its margins."""
    return Box(
        margins.left,
        margins.top,
        float(page.width) - margins.right,
        float(page.height) - margins.bottom,
    )


def _box(obj: Object) -> Box:
    return Box(float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def _graphics(page: Page) -> list[Object]:
    return [*page.rects, *page.lines, *page.curves, *page.images]


def fill(page: Page, area: Box, close: float = CLOSE) -> float:
    """The share of the text area's height covered by content, gaps under `close` filled."""
    spans = []
    for obj in [*page.chars, *_graphics(page)]:
        box = _box(obj)
        top, bottom = max(box.top, area.top), min(box.bottom, area.bottom)
        if bottom > top or (bottom == top and area.top < top < area.bottom):
            spans.append((top, bottom))
    covered = 0.0
    start = end = None
    for top, bottom in sorted(spans):
        if start is None or end is None or top - end > close:
            covered += 0.0 if start is None or end is None else end - start
            start, end = top, bottom
        else:
            end = max(end, bottom)
    if start is not None and end is not None:
        covered += end - start
    return covered / area.height if area.height > 0 else 0.0


def _margin_key(char: Object, page: Page, area: Box) -> Key | None:
    """Where a character lying wholly in the top or bottom margin sits, measured from the
    nearer page edge (landscape pages are shorter), or None."""
    box = _box(char)
    if not (area.x0 - TOLERANCE <= box.x0 and box.x1 <= area.x1 + TOLERANCE):
        return None
    middle = (box.top + box.bottom) / 2
    if box.top >= 0 and box.bottom <= area.top + TOLERANCE:
        return ("top", round(middle))
    if box.top >= area.bottom - TOLERANCE and box.bottom <= float(page.height):
        return ("bottom", round(float(page.height) - middle))
    return None


def _strays(page: Page, area: Box) -> list[tuple[Object, Key | None]]:
    """The characters not wholly inside the text area, each with its margin line (None for
    one that leaves the page or straddles an edge of the text area)."""
    out = []
    for char in page.chars:
        if not str(char["text"]).strip():
            continue
        box = _box(char)
        inside = area.x0 - TOLERANCE <= box.x0 and box.x1 <= area.x1 + TOLERANCE
        inside = inside and area.top - TOLERANCE <= box.top
        if inside and box.bottom <= area.bottom + TOLERANCE:
            continue
        out.append((char, _margin_key(char, page, area)))
    return out


def _bands(keys: Sequence[set[Key]]) -> set[Key]:
    """The margin lines found on at least half of the pages that have margin text."""
    counts: Counter[Key] = Counter()
    for page_keys in keys:
        counts.update(page_keys)
    with_text = sum(1 for page_keys in keys if page_keys)
    return {key for key, n in counts.items() if 2 * n >= with_text}


def furniture(pages: Sequence[Page], margins: Margins = Margins()) -> set[Key]:
    """The margin lines of running headers and footers: those found on at least half of the
    pages that have margin text."""
    keys = []
    for page in pages:
        strays = _strays(page, text_area(page, margins))
        keys.append({key for _, key in strays if key is not None})
    return _bands(keys)


def _is_furniture(key: Key | None, bands: set[Key]) -> bool:
    """Glyphs of one line differ by a point or two (Latin and CJK boxes), hence the slack."""
    return key is not None and any((key[0], key[1] + shift) in bands for shift in (-2, -1, 0, 1, 2))


def _lines(chars: Iterable[Object]) -> list[str]:
    """The characters as text, one string per line (by their top, to the point)."""
    rows: dict[int, list[Object]] = {}
    for char in chars:
        rows.setdefault(round(float(char["top"])), []).append(char)
    return [
        "".join(str(c["text"]) for c in sorted(row, key=lambda c: float(c["x0"]))).strip()
        for _, row in sorted(rows.items())
    ]


def _outside(strays: list[tuple[Object, Key | None]], bands: set[Key]) -> list[str]:
    return [line for line in _lines(c for c, k in strays if not _is_furniture(k, bands)) if line]


def outside_text(page: Page, area: Box, bands: set[Key] | None = None) -> list[str]:
    """The lines of characters that leave the page box or the text area, except the running
    headers and footers (`bands`, from `furniture`)."""
    return _outside(_strays(page, area), bands or set())


@dataclass
class _Segment:
    """Words of one line of one cell (next to each other, a space apart at most)."""

    x0: float
    x1: float
    top: float
    size: float
    text: str

    @property
    def length(self) -> int:
        return sum(1 for c in self.text if not c.isspace())


def _segments(page: Page) -> list[_Segment]:
    words = page.extract_words(extra_attrs=["size"], keep_blank_chars=False)
    words.sort(key=lambda w: (round(float(w["top"])), float(w["x0"])))
    segments: list[_Segment] = []
    for word in words:
        size = float(word["size"])
        last = segments[-1] if segments else None
        if (
            last is not None
            and abs(last.top - float(word["top"])) < TOLERANCE
            and abs(last.size - size) < 0.1
            and 0 <= float(word["x0"]) - last.x1 < 0.6 * size
        ):
            last.x1 = float(word["x1"])
            last.text += " " + str(word["text"])
            continue
        segments.append(
            _Segment(float(word["x0"]), float(word["x1"]), float(word["top"]), size, word["text"])
        )
    return segments


def _beside(run: list[_Segment], segments: list[_Segment]) -> bool:
    """Whether another cell of the row stands beside the stack, level with one of its lines
    (cells align at the top, the middle or the bottom of a row). Lines broken on purpose (a
    paragraph, a chart legend) stand alone."""
    left, right = min(s.x0 for s in run), max(s.x1 for s in run)
    return any(
        (s.x1 <= left or s.x0 >= right)
        and run[0].top - TOLERANCE <= s.top <= run[-1].top + TOLERANCE
        for s in segments
    )


def narrow_cells(page: Page, stack: int = STACK) -> list[str]:
    """Cells narrower than `NARROW` characters: at least `stack` lines aligned on one edge,
    a line apart, each holding fewer than `NARROW` characters, with another cell beside them;
    shown as "完/全/实/现"."""
    every = _segments(page)
    segments = [s for s in every if s.length < NARROW]
    found: list[list[_Segment]] = []
    seen: set[int] = set()
    for edge in ("x0", "x1"):
        columns: dict[int, list[_Segment]] = {}
        for segment in segments:
            columns.setdefault(round(getattr(segment, edge)), []).append(segment)
        for column in columns.values():
            column.sort(key=lambda s: s.top)
            run: list[_Segment] = []
            for segment in column:
                if run and (
                    abs(segment.size - run[-1].size) > 0.1
                    or not 0.9 * segment.size <= segment.top - run[-1].top <= PITCH * segment.size
                ):
                    if len(run) >= stack:
                        found.append(run)
                    run = []
                run.append(segment)
            if len(run) >= stack:
                found.append(run)
    out = []
    for run in sorted(found, key=lambda r: (r[0].top, r[0].x0)):
        ids = {id(s) for s in run}
        if ids & seen or not _beside(run, every):
            continue
        seen |= ids
        out.append("/".join(s.text for s in run))
    return out


def tall_charts(page: Page, area: Box) -> int:
    """Drawings that cross the top or bottom edge of the text area or leave the page, or
    images taller than the text area (0 or 1: one per page is enough to say so). A drawing
    wholly in a margin (a rule under the running header) is page furniture, not a chart."""
    height = float(page.height)
    for obj in _graphics(page):
        box = _box(obj)
        if box.height > area.height + TOLERANCE:
            return 1
        if box.top < -TOLERANCE or box.bottom > height + TOLERANCE:
            return 1
        for edge in (area.top, area.bottom):
            if box.top < edge - TOLERANCE and box.bottom > edge + TOLERANCE:
                return 1
    return 0


def section_starts(pdf: PDF, level: int = 1) -> set[int]:
    """The page numbers (from 1) where the outline's entries of `level` or above point."""
    numbers = {page.page_obj.pageid: page.page_number for page in pdf.pages}
    starts: set[int] = set()
    try:
        outlines = list(pdf.doc.get_outlines())
    except PDFNoOutlines:
        return starts
    for depth, _title, dest, action, _se in outlines:
        if depth > level:
            continue
        target = resolve1(dest) if dest is not None else None
        if target is None and action is not None:
            target = resolve1(resolve1(action).get("D"))
        if isinstance(target, dict):
            target = resolve1(target.get("D"))
        if isinstance(target, list) and target and isinstance(target[0], PDFObjRef):
            number = numbers.get(target[0].objid)
            if number is not None:
                starts.add(number)
    return starts


SECTION_LEVEL = 3  # a part, a section in it (a dashboard, a project report) or a table in that


def measure(path: Path, margins: Margins = Margins(), section_level: int = SECTION_LEVEL) -> Layout:
    """Measure every page of a PDF, reading it once (the margin lines that are running
    headers and footers are known only at the end); a page may be short when the next one
    starts an outline entry of `section_level` or above (the layout started it on a page of
    its own, or it did not fit)."""
    with pdfplumber.open(path) as pdf:
        starts = section_starts(pdf, section_level)
        total = len(pdf.pages)
        measured = []
        strays = []
        for page in pdf.pages:
            area = text_area(page, margins)
            number = page.page_number
            strays.append(_strays(page, area))
            measured.append(
                PageLayout(
                    number=number,
                    fill=fill(page, area),
                    section_end=number == total or number + 1 in starts,
                    narrow=tuple(narrow_cells(page)),
                    tall=tall_charts(page, area),
                )
            )
            page.close()  # pdfplumber keeps each page's objects: free them as we go
    bands = _bands([{k for _, k in page if k is not None} for page in strays])
    return Layout(
        path,
        tuple(
            replace(page, outside=tuple(_outside(chars, bands)))
            for page, chars in zip(measured, strays, strict=True)
        ),
    )


def table(layouts: Sequence[Layout]) -> str:
    """The numbers of each PDF, one row each."""
    head = ("file", "pages", "under 25%", "text outside", "narrow cells", "tall charts")
    rows = [head] + [
        (
            str(layout.path),
            str(len(layout.pages)),
            str(len(layout.underfilled)),
            str(len(layout.outside)),
            str(len(layout.narrow)),
            str(len(layout.tall)),
        )
        for layout in layouts
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table for the PDFs named, and with `-v` every finding."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args
    layouts = [measure(Path(a)) for a in args if a != "-v"]
    print(table(layouts))
    if verbose:
        for layout in layouts:
            for line in layout.findings():
                print(f"{layout.path}: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
