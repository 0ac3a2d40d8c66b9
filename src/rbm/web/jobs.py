"""Report builds running in the background: one job per request, its progress and files."""

from __future__ import annotations


class Jobs:
    """The jobs of this process, by id."""
