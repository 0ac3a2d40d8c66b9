"""Risks per expected result and organizational risks, summarized in our own words."""

from __future__ import annotations

from dataclasses import dataclass

from rbm.domain.enums import Appetite, Effectiveness, Exposure, Impact, RiskKind
from rbm.domain.text import Text


@dataclass(frozen=True, slots=True)
class Risk:
    id: str
    kind: RiskKind
    result: str | None
    owner_sector: str | None
    order: int
    risk: Text
    mitigation: Text
    materialized: bool | None
    exposure: Exposure | None
    effectiveness: Effectiveness | None
    impact: Impact | None
    appetite: Appetite | None  # organizational risks only
    source: str
