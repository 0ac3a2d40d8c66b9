"""One block or section of a report specification, with its placeholders filled."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rbm.domain.text import Lang, Text
from rbm.i18n import FALLBACK
from rbm.report.build.context import Context
from rbm.report.build.pivot import depths


@dataclass(frozen=True)
class Spec:
    """A block's (or section's) entries; `member` is the repeated section's member."""

    raw: Mapping[str, Any]
    ctx: Context = field(repr=False, compare=False)
    member: tuple[str, Text] | None = None

    @property
    def kind(self) -> str:
        return str(self.raw["kind"])

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    def id(self, default: str) -> str:
        return self.fill_id(str(self.raw.get("id", default)))

    def fill_id(self, value: str) -> str:
        return value.replace("{member}", self.member[0]) if self.member else value

    @property
    def source(self) -> str | None:
        value = self.raw.get("source")
        return None if value is None else str(value)

    @property
    def patterns(self) -> list[str]:
        """The block's `prefer` entries alone (shell patterns of source ids)."""
        return [self.fill_id(p) for p in self.raw.get("prefer", [])]

    @property
    def prefer(self) -> list[str]:
        """The sources whose facts come first: the block's own source, then `prefer`."""
        found = [self.source] if self.source else []
        return [*found, *self.patterns]

    def text(self, key: str) -> Text | None:
        """A text entry with its placeholders filled, or None when the spec has none."""
        value = self.raw.get(key)
        return None if value is None else self.fill(spec_text(value))

    def fill(self, text: Text) -> Text:
        return Text.build(self.ctx.langs, lambda lang: self._fill(text.get(lang), lang))

    def _fill(self, value: str, lang: Lang) -> str:
        b = self.ctx.dataset.biennium
        end = b.settings.period_end
        params = {
            "period": b.period.get(lang),
            "period_end": end.get(lang) if end else "",
            "organization": b.organization_name.get(lang),
            "currency": b.currency_label.get(lang),
            "member": self.member[1].get(lang) if self.member else "",
        }
        for name, replacement in params.items():
            value = value.replace("{" + name + "}", replacement)
        return value

    def filter(self) -> dict[str, object]:
        return {k: self.fill_id(str(v)) for k, v in self.raw.get("filter", {}).items()}


def members(
    ctx: Context, dimension: str, levels: int | None = None
) -> Sequence[tuple[str, Text, int]]:
    """The members of a dimension in its order: (code, label, level in its hierarchy)."""
    dataset = ctx.dataset
    if dimension == "sector":
        return [(s.code, s.name, 0) for s in dataset.sectors]
    if dimension == "result":
        return [(code, label, 0) for code, label in ctx.result_items]
    if dimension == "pillar":
        return [(p.code, p.name, 0) for p in dataset.pillars]
    if dimension == "year":
        return [(str(y), Text.plain(y), 0) for y in dataset.biennium.years]
    level = depths({c.code: c.parent for c in dataset.cost_categories})
    return [
        (c.code, c.name, level[c.code])
        for c in dataset.cost_categories
        if levels is None or level[c.code] < levels
    ]


def short_label(ctx: Context, dimension: str, code: str, label: Text) -> Text:
    """A member's label as a column header prints it (a sector's short name)."""
    if dimension == "sector":
        sector = next((s for s in ctx.dataset.sectors if s.code == code), None)
        if sector is not None:
            return sector.short
    if dimension == "result":
        return Text.plain(code)
    return label


def spec_text(value: Mapping[str, str]) -> Text:
    """A text of the specification; a language it lacks reads English (the generic layout's
    texts stand in for a language that has no catalogue)."""
    english = {FALLBACK: value[FALLBACK]} if FALLBACK in value else {}
    return Text.of({**english, **value})
