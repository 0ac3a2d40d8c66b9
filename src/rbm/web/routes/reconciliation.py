"""Reconciliation: every check the engine ran on the published figures, as `rbm reconcile`
presents them (the counts line, one table per class, the same catalogue messages), filtered
by class (real differences unless asked) and by source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from rbm.domain.money import unit_label
from rbm.domain.text import Lang, Text
from rbm.engine.reconcile.describe import describe, number_text, side_text
from rbm.engine.reconcile.findings import Finding, FindingClass, Side
from rbm.i18n import keys, t, text
from rbm.report.render.tables_json import number
from rbm.web.auth import SignedIn
from rbm.web.filters import Option, checked, options_dict
from rbm.web.language import language
from rbm.web.render import page
from rbm.web.representations import cached_json
from rbm.web.state import Current, Snapshot

router = APIRouter()

ALL = "all"
ORDER = (FindingClass.DIFFERENCE, FindingClass.ROUNDING, FindingClass.EXACT)
_SPLIT = re.compile(r", | ÷ ")


def side_sources(side: Side) -> list[str]:
    """The source ids a side cites: "A, B" and "A ÷ A" name each one."""
    return [s for s in _SPLIT.split(side.source) if s]


def finding_sources(finding: Finding) -> set[str]:
    return {*side_sources(finding.left), *side_sources(finding.right)}


@dataclass(frozen=True)
class FindingSelection:
    klass: str  # a FindingClass value, or "all"
    source: str | None
    options: dict[str, list[Option]]
    findings: tuple[Finding, ...]

    def by_class(self) -> list[tuple[FindingClass, list[Finding]]]:
        """The selected findings grouped by class, real differences first."""
        groups = [(k, [f for f in self.findings if f.klass == k]) for k in ORDER]
        return [(k, found) for k, found in groups if found]


def finding_options(snap: Snapshot) -> dict[str, list[Option]]:
    titles = {s.id: s.title for s in snap.dataset.sources}
    rank = {s.id: i for i, s in enumerate(snap.dataset.sources)}
    cited = set().union(*(finding_sources(f) for f in snap.reconciliation.findings))
    return {
        "klass": [Option(k.value, text(f"web.reconciliation.class.{k.value}")) for k in ORDER]
        + [Option(ALL, text("web.reconciliation.class.all"))],
        "source": [
            Option(s, titles[s].prefixed(f"{s} ")) if s in titles else Option(s, Text.plain(s))
            for s in sorted(cited, key=lambda s: (rank.get(s, len(rank)), s))
        ],
    }


def finding_filters(
    klass: Annotated[
        str | None,
        Query(
            alias="class",
            max_length=20,
            description="exact, rounding, difference (the default) or all",
        ),
    ] = None,
    source: Annotated[
        str | None, Query(max_length=100, description="a source id either side cites")
    ] = None,
) -> tuple[str | None, str | None]:
    """The class and source as given, checked against the findings by `select_findings`."""
    return klass, source


Filters = Annotated[tuple[str | None, str | None], Depends(finding_filters)]


def select_findings(snap: Snapshot, given: tuple[str | None, str | None]) -> FindingSelection:
    klass, source = given
    options = finding_options(snap)
    chosen = checked("class", klass, options["klass"]) or FindingClass.DIFFERENCE.value
    cited = checked("source", source, options["source"])
    findings = tuple(
        f
        for f in snap.reconciliation.findings
        if (chosen == ALL or f.klass.value == chosen)
        and (cited is None or cited in finding_sources(f))
    )
    return FindingSelection(chosen, cited, options, findings)


def finding_selection(snap: Current, given: Filters) -> FindingSelection:
    return select_findings(snap, given)


Selection = Annotated[FindingSelection, Depends(finding_selection)]


def check_label(check: str, lang: Lang) -> str:
    key = f"check.{check}"
    return t(key, lang) if key in keys(lang) else check


@dataclass(frozen=True)
class FindingRow:
    """A finding in the reader's language, as the command line's table shows it."""

    check: str
    what: str
    left: str
    right: str
    difference: str


def finding_row(snap: Snapshot, finding: Finding, lang: Lang) -> FindingRow:
    unit = unit_label(finding.unit, snap.dataset.biennium.currency)
    return FindingRow(
        check_label(finding.check, lang),
        describe(snap.dataset, finding.subject, lang),
        side_text(finding.left, unit),
        side_text(finding.right, unit),
        number_text(finding.difference),
    )


@router.get("/reconciliation", include_in_schema=False)
def reconciliation_page(
    request: Request, user: SignedIn, snap: Current, selection: Selection
) -> Response:
    lang = language(request)
    groups = [(k, [finding_row(snap, f, lang) for f in found]) for k, found in selection.by_class()]
    query = request.url.query
    return page(
        request,
        "web/reconciliation.html",
        selection=selection,
        summary=snap.reconciliation.summary(),
        unchecked=snap.reconciliation.unchecked,
        groups=groups,
        api_href="/api/reconciliation" + (f"?{query}" if query else ""),
    )


def _side_json(side: Side) -> dict[str, Any]:
    return {"value": number(side.value), "source": side.source, "how": side.how, "ref": side.ref}


def finding_json(snap: Snapshot, finding: Finding, lang: Lang) -> dict[str, Any]:
    """A finding as `rbm reconcile --format json` gives it, with its check and subject in
    words."""
    return {
        "check": finding.check,
        "check_label": check_label(finding.check, lang),
        "subject": finding.subject,
        "what": describe(snap.dataset, finding.subject, lang),
        "left": _side_json(finding.left),
        "right": _side_json(finding.right),
        "difference": number(finding.difference),
        "unit": unit_label(finding.unit, snap.dataset.biennium.currency),
        "class": finding.klass.value,
        "params": finding.params,
    }


@router.get("/api/reconciliation", response_model=dict[str, Any])
def reconciliation_api(request: Request, user: SignedIn, snap: Current, given: Filters) -> Response:
    """Reconciliation findings: every published total and percentage recomputed and every
    figure two sources give compared; `class` selects exact, rounding, difference (the
    default) or all, `source` the findings that cite a source."""
    lang = language(request)
    return cached_json(
        request, snap, lambda: _findings_dict(snap, select_findings(snap, given), lang)
    )


def _findings_dict(snap: Snapshot, selection: FindingSelection, lang: Lang) -> dict[str, Any]:
    summary = snap.reconciliation.summary()
    return {
        "summary": summary,
        "summary_text": t("reconcile.summary", lang, **summary),
        "filters": {"class": selection.klass, "source": selection.source},
        "count": len(selection.findings),
        "findings": [finding_json(snap, f, lang) for f in selection.findings],
        "unchecked": list(snap.reconciliation.unchecked),
        "options": {
            "class": options_dict(selection.options["klass"]),
            "source": options_dict(selection.options["source"]),
        },
    }
