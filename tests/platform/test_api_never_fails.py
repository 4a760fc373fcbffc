"""Whatever a client sends to any API operation, the answer is never a server error.

Schemathesis reads Accord's own OpenAPI document and generates requests for
every operation (valid ones, and ones that break the schema on purpose), sent
in-process to the real application with a real token and database. A 5xx
from any of them, or an answer that does not match the documented schema of
its status (the error answers are documented once for all operations in
``accord.api``), fails the test, naming the requests that caused it.

The stateful phase chains operations (create, then read, change and act on
what was created, following links Schemathesis infers from the schema), with
a fixed seed and a bounded number of steps so the run stays within minutes.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from accord.platform.tokens import create_token

EXAMPLES_PER_OPERATION = 6
STATEFUL_SCENARIOS = 60
STATEFUL_STEPS = 8
SEED = 20260517
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def connection_kept_across_requests():
    """Keep the test's database connection (and its transaction) open across requests.

    Django closes connections at the start and end of each request; its own test
    client switches that off, and so must a client that calls the WSGI app directly.
    """
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_no_request_to_any_operation_gets_a_server_error(connection_kept_across_requests, reference_data, make_user):
    from django.core.wsgi import get_wsgi_application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {create_token(make_user('PL', 'viewer', 'editor', 'approver'))}"}
    server_errors: list[str] = []
    operations = 0

    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def send(case):
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            except FailureGroup as failure:
                server_errors.append(
                    f"{case.method} {case.formatted_path} query={case.query} body={str(case.body)[:200]!r}: "
                    f"{str(failure).strip().splitlines()[0][:300]}"
                )

        send()

    assert operations >= 50  # every capability's API is in the document
    assert not server_errors, "\n".join(server_errors[:20])


@pytest.mark.django_db
def test_chained_operations_never_get_a_server_error_or_an_undocumented_answer(
    connection_kept_across_requests, reference_data, make_user
):
    from django.core.wsgi import get_wsgi_application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {create_token(make_user('PL', 'viewer', 'editor', 'approver'))}"}
    base = schema.as_state_machine()
    calls: list[str] = []

    class Workflow(base):
        def get_call_kwargs(self, case):
            calls.append(f"{case.method} {case.path}")
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    seed(SEED)(Workflow.TestCase)
    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # The scenarios chain what links Schemathesis can infer (most answers are untyped objects).
    assert len(set(calls)) >= 5, sorted(set(calls))
