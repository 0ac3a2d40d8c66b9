"""Every catalogue key the rating engine and `rbm assess` can ask for exists in zh and en."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from rbm import i18n
from rbm.domain.enums import Rating, TargetKind
from rbm.domain.text import Text
from rbm.engine.rating import methodology
from rbm.engine.rating.messages import Message, _render, number, percent
from rbm.engine.rating.methodology import NotComparable, PerYear, ThresholdBasis

SRC = Path(methodology.__file__).resolve().parent
CLI = SRC.parent.parent / "cli" / "assess.py"


def test_literal_keys_of_the_engine_exist() -> None:
    used: set[str] = set()
    for path in SRC.glob("*.py"):
        used |= set(re.findall(r'"(rating\.[a-z_.]*[a-z_])"', path.read_text("utf-8")))
    assert len(used) > 40
    for lang in ("zh", "en"):
        assert used <= i18n.keys(lang), sorted(used - i18n.keys(lang))


def test_computed_keys_exist() -> None:
    keys = {f"rating.{r.value}" for r in Rating}
    keys |= {f"rating.kind.{k.value}" for k in TargetKind}
    keys |= {f"rating.aggregate.{p.value}" for p in PerYear}
    keys |= {f"assess.basis.{b.value}" for b in ThresholdBasis}
    keys |= {f"assess.not_comparable.{n.value}" for n in NotComparable}
    keys |= {"rating.separator", "error.enum-error.title"}  # a mark's label (marks.mark_label)
    keys |= {f"assess.by_{g}" for g in ("pillar", "result", "sector")}
    keys |= {f"risk.by_{g}" for g in ("owner", "result")}
    text = CLI.read_text("utf-8")
    for group in re.findall(r"for key, justify in \((.*?)\):", text, re.S):
        keys |= {f"assess.col.{k}" for k in re.findall(r'\("(\w+)",', group)}
    keys |= {f"assess.col.{k}" for k in ("pillar", "result", "sector", "total")}
    keys |= {f"risk.col.{k}" for k in ("owner", "result")}
    keys |= {
        f"risk.col.{k}"
        for k in ("risks", "materialized", "stable", "increased", "decreased", "unknown")
    }
    for lang in ("zh", "en"):
        assert keys <= i18n.keys(lang), sorted(keys - i18n.keys(lang))


def test_rating_names_are_the_appendix_terms() -> None:
    names = {r: i18n.t(f"rating.{r.value}", "zh") for r in Rating}
    assert names == {
        Rating.FULLY: "完全实现",
        Rating.PARTIALLY: "部分实现",
        Rating.NOT_ACHIEVED: "未实现",
        Rating.NOT_ASSESSABLE: "无法评估",
        Rating.DISCONTINUED: "终止",
    }


def test_numbers_read_as_each_language_writes_them() -> None:
    assert Message.of("rating.fully").text("fr") == "entièrement atteint"
    figure = number(Decimal("61930.456"))
    assert figure == "61,930.46"
    assert _render(figure, "en") == "61,930.46"
    assert _render(figure, "fr") == "61\u202f930,46"
    assert _render(percent(Decimal("96.4"), 1), "fr") == "96,4%"
    assert _render(Text.of(en="Survey", fr="Enquête"), "fr") == "Enquête"
