"""Text in the languages of a package: every label a reader sees, in each of them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

Lang = str  # a language code as the package lists it: "zh", "en", "fr", "es-419" …
NEUTRAL = ""  # the key of a text that reads the same in every language (a code, a year)


@dataclass(frozen=True, slots=True)
class Text:
    """A text per language, in the package's order: the first is the source language, and
    a language with no text reads the first one that has some."""

    items: tuple[tuple[Lang, str], ...] = ()

    @classmethod
    def of(cls, values: Mapping[Lang, str | None] | None = None, /, **more: str | None) -> Text:
        """The text of each language in `values` (and `more`), empty ones left out."""
        merged = {**(values or {}), **more}
        return cls(tuple((lang, v) for lang, v in merged.items() if v))

    @classmethod
    def plain(cls, value: object) -> Text:
        """A text that reads the same in every language."""
        return cls(((NEUTRAL, str(value)),) if value not in (None, "") else ())

    @classmethod
    def build(cls, langs: Iterable[Lang], make: Callable[[Lang], str]) -> Text:
        """The text `make(lang)` for each of `langs`."""
        return cls.of({lang: make(lang) for lang in langs})

    @classmethod
    def combine(cls, make: Callable[[Lang], str], *texts: Text) -> Text:
        """`make(lang)` in each language of `texts` (one neutral text when none has any)."""
        langs = dict.fromkeys(lang for text in texts for lang in text.langs if lang != NEUTRAL)
        return cls.build(langs or (NEUTRAL,), make)

    @classmethod
    def join(cls, separator: str, *texts: Text) -> Text:
        """`texts` side by side in each of their languages (a name and its label)."""
        return cls.combine(lambda lang: separator.join(t.get(lang) for t in texts), *texts)

    def get(self, lang: Lang) -> str:
        """The text in `lang`; failing that, the first language that has one."""
        for key, value in self.items:
            if key == lang:
                return value
        return self.first

    def exact(self, lang: Lang) -> str:
        """The text in `lang` itself (or the neutral text), without falling back: "" if none."""
        found = dict(self.items)
        return found.get(lang, found.get(NEUTRAL, ""))

    @property
    def first(self) -> str:
        """The text in the first language that has one ("" when none has)."""
        return self.items[0][1] if self.items else ""

    @property
    def langs(self) -> tuple[Lang, ...]:
        return tuple(key for key, _ in self.items)

    def map(self, change: Callable[[str], str]) -> Text:
        """`change` applied to the text of every language."""
        return Text(tuple((lang, change(value)) for lang, value in self.items))

    def prefixed(self, prefix: str) -> Text:
        """`prefix` before the text of every language (a code before a title)."""
        return self.map(lambda value: prefix + value)

    def as_dict(self, langs: Iterable[Lang] | None = None) -> dict[Lang, str]:
        """Language → text: as held, or for each of `langs` as `get` reads it."""
        return dict(self.items) if langs is None else {lang: self.get(lang) for lang in langs}

    def __bool__(self) -> bool:
        return bool(self.items)


# C0 control characters other than tab, line feed and carriage return (NUL among them:
# PostgreSQL refuses it in text), and lone surrogates (no UTF-8 encoding exists for them).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def forbidden_character(value: str) -> tuple[int, str] | None:
    """The first character no stored text may hold, with its 0-based index; None if none."""
    found = _FORBIDDEN.search(value)
    return None if found is None else (found.start(), f"U+{ord(found.group()):04X}")
