"""Drawings of charts kept on disk under the hash of what drew them: a chart is drawn once
per specification, number locale and converter, across builds, languages and processes.

    >>> key({"mark": "bar"}, {"decimal": "."}) == key({"mark": "bar"}, {"decimal": "."})
    True

The directory is `$RBM_CHART_CACHE` (`off` or empty: no cache), else
`$XDG_CACHE_HOME/rbm/charts`, else `~/.cache/rbm/charts`; a drawing is the file
`<dir>/<first 2 hex>/<hash>.svg`, written atomically, its modification time its last use.
A directory that cannot be made or written only means drawing again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping
from contextlib import suppress
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ENV = "RBM_CHART_CACHE"
ENV_LIMIT = "RBM_CHART_CACHE_MB"  # the size the directory is brought back under
DEFAULT_LIMIT_MB = 200
OFF = ("", "off")
SUFFIX = ".svg"
TEMP_SUFFIX = ".tmp"
STALE_TEMP = 3600.0  # s: a temp file this old was left by a writer that died


def directory() -> Path | None:
    """Where drawings are kept, or None when the cache is off."""
    value = os.environ.get(ENV)
    if value is not None:
        return None if value.strip().lower() in OFF else Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rbm" / "charts"


def limit() -> int:
    """The size cap of the directory in bytes, from `$RBM_CHART_CACHE_MB`."""
    try:
        megabytes = float(os.environ.get(ENV_LIMIT, DEFAULT_LIMIT_MB))
    except ValueError:
        megabytes = DEFAULT_LIMIT_MB
    return max(0, int(megabytes * 1024 * 1024))


@cache
def converter() -> str:
    """The version of vl-convert, part of every key: another converter may draw otherwise."""
    try:
        return version("vl-convert-python")
    except PackageNotFoundError:  # pragma: no cover - installed with rbm
        import vl_convert

        return str(getattr(vl_convert, "__version__", "unknown"))


def key(spec: Mapping[str, Any], number_locale: Mapping[str, Any]) -> str:
    """The sha256 of everything the drawing depends on, as canonical JSON."""
    content = {"spec": spec, "locale": number_locale, "vl_convert": converter()}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def path(where: Path, name: str) -> Path:
    return where / name[:2] / f"{name}{SUFFIX}"


def read(where: Path, name: str) -> str | None:
    """The drawing kept under `name`, or None; a drawing read is marked as just used."""
    found = path(where, name)
    try:
        text = found.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.rstrip().endswith("</svg>"):
        return None  # not a drawing this module wrote: draw it again
    with suppress(OSError):
        os.utime(found)  # its last use, for evict
    return text


def write(where: Path, name: str, drawing: str) -> bool:
    """Keep `drawing` under `name`: written to a temp file beside it, then renamed, so that
    no reader ever sees half a file. False when it cannot be written."""
    target = path(where, name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{name}.", suffix=TEMP_SUFFIX)
        try:
            os.fchmod(handle, 0o644)  # readable like any file (mkstemp makes it private)
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(drawing)
            os.replace(temp, target)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp)
            raise
    except OSError:
        return False
    return True


def draw(spec: Mapping[str, Any], number_locale: Mapping[str, Any]) -> str:
    """vl-convert's SVG of `spec`, never cached (worker processes call this)."""
    import vl_convert as vlc  # only when drawing: a warm build never loads the converter

    drawing: str = vlc.vegalite_to_svg(dict(spec), format_locale=dict(number_locale))
    return drawing


def drawn(spec: Mapping[str, Any], number_locale: Mapping[str, Any]) -> str:
    """The SVG of `spec`: the kept drawing if there is one, else drawn now and kept."""
    where = directory()
    name = key(spec, number_locale)
    found = read(where, name) if where is not None else None
    if found is not None:
        return found
    drawing = draw(spec, number_locale)
    if where is not None:
        write(where, name, drawing)
    return drawing


def evict(where: Path, cap: int) -> int:
    """Remove the least recently used drawings until the rest take at most `cap` bytes, and
    temp files left by dead writers; returns how many drawings were removed."""
    kept: list[tuple[float, int, str]] = []
    now = time.time()
    try:
        folders = [entry.path for entry in os.scandir(where) if entry.is_dir()]
        for folder in folders:
            for entry in os.scandir(folder):
                stat = entry.stat()
                if entry.name.endswith(SUFFIX):
                    kept.append((stat.st_mtime, stat.st_size, entry.path))
                elif entry.name.endswith(TEMP_SUFFIX) and now - stat.st_mtime > STALE_TEMP:
                    with suppress(OSError):
                        os.unlink(entry.path)
    except OSError:
        return 0
    total = sum(size for _, size, _ in kept)
    removed = 0
    for _, size, name in sorted(kept):  # oldest use first
        if total <= cap:
            break
        with suppress(OSError):
            os.unlink(name)
            removed += 1
        total -= size
    return removed
