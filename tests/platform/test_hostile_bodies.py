"""Hostile bodies and text get a clear 4xx naming the problem, never a 5xx, and nothing is stored.

Sent to real write endpoints of several capabilities, with a real token and
database (SQLite here, PostgreSQL in CI, which raises on NUL bytes and
over-length text if they ever reach it).
"""

import json

import pytest

from accord.platform.limits import MAX_JSON_DEPTH
from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db

# Endpoints that take a JSON object; each a write of a different capability.
WRITES = [
    "/api/v1/dialogue/working-groups",
    "/api/v1/dialogue/meetings",
    "/api/v1/commitments/spending",
    "/api/v1/mobility/movements",
    "/api/v1/safe/assess",
    "/api/v1/missions/forcegen",
]


@pytest.fixture
def client(api_client, make_user):
    return api_client(make_user("PL", "viewer", "editor", "approver", "administrator"))


def _post(client, path, body: bytes | str, content_type="application/json"):
    return client.post(path, data=body, content_type=content_type)


def _messages(response) -> str:
    return json.dumps(response.json())


@pytest.mark.parametrize("path", WRITES)
def test_a_body_nested_three_thousand_levels_deep_is_refused_with_422(client, path):
    body = '{"title":' + "[" * 3000 + "]" * 3000 + "}"
    response = _post(client, path, body)
    assert response.status_code == 422, response.content[:300]
    assert f"nested more than {MAX_JSON_DEPTH} levels" in _messages(response)


@pytest.mark.parametrize("path", WRITES)
def test_an_integer_of_five_thousand_digits_is_refused_with_422(client, path):
    response = _post(client, path, '{"amount": ' + "9" * 5000 + "}")
    assert response.status_code == 422, response.content[:300]
    assert "number of 5,000 characters" in _messages(response)


@pytest.mark.parametrize("path", WRITES)
@pytest.mark.parametrize("text, reason", [("Plan\\u0000B", "NUL"), ("Plan \\ud800", "unpaired surrogate")])
def test_text_that_is_not_text_is_refused_with_the_field_named(client, path, text, reason):
    before = AuditEntry.objects.count()
    response = _post(client, path, '{"title": "' + text + '", "notes": ["ok"]}')
    assert response.status_code == 422, response.content[:300]
    errors = response.json()["errors"]
    assert errors[0]["field"] == "title" and reason in errors[0]["message"]
    assert AuditEntry.objects.count() == before  # nothing stored


def test_text_deep_in_a_body_is_named_by_its_path(client):
    body = {"title": "Meeting", "attendees": [{"name": "ok"}, {"name": "bad\u0000"}]}
    response = _post(client, "/api/v1/dialogue/meetings", json.dumps(body))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "attendees.1.name"


def test_a_body_over_the_endpoint_limit_is_refused_with_413_naming_the_limit(client):
    body = json.dumps({"name": "x" * (1024 * 1024 + 10)})
    response = _post(client, "/api/v1/dialogue/working-groups", body)
    assert response.status_code == 413
    assert "at most 1 MB" in _messages(response)


def test_a_bill_of_materials_endpoint_accepts_more_than_the_default(client):
    body = json.dumps({"title": "Big case", "bom": [{"id": str(n), "description": "x" * 200} for n in range(8000)]})
    assert len(body) > 1024 * 1024
    response = _post(client, "/api/v1/safe/assess", body)
    assert response.status_code != 413 and response.status_code < 500


def test_a_nul_in_a_query_parameter_is_refused_with_its_name(client):
    response = client.get("/api/v1/parties", {"kind": "state\x00"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"


def test_text_is_normalised_to_one_unicode_form_and_numbers_keep_their_digits():
    from accord.platform.limits import check_json_body

    body = '{"name": "Re\u0301union", "amount": 12345678901234567.89123}'
    normalised = check_json_body(body.encode("utf-8")).decode("utf-8")
    assert "R\u00e9union" in normalised and "12345678901234567.89123" in normalised


def test_a_web_form_with_a_nul_is_refused_with_400_naming_the_field(make_user, client):
    from django.test import Client

    web = Client()
    web.force_login(make_user("PL", "editor"))
    response = web.post("/dialogue/meetings/new", {"title": "Plan\x00B"})
    assert response.status_code == 400
    assert b"title" in response.content and b"NUL" in response.content
