"""Finance tables with filters and CSV/XLSX downloads."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
