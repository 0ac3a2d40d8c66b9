"""The self-assessment and validation workflow: who may do what to a PIE, and in which state."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEFAULT_TOKEN_DAYS = 90  # how long an API token lasts unless its creator says otherwise


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    PLANNER = "planner"  # programme performance and budget
    FOCAL_POINT = "focal_point"  # a sector's focal point: edits its own sectors only
    VALIDATOR = "validator"  # oversight: validates or returns performance data
    VIEWER = "viewer"


class Action(StrEnum):
    EDIT_PERFORMANCE = "edit_performance"  # performance data, assessor rating and justification
    EDIT_FRAMEWORK = "edit_framework"  # indicators, targets, budgets
    SUBMIT = "submit"
    VALIDATE = "validate"
    RETURN = "return"
    LOCK = "lock"  # the biennium, once every PIE is validated


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: Role
    sectors: tuple[str, ...] = ()  # a focal point's sectors
    active: bool = True
