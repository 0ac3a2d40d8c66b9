"""The results framework drill-down; with it, the PIE pages and the work queue
(`rbm.web.routes.pie`, `rbm.web.routes.workflow`, included in this module's router).

    /framework                     pillars → expected results, PIEs by final rating and state
    /framework/pillars/{code}      a pillar's expected results and their indicators
    /framework/results/{code}      an expected result's indicators
    /framework/indicators/{id}     an indicator's PIEs: baseline, target, actual, ratings, state

Each page has its JSON twin under /api. The ratings are the engine's, the workflow states the
store's (`rbm.web.pies` puts them side by side).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from rbm.domain.text import Lang, Text
from rbm.domain.workflow import Role
from rbm.report.render.tables_json import text_dict
from rbm.web.auth import SignedIn
from rbm.web.language import language
from rbm.web.pies import (
    Board,
    Counts,
    line_dict,
    lock_dict,
)
from rbm.web.render import page
from rbm.web.representations import cached_json
from rbm.web.state import Current

router = APIRouter()

Code = Annotated[str, Path(min_length=1, max_length=40)]


def _counts_of(board: Board, **where: Any) -> Counts:
    return Counts.of(board.lines_of(**where))


# ---- /framework ---------------------------------------------------------------------------


def _row(label: Text, href: str, counts: Counts, extra: object = None) -> dict[str, Any]:
    """A line of a counts table: its label, link, PIE counts and an optional extra cell."""
    return {"label": label, "href": href, "counts": counts, "extra": extra}


def _coded(code: str, title: Text) -> Text:
    return title.prefixed(f"{code} ")


def _framework(board: Board) -> list[dict[str, Any]]:
    """Pillars with their expected results and the counts of each."""
    items = []
    for pillar in board.pillars():
        counts = _counts_of(board, pillar=pillar.code)
        results = []
        for result in board.results_of(pillar.code):
            indicators = len(board.indicators_of(result.code))
            found = _counts_of(board, result=result.code)
            href = f"/framework/results/{result.code}"
            results.append(
                {
                    "result": result,
                    "indicators": indicators,
                    "counts": found,
                    "row": _row(_coded(result.code, result.title), href, found, indicators),
                }
            )
        href = f"/framework/pillars/{pillar.code}"
        items.append(
            {
                "pillar": pillar,
                "counts": counts,
                "results": results,
                "row": _row(pillar.name, href, counts),
            }
        )
    return items


def _result_dict(item: dict[str, Any]) -> dict[str, Any]:
    result = item["result"]
    return {
        "code": result.code,
        "title": text_dict(result.title),
        "indicators": item["indicators"],
        **item["counts"].to_dict(),
        "href": f"/framework/results/{result.code}",
        "api_href": f"/api/framework/results/{result.code}",
    }


def _pillar_dict(item: dict[str, Any]) -> dict[str, Any]:
    pillar = item["pillar"]
    return {
        "code": pillar.code,
        "name": text_dict(pillar.name),
        **item["counts"].to_dict(),
        "results": [_result_dict(r) for r in item["results"]],
        "href": f"/framework/pillars/{pillar.code}",
        "api_href": f"/api/framework/pillars/{pillar.code}",
    }


@router.get("/framework", include_in_schema=False)
def framework_page(request: Request, user: SignedIn, snap: Current) -> Response:
    board = Board.of(request, snap)
    return page(
        request,
        "web/framework.html",
        pillars=_framework(board),
        totals=Counts.of(board.lines),
        api_href="/api/framework",
        **board.basics(),
    )


@router.get("/api/framework", response_model=dict[str, Any])
def framework_api(request: Request, user: SignedIn, snap: Current) -> Response:
    """Strategic pillars and their expected results, each with its PIEs counted by final
    rating and by workflow state."""
    return cached_json(request, snap, lambda: _framework_dict(Board.of(request, snap)))


def _framework_dict(board: Board) -> dict[str, Any]:
    return {
        "biennium": board.biennium,
        "locked": lock_dict(board.lock),
        **Counts.of(board.lines).to_dict(),
        "pillars": [_pillar_dict(item) for item in _framework(board)],
    }


# ---- pillars, results, indicators ---------------------------------------------------------


def _indicator_items(board: Board, result: str) -> list[dict[str, Any]]:
    items = []
    for indicator in board.indicators_of(result):
        sectors = board.sector_names(_sectors_of(board, indicator.id))
        counts = _counts_of(board, indicator=indicator.id)
        items.append(
            {
                "indicator": indicator,
                "sectors": sectors,
                "counts": counts,
                "row": _row(
                    _coded(indicator.id, indicator.text),
                    f"/framework/indicators/{indicator.id}",
                    counts,
                    sectors,
                ),
            }
        )
    return items


def _sectors_of(board: Board, indicator: str) -> list[str]:
    """The sectors contributing to an indicator, in the sectors' order."""
    links = board.snap.dataset.indicator_sectors
    linked = {link.sector for link in links if link.indicator == indicator}
    return [s.code for s in board.sectors() if s.code in linked]


def _indicator_dict(item: dict[str, Any]) -> dict[str, Any]:
    indicator = item["indicator"]
    return {
        "id": indicator.id,
        "text": text_dict(indicator.text),
        "sectors": [s.code for s in item["sectors"]],
        **item["counts"].to_dict(),
        "href": f"/framework/indicators/{indicator.id}",
        "api_href": f"/api/framework/indicators/{indicator.id}",
    }


