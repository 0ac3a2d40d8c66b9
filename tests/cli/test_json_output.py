"""`--format json` output: the same JSON value json.dumps writes, the outer levels indented
and each record on one line."""

from __future__ import annotations

import io
import json
from enum import StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rbm.cli.json_output import write_json

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


def written(payload: object) -> str:
    stream = io.StringIO()
    write_json(payload, stream)
    return stream.getvalue()


@given(VALUES)
def test_any_value_reads_back_as_json_writes_it(value: object) -> None:
    assert json.loads(written(value)) == json.loads(json.dumps(value))


class Kind(StrEnum):
    A = "a"


def test_keys_and_text_as_json_writes_them() -> None:
    payload = {2: "一", True: None, None: 1.5, 0.5: 0, Kind.A: [(1, 2)], "é": {}}
    text = written(payload)
    assert json.loads(text) == json.loads(json.dumps(payload, ensure_ascii=False))
    assert "一" in text and "é" in text  # not \\u escapes
    assert text.endswith("}\n")
    with pytest.raises(TypeError):
        written({(1, 2): 0})


def test_one_record_a_line() -> None:
    payload = {"biennium": "2024-25", "pies": [{"id": "1", "target": {"value": "3"}}, {"id": "2"}]}
    assert written(payload).splitlines() == [
        "{",
        '  "biennium": "2024-25",',
        '  "pies": [',
        '    {"id": "1", "target": {"value": "3"}},',
        '    {"id": "2"}',
        "  ]",
        "}",
    ]
