"""Texts in any languages: what a reader of each language sees."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rbm.domain.text import Text

LANG = st.sampled_from(["zh", "en", "fr", "es", "ar", "pt-BR"])
TEXTS = st.dictionaries(LANG, st.text(min_size=0, max_size=5), max_size=4)


@given(TEXTS, LANG)
def test_a_language_reads_its_own_text_or_the_first_there_is(
    values: dict[str, str], lang: str
) -> None:
    text = Text.of(values)
    given_ = {k: v for k, v in values.items() if v}
    if lang in given_:
        assert text.get(lang) == given_[lang] == text.exact(lang)
    else:
        assert text.get(lang) == next(iter(given_.values()), "")
        assert text.exact(lang) == ""
    assert bool(text) == bool(given_)
    assert text.langs == tuple(given_)


@given(TEXTS, st.text(max_size=3))
def test_prefix_and_map_keep_the_languages(values: dict[str, str], prefix: str) -> None:
    text = Text.of(values)
    assert text.prefixed(prefix).langs == text.langs
    assert all(text.prefixed(prefix).get(lang) == prefix + text.get(lang) for lang in text.langs)
    assert text.map(str.upper).as_dict() == {k: v.upper() for k, v in text.as_dict().items()}


def test_a_plain_text_reads_the_same_in_every_language() -> None:
    code = Text.plain("A.1")
    assert [code.get(lang) for lang in ("zh", "fr", "xx")] == ["A.1"] * 3
    assert code.exact("fr") == "A.1"
    assert not Text.plain("") and not Text.plain(None)


def test_join_speaks_every_language_of_its_parts() -> None:
    name = Text.of(en="Madrid", fr="Madrid")
    label = Text.of(en="applications", es="solicitudes")
    joined = Text.join(" ", name, label)
    assert joined.langs == ("en", "fr", "es")
    assert joined.get("es") == "Madrid solicitudes"  # the name falls back to its first
    assert Text.join(" ", Text.plain("1"), Text.plain("2")).get("zh") == "1 2"
