"""Regenerates the generated parts of the documentation: `python -m rbm.docs`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rbm.cli import app
from rbm.cli import reference as cli_reference
from rbm.datapackage import reference as package_reference
from rbm.web import reference as web_reference

DOCS = Path("docs")

PARTS: dict[str, tuple[str, str, Callable[[], str]]] = {
    "data-package.md": (
        package_reference.BEGIN,
        package_reference.END,
        package_reference.render,
    ),
    "cli.md": (cli_reference.BEGIN, cli_reference.END, lambda: cli_reference.render(app)),
    "web.md": (web_reference.BEGIN, web_reference.END, web_reference.render),
}


def splice(text: str, begin: str, end: str, generated: str) -> str:
    """`text` with the part between the markers replaced by `generated`."""
    start, stop = text.index(begin), text.index(end) + len(end) + 1
    return text[:start] + generated + text[stop:]


def main(folder: Path = DOCS) -> None:
    for name, (begin, end, render) in PARTS.items():
        path = folder / name
        path.write_text(
            splice(path.read_text(encoding="utf-8"), begin, end, render()), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
