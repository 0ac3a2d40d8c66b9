"""The organization, the biennium a package describes, and the sources it cites."""

from __future__ import annotations

from dataclasses import dataclass, field

from rbm.domain.enums import SourceKind
from rbm.domain.settings import Settings
from rbm.domain.text import Text


@dataclass(frozen=True, slots=True)
class Biennium:
    """One reporting period of one organization; a data package describes exactly one."""

    code: str  # e.g. "2026-27"
    organization: str
    organization_name: Text
    label: Text
    start_year: int
    end_year: int
    currency: str
    settings: Settings = field(default_factory=Settings)

    @property
    def currency_label(self) -> Text:
        """The currency as units print it (e.g. "thousand EUR")."""
        return self.settings.currency_name or Text.plain(self.currency)

    @property
    def period(self) -> Text:
        """The period as titles print it."""
        return self.settings.period or self.label

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start_year, self.end_year + 1))


@dataclass(frozen=True, slots=True)
class Source:
    """A place in the source document that curated facts cite (a table, a figure, an annex...)."""

    id: str
    kind: SourceKind
    title: Text
    lines: str | None = None
    part_of: str | None = None  # the section or table this source belongs to
    label: Text = field(default_factory=Text)  # how a report cites it ("Table 2"); its id else
