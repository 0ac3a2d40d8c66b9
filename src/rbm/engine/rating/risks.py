"""Risk summaries: how many risks materialized, how exposure moved, by owner sector and result.

Risks without an owner sector count under `unassigned`; organizational risks (no result)
count under `organizational` in the by-result summary. An unknown evolution (materialized or
exposure left empty in the data) is counted as `unknown`, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rbm.domain.enums import Effectiveness, Exposure, RiskKind
from rbm.domain.risks import Risk

UNASSIGNED = "unassigned"
ORGANIZATIONAL = "organizational"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class RiskGroup:
    """The risks of one group (all, one owner sector, one result)."""

    key: str
    risks: int
    materialized: int
    not_materialized: int
    materialized_unknown: int
    exposure: dict[str, int]  # stable / increased / decreased / unknown
    effectiveness: dict[str, int]  # effective / partially / not_effective / unknown
    ids: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "risks": self.risks,
            "materialized": self.materialized,
            "not_materialized": self.not_materialized,
            "materialized_unknown": self.materialized_unknown,
            "exposure": dict(self.exposure),
            "effectiveness": dict(self.effectiveness),
            "ids": list(self.ids),
        }


@dataclass(frozen=True)
class RiskSummary:
    total: RiskGroup
    by_kind: tuple[RiskGroup, ...]
    by_owner: tuple[RiskGroup, ...]
    by_result: tuple[RiskGroup, ...]
    materialized: tuple[str, ...]  # ids of the risks that materialized
    increased: tuple[str, ...]  # ids of the risks whose exposure increased

    def to_dict(self) -> dict[str, object]:
        return {
            "total": self.total.to_dict(),
            "by_kind": [g.to_dict() for g in self.by_kind],
            "by_owner": [g.to_dict() for g in self.by_owner],
            "by_result": [g.to_dict() for g in self.by_result],
            "materialized": list(self.materialized),
            "increased": list(self.increased),
        }


def group(key: str, risks: Sequence[Risk]) -> RiskGroup:
    exposure = {e.value: 0 for e in Exposure} | {UNKNOWN: 0}
    effectiveness = {e.value: 0 for e in Effectiveness} | {UNKNOWN: 0}
    for risk in risks:
        exposure[risk.exposure.value if risk.exposure else UNKNOWN] += 1
        effectiveness[risk.effectiveness.value if risk.effectiveness else UNKNOWN] += 1
    return RiskGroup(
        key=key,
        risks=len(risks),
        materialized=sum(r.materialized is True for r in risks),
        not_materialized=sum(r.materialized is False for r in risks),
        materialized_unknown=sum(r.materialized is None for r in risks),
        exposure=exposure,
        effectiveness=effectiveness,
        ids=tuple(r.id for r in risks),
    )


def summarize_risks(
    risks: Iterable[Risk], sectors: Sequence[str] = (), results: Sequence[str] = ()
) -> RiskSummary:
    """`sectors` and `results` give the order of the rows (codes); others follow, then
    `unassigned` / `organizational`."""
    ordered = sorted(
        risks, key=lambda r: (r.kind != RiskKind.RESULT, r.result or "", r.order, r.id)
    )

    def by(keyed: Iterable[tuple[str, Risk]], order: Sequence[str], last: str) -> list[RiskGroup]:
        buckets: dict[str, list[Risk]] = {}
        for key, risk in keyed:
            buckets.setdefault(key, []).append(risk)
        rank = {code: i for i, code in enumerate(order)}
        keys = sorted(buckets, key=lambda k: (k == last, rank.get(k, len(rank)), k))
        return [group(k, buckets[k]) for k in keys]

    kinds = [k.value for k in RiskKind]
    return RiskSummary(
        total=group("all", ordered),
        by_kind=tuple(by(((r.kind.value, r) for r in ordered), kinds, "")),
        by_owner=tuple(
            by(((r.owner_sector or UNASSIGNED, r) for r in ordered), sectors, UNASSIGNED)
        ),
        by_result=tuple(
            by(((r.result or ORGANIZATIONAL, r) for r in ordered), results, ORGANIZATIONAL)
        ),
        materialized=tuple(r.id for r in ordered if r.materialized is True),
        increased=tuple(r.id for r in ordered if r.exposure == Exposure.INCREASED),
    )
