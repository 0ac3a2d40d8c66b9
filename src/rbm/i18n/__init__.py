"""Message catalogues (gettext .po files read with Babel): every user-visible label.

A language with no catalogue reads the English one; `missing` names such languages so
that what reads a package can warn about them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from rbm.domain.text import Lang, Text

if TYPE_CHECKING:
    # Babel is imported when a catalogue or a locale is first read, not by every importer
    # (the command line's start-up, `rbm --help`, prints no message)
    from babel import Locale
    from babel.messages.catalog import Catalog

DOMAIN = "rbm"
FALLBACK: Lang = "en"


@cache
def languages() -> tuple[Lang, ...]:
    """The languages with a catalogue, the fallback first."""
    root = resources.files("rbm.i18n") / "locale"
    found = sorted(
        entry.name for entry in root.iterdir() if (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
    )
    return (FALLBACK, *(lang for lang in found if lang != FALLBACK))


def missing(langs: Iterable[Lang]) -> tuple[Lang, ...]:
    """Those of `langs` that have no catalogue (their labels read English)."""
    return tuple(lang for lang in langs if lang not in languages())


@cache
def _parsed(lang: Lang) -> Locale | None:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None


def known(lang: Lang) -> bool:
    """Whether Babel knows the language code (`fr`, `zh`, `es-419`, `pt_BR`)."""
    return _parsed(lang) is not None


def locale(lang: Lang) -> Locale:
    """Babel's locale of a language code (`es-419`, `zh-Hant`), English when it has none."""
    from babel import Locale

    return _parsed(lang) or Locale.parse(FALLBACK)


def language_name(lang: Lang, reader: Lang) -> str:
    """The name of the language `lang` as a reader of `reader` writes it ("French", "中文");
    the code itself when Babel does not know it."""
    found = _parsed(lang)
    return (found.get_display_name(locale(reader)) if found else None) or lang


def localized(number: str, lang: Lang) -> str:
    """A number written `1,234.5` with the decimal mark and digit grouping of `lang`."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    where = locale(lang)
    decimal, group = get_decimal_symbol(where), get_group_symbol(where)
    if (decimal, group) == (".", ","):
        return number
    return number.replace(",", "\0").replace(".", decimal).replace("\0", group)


@cache
def catalog(lang: Lang) -> Catalog:
    """The catalogue of one language, read once (English for a language without one)."""
    from babel.messages.pofile import read_po

    lang = lang if lang in languages() else FALLBACK
    path = resources.files("rbm.i18n") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


@cache
def _messages(lang: Lang) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in catalog(lang) if m.id and m.string}


def keys(lang: Lang) -> frozenset[str]:
    return frozenset(_messages(lang))


def t(key: str, lang: Lang, /, **params: object) -> str:
    """The message `key` in `lang`, formatted with `params`; a missing key raises KeyError."""
    template = _messages(lang)[key]
    return template.format(**params) if params else template


def text(key: str, /, **params: object) -> Text:
    """The message `key` in every catalogue's language and every language of a `Text`
    parameter (which is used in each)."""
    given = (lang for v in params.values() if isinstance(v, Text) for lang in v.langs if lang)
    return Text.build(
        dict.fromkeys((*languages(), *given)),
        lambda lang: t(
            key, lang, **{k: v.get(lang) if isinstance(v, Text) else v for k, v in params.items()}
        ),
    )


def joined(parts: Sequence[Text], separator: str = "format.list_separator") -> Text:
    """`parts` as one list in each language, with that language's separator (a message)."""
    return Text.combine(lambda lang: t(separator, lang).join(p.get(lang) for p in parts), *parts)
