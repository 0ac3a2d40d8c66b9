"""Message catalogues (gettext .po files read with Babel): every user-visible label."""

from __future__ import annotations

from functools import cache
from importlib import resources

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from rbm.domain.text import LANGS, Lang, Text

DOMAIN = "rbm"


@cache
def catalog(lang: Lang) -> Catalog:
    """The catalogue of one language, read once."""
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
    """The message `key` in both languages; a `Text` parameter is used in each language."""
    zh, en = (
        t(key, lang, **{k: v.get(lang) if isinstance(v, Text) else v for k, v in params.items()})
        for lang in LANGS
    )
    return Text(zh, en)
