"""What a finding is about, in words: the measure, the phase and each dimension's name."""

from __future__ import annotations

from rbm.domain.dataset import Dataset
from rbm.domain.text import Lang
from rbm.i18n import t


def describe(dataset: Dataset, subject: dict[str, str], lang: Lang) -> str:
    """What a finding is about, in the reader's language."""
    sectors = {s.code: s.short.get(lang) for s in dataset.sectors}
    costs = {c.code: c.name.get(lang) for c in dataset.cost_categories}
    unions = {u.code: u.name.get(lang) for u in dataset.unions}
    parts = [t(f"measure.{subject['measure']}", lang)] if "measure" in subject else []
    if "phase" in subject:
        parts.append(t(f"phase.{subject['phase']}", lang))
    for dim, value in subject.items():
        if dim in ("measure", "phase"):
            continue
        shown = {"sector": sectors, "cost_category": costs, "union": unions}.get(dim, {}).get(
            value, value
        )
        parts.append(f"{t(f'dimension.{dim}', lang)} {shown}")
    return " · ".join(parts)
