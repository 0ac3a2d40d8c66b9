"""The workflow's rules as pure functions: the states a PIE moves through and who may act.

    draft ──submit──▶ submitted ──validate──▶ validated
                        │  ▲  ▲                    │
                 return │  │  └────────────────────┘
                        ▼  │ submit   baseline or target changed
                      returned

Edits of performance data are allowed in draft and returned; the baseline and target (the
framework) at any time, but changing them under a validated PIE submits it again, so that its
rating is validated anew. A locked biennium refuses all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rbm.domain.enums import WorkflowState
from rbm.domain.workflow import Action, Role, User

S = WorkflowState

TRANSITIONS: dict[tuple[WorkflowState, Action], WorkflowState] = {
    (S.DRAFT, Action.SUBMIT): S.SUBMITTED,
    (S.RETURNED, Action.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, Action.VALIDATE): S.VALIDATED,
    (S.SUBMITTED, Action.RETURN): S.RETURNED,
}
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# the edits that change what a validation was given (a PIE's baseline and target): a
# validated PIE goes back to the validator
REOPENING: frozenset[Action] = frozenset({Action.EDIT_FRAMEWORK})

# Which roles may take each action (a focal point only for its own sectors).
ROLES: dict[Action, frozenset[Role]] = {
    Action.EDIT_PERFORMANCE: frozenset({Role.FOCAL_POINT, Role.PLANNER, Role.ADMINISTRATOR}),
    Action.EDIT_FRAMEWORK: frozenset({Role.PLANNER, Role.ADMINISTRATOR}),
    Action.SUBMIT: frozenset({Role.FOCAL_POINT, Role.PLANNER, Role.ADMINISTRATOR}),
    Action.VALIDATE: frozenset({Role.VALIDATOR}),
    Action.RETURN: frozenset({Role.VALIDATOR}),
    Action.LOCK: frozenset({Role.PLANNER, Role.ADMINISTRATOR}),
}


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether an action is allowed; `reason` is a catalogue key saying why not."""

    allowed: bool
    reason: str | None = None

    @classmethod
    def no(cls, reason: str) -> Decision:
        return cls(False, f"workflow.refused.{reason}")


YES = Decision(True)


def next_state(state: WorkflowState, action: Action) -> WorkflowState | None:
    """The state after `action`, or None when the action does not apply in `state`."""
    return TRANSITIONS.get((state, action))


def decide(
    user: User,
    action: Action,
    state: WorkflowState,
    sectors: Iterable[str] = (),
    locked: bool = False,
) -> Decision:
    """May `user` take `action` on a PIE in `state` whose indicator belongs to `sectors`?"""
    if not user.active:
        return Decision.no("inactive")
    if locked:
        return Decision.no("locked")
    if user.role not in ROLES[action]:
        return Decision.no("role")
    if user.role == Role.FOCAL_POINT and not set(sectors) & set(user.sectors):
        return Decision.no("sector")
    if action in (Action.EDIT_PERFORMANCE, Action.EDIT_FRAMEWORK):
        return YES if state in EDITABLE or action == Action.EDIT_FRAMEWORK else Decision.no("state")
    if action == Action.LOCK:
        return YES
    return YES if next_state(state, action) is not None else Decision.no("state")


def state_after_edit(state: WorkflowState, actions: Iterable[Action]) -> WorkflowState:
    """The state of a PIE after an edit that needed `actions`: a validated PIE whose baseline
    or target changes is submitted again; any other edit leaves the state as it was."""
    if state == S.VALIDATED and REOPENING & set(actions):
        return S.SUBMITTED
    return state


def can_lock(states: Iterable[WorkflowState]) -> bool:
    """A biennium may be locked once every PIE is validated."""
    return all(state == S.VALIDATED for state in states)
