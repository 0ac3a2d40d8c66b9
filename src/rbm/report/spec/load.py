"""Reading a report specification (`report.yaml` in a package) and checking it against its
JSON Schema; each problem names the file, the line, the place and what was expected."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from rbm.datapackage.errors import DataError
from rbm.datapackage.files import linked_part
from rbm.datapackage.locate import locate
from rbm.datapackage.safe_yaml import load_yaml

SPEC_FILE = "report.yaml"


@cache
def validator() -> Draft202012Validator:
    schema = json.loads((resources.files("rbm.report.spec") / "schema.json").read_text("utf-8"))
    return Draft202012Validator(schema)


def default_spec() -> dict[str, Any]:
    """The generic layout of a package without a specification of its own."""
    document = (resources.files("rbm.report.spec") / "default.yaml").read_text("utf-8")
    spec = yaml.safe_load(document)
    assert isinstance(spec, dict)
    return spec


def read_spec(
    folder: Path, sources: Iterable[str]
) -> tuple[dict[str, Any] | None, list[DataError]]:
    """The package's specification (None when it has none) and the problems found in it;
    `sources` are the package's source ids, which blocks may cite."""
    path = folder / SPEC_FILE
    if linked_part(folder, SPEC_FILE) is not None:  # never read through a link
        return None, [DataError("linked-file", SPEC_FILE, None, None, SPEC_FILE)]
    if not path.is_file():
        return None, []
    try:
        document = path.read_bytes().decode("utf-8")
        spec = load_yaml(document)  # no aliases: a few bytes of them expand to gigabytes
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return None, [
            DataError(
                "invalid-spec",
                SPEC_FILE,
                None if line is None else line + 1,
                None,
                None,
                {"expected": "hint.spec.yaml"},
            )
        ]
    errors = spec_errors(spec, document)
    if errors or not isinstance(spec, dict):
        return None, errors
    errors = reference_errors(spec, sources, document)
    return (None if errors else spec), errors


def spec_errors(spec: object, document: str = "") -> list[DataError]:
    """Every way `spec` departs from the schema, in document order."""
    errors = []
    for error in sorted(validator().iter_errors(spec), key=lambda e: list(map(str, e.path))):
        path = list(error.absolute_path)
        errors.append(
            DataError(
                "invalid-spec",
                SPEC_FILE,
                locate(document, path) if document else None,
                "/".join(str(p) for p in path) or "/",
                json.dumps(error.instance, ensure_ascii=False, default=str)[:200],
                {"expected": error.message},
            )
        )
    return errors


def reference_errors(
    spec: Mapping[str, Any], sources: Iterable[str], document: str = ""
) -> list[DataError]:
    """Sources a block cites that the package does not have."""
    known = list(sources)
    errors = []
    for path, block in _blocks(spec.get("sections", []), ("sections",)):
        for i, pattern in enumerate([block.get("source"), *block.get("prefer", [])]):
            if pattern is None or any(fnmatchcase(s, pattern) for s in known):
                continue
            where = (*path, "source") if i == 0 else (*path, "prefer", i - 1)
            errors.append(
                DataError(
                    "invalid-spec",
                    SPEC_FILE,
                    locate(document, [p for p in where if isinstance(p, str | int)])
                    if document
                    else None,
                    "/".join(map(str, where)),
                    str(pattern),
                    {"expected": "hint.spec.source"},
                )
            )
    return errors


def _blocks(
    sections: list[dict[str, Any]], path: tuple[object, ...]
) -> Iterable[tuple[tuple[object, ...], dict[str, Any]]]:
    for i, section in enumerate(sections):
        for j, block in enumerate(section.get("blocks", [])):
            yield (*path, i, "blocks", j), block
        yield from _blocks(section.get("sections", []), (*path, i, "sections"))


def _steps(path: tuple[object, ...]) -> list[str | int]:
    return [p for p in path if isinstance(p, str | int)]