def _pillar_context(board: Board, code: str) -> dict[str, Any]:
    pillar = board.pillar(code)
    results = []
    for result in board.results_of(code):
        counts = _counts_of(board, result=result.code)
        indicators = _indicator_items(board, result.code)
        href = f"/framework/results/{result.code}"
        results.append(
            {
                "result": result,
                "counts": counts,
                "indicators": indicators,
                "row": _row(_coded(result.code, result.title), href, counts, len(indicators)),
            }
        )
    return {"pillar": pillar, "counts": _counts_of(board, pillar=code), "results": results}


@router.get("/framework/pillars/{code}", include_in_schema=False)
def pillar_page(request: Request, code: Code, user: SignedIn, snap: Current) -> Response:
    board = Board.of(request, snap)
    return page(
        request,
        "web/pillar.html",
        **_pillar_context(board, code),
        highlights=sorted(
            (h for h in snap.dataset.highlights if h.pillar == code), key=lambda h: h.order
        ),
        may_edit=user.role in (Role.PLANNER, Role.ADMINISTRATOR) and board.lock is None,
        api_href=f"/api/framework/pillars/{code}",
        **board.basics(),
    )


@router.get("/api/framework/pillars/{code}", response_model=dict[str, Any])
def pillar_api(request: Request, code: Code, user: SignedIn, snap: Current) -> Response:
    """A strategic pillar: its expected results and their indicators, with PIEs counted by
    final rating and workflow state."""
    return cached_json(request, snap, lambda: _pillar_dict_of(Board.of(request, snap), code))


def _pillar_dict_of(board: Board, code: str) -> dict[str, Any]:
    context = _pillar_context(board, code)
    pillar = context["pillar"]
    return {
        "code": pillar.code,
        "name": text_dict(pillar.name),
        "locked": lock_dict(board.lock),
        **context["counts"].to_dict(),
        "results": [
            {
                **_result_dict({**item, "indicators": len(item["indicators"])}),
                "indicators": [_indicator_dict(i) for i in item["indicators"]],
            }
            for item in context["results"]
        ],
    }


def _result_context(board: Board, code: str) -> dict[str, Any]:
    result = board.result(code)
    return {
        "result": result,
        "pillar": board.pillar(result.pillar),
        "counts": _counts_of(board, result=code),
        "indicators": _indicator_items(board, code),
    }


@router.get("/framework/results/{code}", include_in_schema=False)
def result_page(request: Request, code: Code, user: SignedIn, snap: Current) -> Response:
    board = Board.of(request, snap)
    return page(
        request,
        "web/result.html",
        **_result_context(board, code),
        api_href=f"/api/framework/results/{code}",
        **board.basics(),
    )


@router.get("/api/framework/results/{code}", response_model=dict[str, Any])
def result_api(request: Request, code: Code, user: SignedIn, snap: Current) -> Response:
    """An expected result: its indicators with their contributing sectors and PIEs counted
    by final rating and workflow state."""
    return cached_json(request, snap, lambda: _result_dict_of(Board.of(request, snap), code))


def _result_dict_of(board: Board, code: str) -> dict[str, Any]:
    context = _result_context(board, code)
    result = context["result"]
    return {
        "code": result.code,
        "title": text_dict(result.title),
        "pillar": {"code": context["pillar"].code, "name": text_dict(context["pillar"].name)},
        "locked": lock_dict(board.lock),
        **context["counts"].to_dict(),
        "indicators": [_indicator_dict(i) for i in context["indicators"]],
    }


def _indicator_context(board: Board, id: str) -> dict[str, Any]:
    indicator = board.indicator(id)
    result = board.result(indicator.result)
    return {
        "indicator": indicator,
        "result": result,
        "pillar": board.pillar(result.pillar),
        "sectors": board.sector_names(_sectors_of(board, id)),
        "lines": board.lines_of(indicator=id),
    }


@router.get("/framework/indicators/{id}", include_in_schema=False)
def indicator_page(request: Request, id: Code, user: SignedIn, snap: Current) -> Response:
    board = Board.of(request, snap)
    return page(
        request,
        "web/indicator.html",
        **_indicator_context(board, id),
        may_edit=user.role in (Role.PLANNER, Role.ADMINISTRATOR) and board.lock is None,
        api_href=f"/api/framework/indicators/{id}",
        **board.basics(),
    )


@router.get("/api/framework/indicators/{id}", response_model=dict[str, Any])
def indicator_api(request: Request, id: Code, user: SignedIn, snap: Current) -> Response:
    """An indicator and its PIEs: baseline, target, actual, computed, assessor and final
    rating, and workflow state."""
    lang = language(request)
    return cached_json(request, snap, lambda: _indicator_dict_of(Board.of(request, snap), id, lang))


def _indicator_dict_of(board: Board, id: str, lang: Lang) -> dict[str, Any]:
    context = _indicator_context(board, id)
    indicator, result, pillar = context["indicator"], context["result"], context["pillar"]
    return {
        "id": indicator.id,
        "text": text_dict(indicator.text),
        "result": {"code": result.code, "title": text_dict(result.title)},
        "pillar": {"code": pillar.code, "name": text_dict(pillar.name)},
        "sectors": [s.code for s in context["sectors"]],
        "locked": lock_dict(board.lock),
        "lang": lang,
        "pies": [line_dict(line, lang) for line in context["lines"]],
    }
