"""The organization settings of a package's `rbm` block, each checked with a clear error."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import cached_property
from types import MappingProxyType
from typing import Any

from babel.numbers import list_currencies

from rbm.datapackage.errors import DataError
from rbm.datapackage.locate import locate
from rbm.domain.enums import Rating
from rbm.domain.settings import FULLY_AT, PARTIALLY_AT, Settings, TransferRule
from rbm.domain.text import Text
from rbm.i18n import FALLBACK, known

RATING_KEYS = {
    "fully_at": "number",
    "partially_at": "number",
    "places": "places",
    "threshold_basis": ("ratio", "progress"),
    "per_year": ("minimum", "mean"),
    "not_comparable": ("baseline", "all", "ignore"),
}
PHASES = ("approved", "adjusted", "executed")


class SettingsReader:
    """Reads the settings of one descriptor; errors name the file, line and key."""

    def __init__(self, rbm: Mapping[str, Any], document: str, file: str) -> None:
        self.rbm, self.document, self.file = rbm, document, file
        self.errors: list[DataError] = []

    def fail(
        self, path: tuple[str | int, ...], value: object, expected: str, **params: object
    ) -> None:
        self.errors.append(
            DataError(
                "invalid-setting",
                self.file,
                locate(self.document, ("rbm", *path)),
                ".".join(str(p) for p in ("rbm", *path)),
                json.dumps(value, ensure_ascii=False, default=str),
                {"expected": f"hint.setting.{expected}", **params},
            )
        )

    def currency(self) -> str | None:
        value = self.rbm.get("currency")
        if not isinstance(value, str) or value not in list_currencies():
            self.fail(("currency",), value, "currency")
            return None
        return value

    def settings(self) -> Settings:
        return Settings(
            languages=self.languages,
            currency_name=self._text("currency_name"),
            period=self._text("period", "label"),
            period_end=self._text("period", "end"),
            transfer_rule=self._transfer_rule(),
            rating=MappingProxyType(self._rating()),
            marks=MappingProxyType(self._marks()),
            utilization_basis=MappingProxyType(self._utilization_basis()),
            headlines=self._headlines(),
        )

    def _headlines(self) -> tuple[str, ...]:
        value = self.rbm.get("headlines", [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(("headlines",), value, "headlines")
            return ()
        return tuple(value)

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """The package's languages in order; English where they are missing or wrong."""
        value = self.rbm.get("languages", [FALLBACK])
        ok = (
            isinstance(value, list)
            and value
            and all(isinstance(v, str) for v in value)
            and len(set(value)) == len(value)
        )
        if not ok:
            self.fail(("languages",), value, "languages")
            return (FALLBACK,)
        for i, lang in enumerate(value):
            if not known(lang):
                self.fail(("languages", i), lang, "language")
        return tuple(v for v in value if known(v)) or (FALLBACK,)

    def _text(self, *path: str) -> Text | None:
        value: object = self.rbm
        for step in path:
            if not isinstance(value, dict) or step not in value:
                return None
            value = value[step]
        langs = self.languages
        if not isinstance(value, dict) or not all(
            isinstance(value.get(lang), str) and value[lang].strip() for lang in langs
        ):
            self.fail(path, value, "text", langs=", ".join(langs))
            return None
        return Text.of({lang: value[lang] for lang in langs})

    def _transfer_rule(self) -> TransferRule | None:
        value = self.rbm.get("transfer_rule")
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(("transfer_rule",), value, "transfer_rule")
            return None
        pcts = [
            self._percent(("transfer_rule", k), value.get(k)) for k in ("sector_pct", "total_pct")
        ]
        basis = value.get("basis", "net")
        if basis not in ("net", "gross"):
            self.fail(("transfer_rule", "basis"), basis, "choice", choices="net, gross")
        unknown = set(value) - {"sector_pct", "total_pct", "basis"}
        for key in sorted(unknown):
            self.fail(
                ("transfer_rule", key), value[key], "known_key", keys="sector_pct, total_pct, basis"
            )
        if pcts[0] is None or pcts[1] is None or basis not in ("net", "gross"):
            return None
        return TransferRule(pcts[0], pcts[1], basis)

    def _percent(self, path: tuple[str, ...], value: object) -> Decimal | None:
        number = _number(value)
        if number is None or not Decimal(0) <= number <= Decimal(100):
            self.fail(path, value, "percent")
            return None
        return number

    def _rating(self) -> dict[str, object]:
        value = self.rbm.get("rating", {})
        if not isinstance(value, dict):
            self.fail(("rating",), value, "rating")
            return {}
        out: dict[str, object] = {}
        for key, item in value.items():
            kind = RATING_KEYS.get(key)
            path = ("rating", key)
            if kind is None:
                self.fail(path, item, "known_key", keys=", ".join(RATING_KEYS))
            elif kind == "number":
                if (number := self._percent(path, item)) is not None:
                    out[key] = number
            elif kind == "places":
                if item is not None and (not isinstance(item, int) or not 0 <= item <= 6):
                    self.fail(path, item, "places")
                else:
                    out[key] = item
            elif item not in kind:
                self.fail(path, item, "choice", choices=", ".join(kind))
            else:
                out[key] = item
        # a band left out keeps its default, which must be in order with the one given
        partially, fully = out.get("partially_at", PARTIALLY_AT), out.get("fully_at", FULLY_AT)
        given = [key for key in ("partially_at", "fully_at") if key in value]
        if given and all(key in out for key in given):
            assert isinstance(partially, Decimal) and isinstance(fully, Decimal)
            if partially > fully:
                self.fail(("rating", given[0]), value[given[0]], "bands")
        return out

    def _marks(self) -> dict[str, frozenset[Rating]]:
        value = self.rbm.get("marks", {})
        if not isinstance(value, dict):
            self.fail(("marks",), value, "marks")
            return {}
        ratings = {r.value: r for r in Rating}
        out: dict[str, frozenset[Rating]] = {}
        for mark, means in value.items():
            if not isinstance(means, list) or not means or any(m not in ratings for m in means):
                self.fail(("marks", mark), means, "mark", ratings=", ".join(ratings))
                continue
            out[mark] = frozenset(ratings[m] for m in means)
        return out

    def _utilization_basis(self) -> dict[str, str]:
        value = self.rbm.get("utilization_basis", {})
        return self._mapping(("utilization_basis",), value, lambda v: v in PHASES, "phase")

    def _mapping(
        self,
        path: tuple[str, ...],
        value: object,
        good: Callable[[object], bool],
        expected: str,
    ) -> dict[str, str]:
        if not isinstance(value, dict):
            self.fail(path, value, "mapping")
            return {}
        out = {}
        for key, item in value.items():
            if good(item):
                out[str(key)] = str(item)
            else:
                self.fail((*path, key), item, expected, choices=", ".join(PHASES))
        return out


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def settings_block(settings: Settings) -> dict[str, Any]:
    """The settings as the `rbm` block of a descriptor writes them (the reader's inverse)."""
    langs = settings.languages
    block: dict[str, Any] = {"languages": list(langs)}
    if settings.currency_name is not None:
        block["currency_name"] = settings.currency_name.as_dict(langs)
    period = {
        key: text.as_dict(langs)
        for key, text in (("label", settings.period), ("end", settings.period_end))
        if text is not None
    }
    if period:
        block["period"] = period
    rule = settings.transfer_rule
    if rule is not None:
        block["transfer_rule"] = {
            "sector_pct": _json_number(rule.sector_pct),
            "total_pct": _json_number(rule.total_pct),
            "basis": rule.basis,
        }
    if settings.rating:
        block["rating"] = {
            k: _json_number(v) if isinstance(v, Decimal) else v for k, v in settings.rating.items()
        }
    if settings.marks:
        block["marks"] = {
            mark: sorted(r.value for r in means) for mark, means in settings.marks.items()
        }
    if settings.utilization_basis:
        block["utilization_basis"] = dict(settings.utilization_basis)
    if settings.headlines:
        block["headlines"] = list(settings.headlines)
    return block


def read_settings(block: Mapping[str, Any], file: str) -> Settings:
    """Settings written by `settings_block` (e.g. kept in the store); they were checked when
    their package was read, so a problem here is a bug and raises."""
    reader = SettingsReader(block, json.dumps(block, ensure_ascii=False), file)
    settings = reader.settings()
    if reader.errors:
        raise ValueError(reader.errors[0].message("en"))
    return settings


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
