"""Text a column cannot hold is refused before the database sees it, whatever the path that saves it.

On SQLite an over-length value would be stored whole and a NUL kept; on
PostgreSQL both raise a database error (a 500). The audited save path checks
every record first and raises an input error naming the field's label.
"""

import pytest

from accord.errors import InputError
from accord.platform.models import AuditEntry, Party
from tests.testapp.models import Dossier

pytestmark = pytest.mark.django_db


def test_text_longer_than_its_field_is_refused_naming_the_field(reference_data):
    with pytest.raises(InputError) as caught:
        Dossier.objects.create(owner=Party.objects.get(code="DE"), title="x" * 201)
    problem = caught.value.problems[0]
    assert problem.field == "title" and "at most 200" in problem.message
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("value, reason", [("Plan\x00", "NUL"), ("Plan \ud800", "unpaired surrogate")])
def test_text_that_is_not_text_is_refused_naming_the_field(reference_data, value, reason):
    before = AuditEntry.objects.count()
    with pytest.raises(InputError) as caught:
        Dossier.objects.create(owner=Party.objects.get(code="DE"), title=value)
    assert caught.value.problems[0].field == "title" and reason in caught.value.problems[0].message
    assert AuditEntry.objects.count() == before


def test_a_nul_inside_a_json_field_is_refused_naming_where(reference_data):
    import datetime as dt

    from accord.dialogue.models import Meeting

    with pytest.raises(InputError) as caught:
        Meeting.objects.create(
            owner=Party.objects.get(code="GB"),
            title="Consultation",
            date=dt.date(2026, 5, 1),
            attendees=[{"name": "A\x00", "party": "GB"}],
        )
    assert caught.value.problems[0].field == "attendees.0.name"


def test_an_over_length_field_through_the_api_is_a_422_naming_the_field(api_client, make_user):
    client = api_client(make_user("EEAS", "editor", "administrator"))
    response = client.post(
        "/api/v1/dialogue/working-groups",
        data={"name": "x" * 5000, "area": "x" * 5000},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content[:300]
