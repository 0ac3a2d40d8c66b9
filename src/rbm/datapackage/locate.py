"""Line numbers of places in a JSON or YAML document, for error messages.

>>> locate('{"rbm": {\\n  "currency": "EURO"}}', ("rbm", "currency"))
2
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml

Path = Sequence[str | int]


def locate(document: str, path: Path) -> int | None:
    """The 1-based line of the value at `path` (keys and list indexes), or of its nearest
    parent that exists; None when the document does not parse."""
    try:
        node = yaml.compose(document, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for step in path:
        child = _child(node, step)
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node, step: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                return value  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]  # type: ignore[no-any-return]
    return None
