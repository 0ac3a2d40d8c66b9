"""Reconciliation findings: published figures against the engine's."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
