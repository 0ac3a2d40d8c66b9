"""JSON on standard output (`--format json`), written record by record as it is encoded."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TextIO

# The outer levels are laid out one member a line, indented; what is deeper (a PIE, a
# finding, a total) is one compact line, encoded by json's C encoder. Rich's pretty-printer
# took 91% of `rbm assess --format json` at a hundred times WIPO's size, and json's
# indenting encoder, pure Python, still three times as long as this (docs/performance.md).
LEVELS = 2
INDENT = "  "

_encode: Callable[[object], str] = json.JSONEncoder(ensure_ascii=False).encode


def write_json(payload: object, stream: TextIO | None = None) -> None:
    """`payload` as JSON on `stream` (standard output by default), then a newline."""
    write = (stream or sys.stdout).write
    _write(payload, write, 0)
    write("\n")


def _write(value: object, write: Callable[[str], object], depth: int) -> None:
    if depth >= LEVELS or not value or not isinstance(value, dict | list | tuple):
        write(_encode(value))
        return
    margin = INDENT * depth
    items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
    opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
    write(opening)
    for n, (key, item) in enumerate(items):
        write(f"{',' if n else ''}\n{margin}{INDENT}")
        if isinstance(value, dict):
            write(f"{_encode(_key(key))}: ")
        _write(item, write, depth + 1)
    write(f"\n{margin}{closing}")


def _key(key: object) -> str:
    """A member name as json writes it: a string as it is; true, false, null or a number as
    their JSON text; anything else is refused as json refuses it."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool | int | float):
        return _encode(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
