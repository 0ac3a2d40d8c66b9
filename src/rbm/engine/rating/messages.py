"""Explanations as values: a catalogue key and its parameters, rendered in a language on
demand.

The engine formats numbers itself (`Figure`: rounded half up, with thousands separators),
and each language writes them with its own decimal mark and grouping; parameters that are
messages (a rating's name, a reason, a list of years) are rendered in the reader's language.

>>> Message.of("rating.fully").text("zh")
'完全实现'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from rbm.domain.money import round_half_up
from rbm.domain.text import Lang, Text
from rbm.i18n import localized, t

Param: TypeAlias = "str | Text | Message | tuple[Message, ...]"


class Figure(str):
    """A number as the engine writes it (`1,234.5`), which each language writes its way."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Message:
    """A catalogue key with its parameters; tuples of messages are joined by a separator."""

    key: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def of(cls, key: str, /, **params: Param) -> Message:
        return cls(key, tuple(params.items()))

    def text(self, lang: Lang) -> str:
        return t(self.key, lang, **{name: _render(value, lang) for name, value in self.params})


def _render(value: Param, lang: Lang) -> str:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, tuple):
        return t("rating.separator", lang).join(item.text(lang) for item in value)
    if isinstance(value, Figure):
        return localized(value, lang)
    if isinstance(value, Text):  # a package's text: the reader's language, or its first
        return value.get(lang)
    return value


def number(value: Decimal, places: int = 2) -> Figure:
    """A number with thousands separators, rounded half up, without trailing zeros."""
    text = format(round_half_up(value, places).normalize(), ",f")
    return Figure("0" if text in ("-0", "") else text)


def percent(value: Decimal, places: int = 0) -> Figure:
    return Figure(number(value, places) + "%")


def quantity(value: Decimal, unit: str | None) -> Figure:
    """A value of the source as the reader sees it: percentages keep their sign, other units
    (persons, currencies, days, written in the source language) are left to the surrounding text."""
    return percent(value, 2) if unit == "%" else number(value)
