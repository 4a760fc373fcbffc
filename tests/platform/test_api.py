"""The API: bearer tokens, 401 without one, parties with memberships, me."""

import pytest

from accord.platform.tokens import create_token, revoke_tokens

pytestmark = pytest.mark.django_db


def test_a_request_without_a_token_gets_401(reference_data, api_client):
    assert api_client().get("/api/v1/parties").status_code == 401
    assert api_client().get("/api/v1/me").status_code == 401


def test_a_request_with_an_unknown_token_gets_401(reference_data, client):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer acc_not-a-real-token")
    assert response.status_code == 401


def test_a_revoked_token_gets_401(make_user, client):
    user = make_user("GB", "viewer", username="gb-revoked")
    token = create_token(user)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    revoke_tokens("gb-revoked")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_a_token_of_an_inactive_user_gets_401(make_user, client):
    user = make_user("GB", "viewer")
    token = create_token(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_tokens_are_stored_only_as_hashes(make_user):
    from accord.platform.models import ApiToken

    token = create_token(make_user("GB", "viewer"))
    stored = ApiToken.objects.get(prefix=token[:10])
    assert token not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64


def test_me_names_the_user_party_and_roles(make_user, api_client):
    user = make_user("FR", "editor", "viewer", username="fr-editor")
    body = api_client(user).get("/api/v1/me").json()
    assert body == {
        "username": "fr-editor",
        "party": {"code": "FR", "name": body["party"]["name"], "kind": "state"},
        "roles": ["editor", "viewer"],
    }


def test_parties_lists_states_and_institutions(make_user, api_client):
    client = api_client(make_user("DE", "viewer"))
    codes = {p["code"] for p in client.get("/api/v1/parties").json()}
    assert {"GB", "DE", "GR", "EU", "EEAS", "COM", "COUNCIL", "NATO"} <= codes
    institutions = {p["code"] for p in client.get("/api/v1/parties?kind=institution").json()}
    assert "DE" not in institutions and "EEAS" in institutions


def test_the_uk_left_the_eu_on_31_january_2020_and_signed_its_sdp_on_19_may_2025(make_user, api_client):
    body = api_client(make_user("DE", "viewer")).get("/api/v1/parties/GB").json()
    by_framework = {m["framework"]: m for m in body["memberships"]}
    assert (by_framework["EU"]["start"], by_framework["EU"]["end"]) == ("1973-01-01", "2020-01-31")
    assert by_framework["NATO"]["start"] == "1949-08-24"
    assert by_framework["EU_SDP"]["start"] == "2025-05-19"
    assert all(m["source_title"] for m in body["memberships"])


def test_an_unknown_party_gets_404(make_user, api_client):
    assert api_client(make_user("DE", "viewer")).get("/api/v1/parties/QQ").status_code == 404


def test_the_openapi_document_and_docs_page_are_served(reference_data, client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert "/api/v1/parties/{code}" in paths and "/api/v1/me" in paths
    assert client.get("/api/v1/docs").status_code == 200


def test_a_request_of_the_wrong_shape_gets_422_with_the_same_error_list_naming_the_field(make_user, api_client):
    response = api_client(make_user("DE", "viewer")).get("/api/v1/dialogue/schedule?count=many")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["count"] and errors[0]["message"]
