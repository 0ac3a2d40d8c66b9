"""The workflow's rules: transitions, and who may act on which PIE in which state."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rbm.domain.enums import WorkflowState as S
from rbm.domain.workflow import Action, Role, User
from rbm.engine.workflow import can_lock, decide, next_state

FOCAL = User("ana", Role.FOCAL_POINT, ("pt",))
VALIDATOR = User("vic", Role.VALIDATOR)
PLANNER = User("pia", Role.PLANNER)
VIEWER = User("wes", Role.VIEWER)


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        (S.DRAFT, Action.SUBMIT, S.SUBMITTED),
        (S.SUBMITTED, Action.RETURN, S.RETURNED),
        (S.RETURNED, Action.SUBMIT, S.SUBMITTED),
        (S.SUBMITTED, Action.VALIDATE, S.VALIDATED),
        (S.DRAFT, Action.VALIDATE, None),
        (S.VALIDATED, Action.RETURN, None),
        (S.VALIDATED, Action.SUBMIT, None),
    ],
)
def test_transitions(state: S, action: Action, after: S | None) -> None:
    assert next_state(state, action) == after


@pytest.mark.parametrize(
    ("user", "action", "state", "sectors", "allowed", "reason"),
    [
        (FOCAL, Action.EDIT_PERFORMANCE, S.DRAFT, ("pt",), True, None),
        (FOCAL, Action.EDIT_PERFORMANCE, S.DRAFT, ("bd",), False, "sector"),
        (FOCAL, Action.EDIT_PERFORMANCE, S.SUBMITTED, ("pt",), False, "state"),
        (FOCAL, Action.EDIT_PERFORMANCE, S.RETURNED, ("pt", "bd"), True, None),
        (FOCAL, Action.SUBMIT, S.DRAFT, ("pt",), True, None),
        (FOCAL, Action.VALIDATE, S.SUBMITTED, ("pt",), False, "role"),
        (FOCAL, Action.EDIT_FRAMEWORK, S.DRAFT, ("pt",), False, "role"),
        (VALIDATOR, Action.VALIDATE, S.SUBMITTED, (), True, None),
        (VALIDATOR, Action.RETURN, S.DRAFT, (), False, "state"),
        (VALIDATOR, Action.EDIT_PERFORMANCE, S.DRAFT, (), False, "role"),
        (PLANNER, Action.EDIT_FRAMEWORK, S.VALIDATED, (), True, None),
        (VIEWER, Action.SUBMIT, S.DRAFT, (), False, "role"),
        (User("old", Role.PLANNER, active=False), Action.SUBMIT, S.DRAFT, (), False, "inactive"),
    ],
)
def test_decisions(
    user: User,
    action: Action,
    state: S,
    sectors: tuple[str, ...],
    allowed: bool,
    reason: str | None,
) -> None:
    decision = decide(user, action, state, sectors)
    assert decision.allowed == allowed
    assert decision.reason == (None if reason is None else f"workflow.refused.{reason}")


def test_a_locked_biennium_refuses_everything() -> None:
    for user in (FOCAL, VALIDATOR, PLANNER):
        for action in Action:
            assert (
                decide(user, action, S.DRAFT, ("pt",), locked=True).reason
                == "workflow.refused.locked"
            )


def test_lock_needs_every_pie_validated() -> None:
    assert can_lock([S.VALIDATED, S.VALIDATED])
    assert not can_lock([S.VALIDATED, S.RETURNED])


@given(st.lists(st.sampled_from([Action.SUBMIT, Action.VALIDATE, Action.RETURN]), max_size=20))
def test_any_sequence_of_allowed_actions_stays_in_the_state_machine(actions: list[Action]) -> None:
    """Whoever acts, a PIE only moves along the drawn transitions and never leaves validated."""
    state = S.DRAFT
    for action in actions:
        actor = VALIDATOR if action in (Action.VALIDATE, Action.RETURN) else FOCAL
        if decide(actor, action, state, ("pt",)).allowed:
            after = next_state(state, action)
            assert after is not None
            assert state != S.VALIDATED
            state = after
    assert state in set(S)
