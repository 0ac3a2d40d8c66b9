"""Bilingual text: every label a reader sees exists in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Chinese (the source language) and English (our translation)."""

    zh: str
    en: str = ""

    def get(self, lang: Lang) -> str:
        """The text in `lang`, falling back to Chinese when no translation exists."""
        value = self.zh if lang == "zh" else self.en
        return value or self.zh
