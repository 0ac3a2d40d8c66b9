"""Building the report from the web in the background."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
