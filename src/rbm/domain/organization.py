"""The organization, the biennium a package describes, and the sources it cites."""

from __future__ import annotations

from dataclasses import dataclass

from rbm.domain.enums import SourceKind
from rbm.domain.text import Text


@dataclass(frozen=True, slots=True)
class Biennium:
    """One reporting period of one organization; a data package describes exactly one."""

    code: str  # e.g. "2024-25"
    organization: str  # e.g. "wipo"
    organization_name: Text
    label: Text
    start_year: int
    end_year: int
    currency: str = "CHF"

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start_year, self.end_year + 1))


@dataclass(frozen=True, slots=True)
class Source:
    """A place in the source document that curated facts cite (e.g. 表5, 附件一)."""

    id: str
    kind: SourceKind
    title: Text
    lines: str | None = None
    part_of: str | None = None  # the section or table this source belongs to
