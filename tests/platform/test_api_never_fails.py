"""Whatever a client sends to any API operation, the answer is never a server error.

Schemathesis reads Accord's own OpenAPI document and generates requests for
every operation (valid ones, and ones that break the schema on purpose), sent
in-process to the real application with a real token and database. A 5xx
from any of them fails the test, naming the requests that caused it.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from accord.platform.tokens import create_token

EXAMPLES_PER_OPERATION = 6


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
            response = case.call(headers=headers)
            if response.status_code >= 500:
                server_errors.append(
                    f"{case.method} {case.formatted_path} query={case.query} body={case.body!r} -> {response.status_code}"
                )

        send()

    assert operations >= 50  # every capability's API is in the document
    assert not server_errors, "\n".join(server_errors[:20])
