"""The results framework as the web application shows it: every PIE with the engine's ratings
and its workflow state, counted by pillar and expected result, and one PIE's page (what the
user may do to it, its history, the validator's last word).

The ratings are the engine's (`snap.ratings`), the states the store's (`store.workflow`), who
may do what the workflow's rules (`engine.workflow.decide`): this module only puts them side
by side.

    board = Board.read(app_state(request), snap)
    board.lines_of(indicator="1.1-06")   # the PIEs of an indicator, in framework order
    Counts.of(board.lines_of(result="1.1")).by_state[WorkflowState.SUBMITTED]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request

from rbm.domain.enums import Rating, WorkflowState
from rbm.domain.framework import ExpectedResult, Footnote, Indicator, Pillar, Sector
from rbm.domain.text import Lang
from rbm.domain.workflow import Action, User
from rbm.engine.rating.assess import Assessment
from rbm.engine.rating.report import pie_dict
from rbm.engine.workflow import Decision, decide
from rbm.store.audit import AuditEntry, entries
from rbm.store.records import ENTITIES
from rbm.store.workflow import Lock, RecordState, lock_of, states, values_of
from rbm.web.editing import record_state
from rbm.web.errors import ApiError
from rbm.web.state import AppState, Snapshot, app_state

PIE = ENTITIES["pie"]
DRAFT = RecordState(WorkflowState.DRAFT, 0)
RATINGS: tuple[Rating, ...] = tuple(Rating)
STATES: tuple[WorkflowState, ...] = tuple(WorkflowState)
# the fields of the PIE form, in the order shown; which action each needs is the store's
FORM_FIELDS = (
    "actual_text",
    "actual_value",
    "actual_unit",
    "actual_period",
    "assessor_rating",
    "assessor_justification",  # one per language of the package
    "baseline_text",
    "baseline_value",
    "target_text",
    "target_kind",
    "target_params",
)
# the workflow actions offered as buttons, in order
STEPS = (Action.SUBMIT, Action.VALIDATE, Action.RETURN)
# which states come first in a user's work queue
QUEUE_ORDER: dict[str, tuple[WorkflowState, ...]] = {
    "validator": (
        WorkflowState.SUBMITTED,
        WorkflowState.RETURNED,
        WorkflowState.DRAFT,
        WorkflowState.VALIDATED,
    ),
    "editor": (
        WorkflowState.RETURNED,
        WorkflowState.DRAFT,
        WorkflowState.SUBMITTED,
        WorkflowState.VALIDATED,
    ),
}


@dataclass(frozen=True)
class PieLine:
    """One PIE: the engine's assessment and the store's workflow record."""

    assessment: Assessment
    record: RecordState

    @property
    def id(self) -> str:
        return self.assessment.pie.id

    @property
    def state(self) -> WorkflowState:
        return self.record.state

    @property
    def href(self) -> str:
        return f"/pies/{self.id}"


@dataclass(frozen=True)
class Counts:
    """PIEs by final rating and by workflow state."""

    total: int
    by_rating: dict[Rating, int]
    by_state: dict[WorkflowState, int]

    @classmethod
    def of(cls, lines: Iterable[PieLine]) -> Counts:
        by_rating = dict.fromkeys(RATINGS, 0)
        by_state = dict.fromkeys(STATES, 0)
        total = 0
        for line in lines:
            total += 1
            by_rating[line.assessment.final] += 1
            by_state[line.state] += 1
        return cls(total, by_rating, by_state)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pies": self.total,
            "by_rating": {r.value: n for r, n in self.by_rating.items()},
            "by_state": {s.value: n for s, n in self.by_state.items()},
        }


@dataclass(frozen=True)
class Board:
    """The current biennium's framework with every PIE's rating and workflow state."""

    snap: Snapshot
    records: Mapping[str, RecordState]
    lock: Lock | None
    lines: tuple[PieLine, ...] = field(init=False)

    def __post_init__(self) -> None:
        lines = tuple(
            PieLine(a, self.records.get(a.pie.id, DRAFT)) for a in self.snap.ratings.assessments
        )
        object.__setattr__(self, "lines", lines)

    @classmethod
    def of(cls, request: Request, snap: Snapshot) -> Board:
        return cls.read(app_state(request), snap)

    @classmethod
    def read(cls, state: AppState, snap: Snapshot) -> Board:
        code = snap.dataset.biennium.code
        return cls(snap, states(state.engine, code), lock_of(state.engine, code))

    @property
    def biennium(self) -> str:
        return self.snap.dataset.biennium.code

    @property
    def langs(self) -> tuple[Lang, ...]:
        return self.snap.dataset.biennium.settings.languages

    @property
    def locked(self) -> bool:
        return self.lock is not None

    def basics(self) -> dict[str, Any]:
        """What every page of the area shows: the lock, and the ratings and states in order."""
        return {"lock": self.lock, "ratings": RATINGS, "states": STATES}

    def pillars(self) -> list[Pillar]:
        return sorted(self.snap.dataset.pillars, key=lambda p: p.order)

    def results_of(self, pillar: str) -> list[ExpectedResult]:
        found = [r for r in self.snap.dataset.results if r.pillar == pillar]
        return sorted(found, key=lambda r: r.order)

    def indicators_of(self, result: str) -> list[Indicator]:
        found = [i for i in self.snap.dataset.indicators if i.result == result]
        return sorted(found, key=lambda i: i.order)

    def pillar(self, code: str) -> Pillar:
        for pillar in self.snap.dataset.pillars:
            if pillar.code == code:
                return pillar
        raise ApiError(404, "web.framework.unknown_pillar", {"pillar": code}, code=code)

    def result(self, code: str) -> ExpectedResult:
        for result in self.snap.dataset.results:
            if result.code == code:
                return result
        raise ApiError(404, "web.framework.unknown_result", {"result": code}, code=code)

    def indicator(self, id: str) -> Indicator:
        for indicator in self.snap.dataset.indicators:
            if indicator.id == id:
                return indicator
        raise ApiError(404, "web.framework.unknown_indicator", {"indicator": id}, id=id)

    def line(self, id: str) -> PieLine:
        for line in self.lines:
            if line.id == id:
                return line
        raise ApiError(404, "web.framework.unknown_pie", {"pie": id}, id=id)

    def lines_of(
        self,
        *,
        pillar: str | None = None,
        result: str | None = None,
        indicator: str | None = None,
        sectors: Iterable[str] | None = None,
        state: WorkflowState | None = None,
    ) -> list[PieLine]:
        """The PIEs matching every filter given, in framework order; `sectors` keeps a PIE
        when one of its indicator's sectors is among them."""
        wanted = None if sectors is None else set(sectors)
        return [
            line
            for line in self.lines
            if (pillar is None or line.assessment.pillar == pillar)
            and (result is None or line.assessment.result == result)
            and (indicator is None or line.assessment.pie.indicator == indicator)
            and (wanted is None or wanted & set(line.assessment.sectors))
            and (state is None or line.state == state)
        ]

    def sectors(self) -> list[Sector]:
        return sorted(self.snap.dataset.sectors, key=lambda s: s.order)

    def sector_names(self, codes: Iterable[str]) -> list[Sector]:
        by_code = {s.code: s for s in self.snap.dataset.sectors}
        return [by_code[c] for c in codes if c in by_code]

    def footnotes(self, line: PieLine) -> list[Footnote]:
        pie = line.assessment.pie
        refs = {("pie", pie.id), ("indicator", pie.indicator)}
        found = [f for f in self.snap.dataset.footnotes if (f.scope.value, f.ref) in refs]
        return sorted(found, key=lambda f: (f.scope.value != "indicator", f.number or 0, f.id))


