"""Schemathesis against our own OpenAPI: every operation, as each kind of caller, over real HTTP.

For each operation and each caller (anonymous, client, expert, admin) Hypothesis draws a bounded
number of requests from the document (``EXAMPLES``); every answer must be no 5xx, a status the
operation documents, the content type it documents, and a body matching the documented schema.
The document is the contract the web app's generated client is built from.
"""

from __future__ import annotations

import asyncio
from typing import Any

import hypothesis
import requests
import schemathesis
from hypothesis import HealthCheck
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from procus.store.db import Database
from tests.support.bookings import http_expert, http_user
from tests.support.http_server import serve_in_thread

EXAMPLES = 5
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Ending the caller's own sessions would turn the rest of its run into 401s; they are fuzzed anonymously.
_SESSION_ENDING = frozenset({"logout", "logoutAll", "revokeSession"})


async def _callers(client: Any, db: Database) -> dict[str, dict[str, str]]:
    _, client_headers = await http_user(client, db)
    _, expert_headers = await http_expert(client, db)
    admin_id, admin_headers = await http_user(client, db, full_name="Ada Admin")
    async with db.connection() as conn:
        await conn.execute("UPDATE users SET role = 'admin' WHERE id = $1", admin_id)
    return {"anonymous": {}, "client": client_headers, "expert": expert_headers, "admin": admin_headers}


def _property(
    operation: schemathesis.APIOperation, base_url: str, session: requests.Session, headers: dict[str, str]
) -> Any:
    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=10)
        case.validate_response(response, checks=CHECKS)

    return run


def _fuzz(base_url: str, callers: dict[str, dict[str, str]]) -> list[str]:
    schema = schemathesis.openapi.from_url(f"{base_url}/schema/openapi.json")
    session = requests.Session()
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        operation_id = operation.definition.raw.get("operationId", operation.label)
        for caller, headers in callers.items():
            if caller != "anonymous" and operation_id in _SESSION_ENDING:
                continue
            try:
                _property(operation, base_url, session, headers)()
            except (Exception, BaseExceptionGroup) as exc:  # every failing operation is reported together
                failures.append(f"{operation_id} as {caller}: {str(exc)[:1500]}")
    return failures


async def test_every_operation_keeps_its_documented_contract_under_fuzzing(
    client: Any, settings: Settings, integrations: Integrations, db: Database
) -> None:
    callers = await _callers(client, db)
    app = create_app(settings, integrations)
    with serve_in_thread(app) as base_url:
        failures = await asyncio.to_thread(_fuzz, base_url, callers)
    assert not failures, "\n\n".join(failures)[:20_000]
