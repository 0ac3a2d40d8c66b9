from __future__ import annotations

from pathlib import Path

from rbm.datapackage import reference
from rbm.datapackage.resources import RESOURCES

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-package.md"


def test_the_documented_reference_is_current() -> None:
    """Regenerate with `make docs` when a resource changes."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index(reference.BEGIN)
    end = text.index(reference.END) + len(reference.END) + 1
    assert text[start:end] == reference.render()


def test_every_resource_and_column_is_documented() -> None:
    rendered = reference.render()
    for resource in RESOURCES:
        assert f"### `{resource.name}`" in rendered
        assert all(f"| `{column}` |" in rendered for column in resource.columns)
