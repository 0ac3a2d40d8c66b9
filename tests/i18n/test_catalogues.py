"""The catalogues: every language has the same keys, and every key the code asks for exists;
a language without a catalogue reads English."""

from __future__ import annotations

import re
from pathlib import Path

from rbm import i18n
from rbm.datapackage.errors import ERROR_TYPES
from rbm.datapackage.resources import RESOURCES
from rbm.domain.text import Text

SRC = Path(i18n.__file__).resolve().parent.parent


def test_every_language_has_the_same_keys() -> None:
    assert i18n.languages()[0] == "en" and {"zh", "fr"} <= set(i18n.languages())
    for lang in i18n.languages():
        assert i18n.keys(lang) == i18n.keys("en"), lang


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
        fields = {
            lang: set(re.findall(r"\{(\w+)\}", i18n.t(key, lang))) for lang in i18n.languages()
        }
        assert all(found == fields["en"] for found in fields.values()), (key, fields)


def test_chinese_catalogue_is_chinese() -> None:
    assert re.search(r"[\u4e00-\u9fff]", i18n.t("error.missing-value.title", "zh"))
    assert i18n.text("resource.pies").get("en").startswith("Performance indicator")


def test_a_language_without_a_catalogue_reads_english() -> None:
    assert i18n.missing(["fr", "es", "en", "tlh"]) == ("es", "tlh")
    assert i18n.t("report.column.baseline", "es") == i18n.t("report.column.baseline", "en")
    label = i18n.text("report.column.baseline")
    assert label.get("es") == label.get("en") and label.get("fr") != label.get("en")
    assert i18n.locale("es-419").language == "es" and i18n.locale("tlh").language == "en"


def test_a_data_text_keeps_languages_the_catalogues_lack() -> None:
    """A message about a package text is in the text's languages too, labels in English."""
    said = i18n.text("format.parenthetical", text=Text.of(es="Salud"), note="A.1")
    assert said.get("es") == "Salud (A.1)"
    joined = i18n.joined([Text.of(zh="甲", en="A"), Text.of(zh="乙", en="B")])
    assert (joined.get("zh"), joined.get("en")) == ("甲、乙", "A, B")
