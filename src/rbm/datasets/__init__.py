"""Embedded data packages, loadable by name (e.g. `rbm load wipo-2024-25`)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT = "wipo-2024-25"


def embedded(name: str) -> Path | None:
    """The folder of the embedded package `name`, or None when there is none."""
    folder = resources.files("rbm.datasets") / name
    path = Path(str(folder))
    return path if (path / "datapackage.json").is_file() else None


def names() -> list[str]:
    root = Path(str(resources.files("rbm.datasets")))
    return sorted(p.name for p in root.iterdir() if (p / "datapackage.json").is_file())


def resolve(name_or_path: str) -> Path:
    """An embedded package's folder for a known name; otherwise the path as given."""
    return embedded(name_or_path) or Path(name_or_path)
