"""Published marks: a vocabulary of the package, not of the code.

A source prints a mark beside each rated target (WIPO's report prints ⚫, U+F070 and ⧫, whose
colours were lost in extraction). What a mark stands for is the package's `marks` setting:
each mark → the ratings it can stand for. A computed rating agrees with a mark when it is one
of those; a mark the vocabulary does not define agrees with nothing, and is a data error
(`rbm.datapackage.rules.mark_errors`).

>>> from rbm.domain.enums import Rating as R
>>> marks = {"●": frozenset({R.FULLY, R.PARTIALLY}), "\\uf070": frozenset({R.NOT_ACHIEVED})}
>>> meaning("●", marks), meaning("x", marks)
((<Rating.FULLY: 'fully'>, <Rating.PARTIALLY: 'partially'>), ())
>>> mark_text("\\uf070"), mark_text("●")
('U+F070', '●')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from rbm.domain.enums import Rating
from rbm.domain.text import Lang
from rbm.i18n import t

Marks = Mapping[str, frozenset[Rating]]

# characters that print nothing visible: private use, unassigned, controls, format, spaces
_INVISIBLE = {"Co", "Cn", "Cc", "Cf", "Zs", "Zl", "Zp"}


def meaning(mark: str, marks: Marks) -> tuple[Rating, ...]:
    """The ratings `mark` stands for, in the order of `Rating`; () when it is not defined."""
    means = marks.get(mark, frozenset())
    return tuple(r for r in Rating if r in means)


def agrees(rating: Rating, mark: str, marks: Marks) -> bool:
    """Whether `rating` is one the mark stands for; an undefined mark agrees with nothing."""
    return rating in marks.get(mark, frozenset())


def mark_text(mark: str) -> str:
    """The mark as a reader can see it: characters that render blank as U+XXXX."""
    return " ".join(
        f"U+{ord(ch):04X}" if unicodedata.category(ch) in _INVISIBLE else ch for ch in mark
    )


def mark_label(mark: str, marks: Marks, lang: Lang) -> str:
    """The mark and what it stands for, e.g. `U+F070 not achieved`; a mark the vocabulary does
    not define says so."""
    means = meaning(mark, marks)
    if not means:
        return f"{mark_text(mark)} {t('error.enum-error.title', lang)}"
    names = t("rating.separator", lang).join(t(f"rating.{r.value}", lang) for r in means)
    return f"{mark_text(mark)} {names}"


def allowed(marks: Marks) -> str:
    """The defined marks as an error message lists them, and where they are defined."""
    listed = ", ".join(mark_text(m) for m in marks)
    return f"{listed} (rbm.marks)" if listed else "(rbm.marks)"