# ---- one PIE: what the user may do, its history, its form


def permissions(user: User, line: PieLine, locked: bool) -> dict[Action, Decision]:
    """What `user` may do to this PIE now, and why not, as the workflow's rules decide."""
    asked = (Action.EDIT_PERFORMANCE, Action.EDIT_FRAMEWORK, *STEPS)
    return {
        action: decide(user, action, line.state, line.assessment.sectors, locked)
        for action in asked
    }


def form_fields(langs: Sequence[Lang]) -> list[str]:
    """The form's names in order: a text field's once per language of the package."""
    return [name for field in FORM_FIELDS for name in PIE.spec(field).columns(langs)]


def editable_fields(allowed: Mapping[Action, Decision], langs: Sequence[Lang]) -> list[str]:
    """The form's fields whose action the user may take (the store says which action)."""
    names = PIE.fields(langs)
    return [f for f in form_fields(langs) if f in names and allowed[names[f]].allowed]


def history(engine: sa.Engine, biennium: str, pie: str) -> list[AuditEntry]:
    """Every audit entry of this PIE, newest first (the store matches a prefix, so entries of
    e.g. 1.1-01.10 are left out of 1.1-01.1's)."""
    entity_id = f"{biennium}/{pie}"
    found = entries(engine, entity="pie", entity_id=entity_id, limit=None).entries
    return [e for e in found if e.entity_id == entity_id]


def validator_note(trail: Iterable[AuditEntry]) -> AuditEntry | None:
    """The latest validation or return (only a validator takes them), with its comment."""
    decided = (WorkflowState.VALIDATED.value, WorkflowState.RETURNED.value)
    return next((e for e in trail if e.field == "state" and e.new in decided), None)


def shown(value: object) -> str:
    """A stored value as the form shows it (and as it parses back to the same value)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def form_values(
    engine: sa.Engine, biennium: str, pie: str, langs: Sequence[Lang]
) -> dict[str, str]:
    names = form_fields(langs)
    current = values_of(engine, biennium, PIE, pie, names)
    return {f: shown(current.get(f)) for f in names}


def changed_fields(typed: Mapping[str, str], current: Mapping[str, str]) -> dict[str, str]:
    """The fields whose submitted text differs from what the form showed (spaces aside), so
    fields left alone are not sent and write nothing."""
    return {f: v for f, v in typed.items() if v.strip() != current.get(f, "").strip()}


# ---- JSON


def line_dict(line: PieLine, lang: Lang) -> dict[str, Any]:
    """A PIE as the rating report writes it, with its workflow record and its pages."""
    return {
        **pie_dict(line.assessment, lang),
        "workflow": record_state(line.record),
        "href": line.href,
        "api_href": f"/api/pies/{line.id}",
    }


def entry_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "user": entry.user,
        "field": entry.field,
        "old": entry.old,
        "new": entry.new,
        "reason": entry.reason,
    }


def lock_dict(lock: Lock | None) -> dict[str, Any] | None:
    return None if lock is None else {"by": lock.by, "at": lock.at.isoformat()}
