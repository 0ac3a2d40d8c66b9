"""Capital master plan projects and trust funds."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
