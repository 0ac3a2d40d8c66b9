"""YAML as packages may write it: plain data, no aliases.

An alias makes a node stand for another one; nested aliases grow a 700-byte document
into billions of values (the "billion laughs"), so they are refused outright.

>>> load_yaml("a: 1")
{'a': 1}
"""

from __future__ import annotations

from typing import Any

import yaml

ALIAS_HINT = "hint.yaml-alias"


class AliasError(yaml.YAMLError):
    """A document that uses an alias; `problem_mark` is where."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(f"YAML aliases are not allowed (line {mark.line + 1})")
        self.problem_mark = mark
        self.line: int = mark.line + 1


class NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing any alias (`*name`) where the document uses one."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise AliasError(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)


def load_yaml(document: str) -> Any:
    """The data of a YAML document; raises yaml.YAMLError (AliasError for an alias)."""
    return yaml.load(document, Loader=NoAliasLoader)


def compose_yaml(document: str) -> yaml.Node | None:
    """The node tree of a YAML document (for line numbers); refuses aliases the same way."""
    return yaml.compose(document, Loader=NoAliasLoader)
