"""The audit trail: every change, filterable."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
