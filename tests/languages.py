"""The languages of the embedded WIPO package, which most tests build reports of, and a
package moved to other languages."""

from __future__ import annotations

from pathlib import Path

from rbm.domain.text import Lang

LANGS: tuple[Lang, ...] = ("zh", "en")


def relabel(package: Path, languages: dict[str, str]) -> None:
    """A package's text columns renamed `NAME_zh` → `NAME_<new>` in headers and schemas."""
    path = package / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    for old, new in languages.items():
        text = text.replace(f'_{old}"', f'_{new}"')
    path.write_text(text, encoding="utf-8")
    for csv in (package / "data").glob("*.csv"):
        header, _, rest = csv.read_text(encoding="utf-8").partition("\n")
        for old, new in languages.items():
            header = ",".join(
                f"{c[: -len(old)]}{new}" if c.endswith(f"_{old}") else c for c in header.split(",")
            )
        csv.write_text(f"{header}\n{rest}", encoding="utf-8")
