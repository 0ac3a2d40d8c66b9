"""Risks by expected result and organizational risks."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
