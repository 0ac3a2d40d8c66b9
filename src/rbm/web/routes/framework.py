"""The results framework drill-down, PIEs and the self-assessment and validation workflow."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
