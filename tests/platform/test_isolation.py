"""A record owned by one party and not shared with another stays invisible to it,
through the web and the API alike (issue 2: FR cannot read DE's record)."""

import json
from pathlib import Path

import pytest

import accord.procurement
from accord.procurement.services import create_assessment

pytestmark = pytest.mark.django_db

EXAMPLE = Path(accord.procurement.__file__).parent / "data" / "examples" / "ammunition-uk-fuze.json"


@pytest.fixture
def german_assessment(make_user):
    """DE assesses a Polish-Lithuanian purchase: shared with PL, LT and the Commission, not with FR."""
    case = json.loads(EXAMPLE.read_text())
    return create_assessment(make_user("DE", "editor"), case)


def test_france_cannot_read_a_german_record_through_the_api(german_assessment, make_user, api_client):
    client = api_client(make_user("FR", "administrator"))
    assert client.get(f"/api/v1/safe/assessments/{german_assessment.pk}").status_code == 404
    listed = [a["id"] for a in client.get("/api/v1/safe/assessments").json()]
    assert german_assessment.pk not in listed


def test_france_cannot_read_a_german_record_through_the_web(german_assessment, make_user, client):
    client.force_login(make_user("FR", "administrator"))
    response = client.get(f"/safe/assessments/{german_assessment.pk}/")
    assert response.status_code == 404
    assert german_assessment.title not in client.get("/safe/").content.decode()


def test_a_hidden_record_and_a_missing_one_look_the_same(german_assessment, make_user, api_client):
    client = api_client(make_user("FR", "viewer"))
    hidden = client.get(f"/api/v1/safe/assessments/{german_assessment.pk}")
    missing = client.get("/api/v1/safe/assessments/987654")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_the_parties_it_is_shared_with_can_read_it_through_both(german_assessment, make_user, api_client, client):
    for code in ("PL", "COM", "DE"):
        user = make_user(code, "viewer")
        assert api_client(user).get(f"/api/v1/safe/assessments/{german_assessment.pk}").status_code == 200
        client.force_login(user)
        assert client.get(f"/safe/assessments/{german_assessment.pk}/").status_code == 200


def test_without_a_token_the_record_is_401_not_404(german_assessment, api_client):
    assert api_client().get(f"/api/v1/safe/assessments/{german_assessment.pk}").status_code == 401
