from __future__ import annotations

from rbm.datapackage import reference
from rbm.datapackage.resources import RESOURCES


def test_every_resource_and_column_is_documented() -> None:
    rendered = reference.render()
    for resource in RESOURCES:
        assert f"### `{resource.name}`" in rendered
        assert all(f"| `{column}` |" in rendered for column in resource.columns(("<lang>",)))
