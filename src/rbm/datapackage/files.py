"""Where a package's files may be: inside its folder, reached without symbolic links."""

from __future__ import annotations

from pathlib import Path


def linked_part(folder: Path, relative: str) -> str | None:
    """The first part of `relative` (a path inside `folder`) that is a symbolic link, as a
    path relative to `folder`; None when none is. A link may point anywhere (/etc/passwd),
    so the files of a package are never read through one."""
    current = folder
    parts = Path(relative).parts
    for i, part in enumerate(parts):
        current = current / part
        if current.is_symlink():
            return "/".join(parts[: i + 1])
    return None
