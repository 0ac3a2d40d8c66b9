"""The languages of the embedded WIPO package, which most tests build reports of."""

from __future__ import annotations

from rbm.domain.text import Lang

LANGS: tuple[Lang, ...] = ("zh", "en")
