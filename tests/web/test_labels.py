"""A text field's label names its language, whatever languages the package has."""

from __future__ import annotations

from rbm.web.labels import field_label


def test_a_text_field_is_labelled_with_its_language() -> None:
    assert field_label("risk_fr", "en") == "Risk (French)"
    assert field_label("risk_en", "fr") == "Risque (anglais)"
    assert field_label("assessor_justification_zh", "zh") == "评估人理由（中文）"
    assert field_label("amount", "en") == "Amount"
    assert field_label("no_such_field", "en") == "no_such_field"
