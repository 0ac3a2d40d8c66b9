"""The generated parts of the documentation are current (regenerate with `make docs`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rbm.docs import PARTS, splice

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", sorted(PARTS))
def test_generated_documentation_is_current(name: str) -> None:
    begin, end, render = PARTS[name]
    text = (DOCS / name).read_text(encoding="utf-8")
    assert splice(text, begin, end, render()) == text
