"""The catalogues: zh and en have the same keys, and every key the code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

from rbm import i18n
from rbm.datapackage.errors import ERROR_TYPES
from rbm.datapackage.resources import RESOURCES

SRC = Path(i18n.__file__).resolve().parent.parent


def test_both_languages_have_the_same_keys() -> None:
    assert i18n.keys("zh") == i18n.keys("en")


def test_every_literal_key_used_in_code_exists() -> None:
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r'\bt\(\s*"([a-z][\w.-]+)"', path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys"
    assert used <= i18n.keys("en")


def test_every_error_type_resource_and_dimension_has_labels() -> None:
    keys = i18n.keys("en")
    for error in ERROR_TYPES:
        assert {f"error.{error}.title", f"error.{error}.expected"} <= keys
    for resource in RESOURCES:
        assert f"resource.{resource.name}" in keys


def test_placeholders_agree_between_languages() -> None:
    for key in i18n.keys("en"):
        fields = {lang: set(re.findall(r"\{(\w+)\}", i18n.t(key, lang))) for lang in ("zh", "en")}
        assert fields["zh"] == fields["en"], key


def test_chinese_catalogue_is_chinese() -> None:
    assert re.search(r"[\u4e00-\u9fff]", i18n.t("error.missing-value.title", "zh"))
    assert i18n.text("resource.pies").get("en").startswith("Performance indicator")
