"""The labels of editable fields, a text field's in each language of the package."""

from __future__ import annotations

from rbm.domain.text import Lang
from rbm.i18n import keys, language_name, t


def field_label(name: str, lang: Lang) -> str:
    """A field as a form labels it: its own label, or a text field's with the language named
    (`risk_fr` → "Risk (French)"); the name itself when the catalogue has neither."""
    key = f"web.field.{name}"
    if key in keys(lang):
        return t(key, lang)
    base, _, code = name.rpartition("_")
    if base and f"web.field.{base}" in keys(lang):
        label = t(f"web.field.{base}", lang)
        return t("web.field.in_language", lang, label=label, language=language_name(code, lang))
    return name
