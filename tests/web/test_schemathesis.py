"""schemathesis against /api/openapi.json with an administrator's token: whatever the
generated input, the API answers without a server error, and every error has the one shape.

The operations are driven with Hypothesis directly (schemathesis's pytest plugin does not
run on pytest 9); each operation gets its own examples."""

from __future__ import annotations

from datetime import UTC, datetime

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from rbm.store.accounts import create_token

NOW = datetime(2026, 1, 5, tzinfo=UTC)
# a build renders the whole report in the background: tests/web/test_build.py covers it
SKIPPED = {("POST", "/api/builds")}
EXAMPLES = 15


def test_no_server_errors_for_any_generated_input(app: FastAPI) -> None:
    token = create_token(app.state.rbm.engine, "ada", NOW)
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    tried = []
    for operation in operations:
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        tried.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.text}"
            )
            if response.status_code >= 400:
                error = response.json()["error"]
                assert error["status"] == response.status_code
                assert error["code"] and error["message"]

        no_server_error()
    assert len(tried) >= 5
