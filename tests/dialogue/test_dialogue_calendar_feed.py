"""The per-user secret iCalendar feed: independent parsing, visibility, revocation."""

import pytest

from accord.dialogue import services
from accord.dialogue.models import CalendarFeed, ExerciseParticipation
from accord.platform.models import Party
from tests.dialogue.dialogue_ical_reader import events

pytestmark = pytest.mark.django_db


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def world(dialogue_data, future_exercise, make_user, api_client):
    """Consultations, a UK-EU meeting, an invitation to the UK and one to Norway,
    and the UK accepted into one exercise."""
    post(api_client(make_user("EEAS", "administrator")), "/api/v1/dialogue/consultations/generate", {"count": 2})
    post(
        api_client(make_user("GB", "editor")),
        "/api/v1/dialogue/meetings",
        {"title": "Hybrid threats working group", "date": "2026-02-10", "working_group": "hybrid-threats"},
    )
    council = api_client(make_user("COUNCIL", "editor"))
    for invitee, title in (("GB", "FAC with the UK"), ("NO", "FAC with Norway")):
        post(
            council,
            "/api/v1/dialogue/invitations",
            {"body": "fac", "meeting_title": title, "date": "2026-05-20", "invitee_party": invitee},
        )
    offer = ExerciseParticipation.objects.create(
        exercise=future_exercise,
        partner=Party.objects.get(code="GB"),
        state="accepted",
        offered_on=future_exercise.start,
        owner=Party.objects.get(code="GB"),
    )
    offer.shared_with.add(Party.objects.get(code="EEAS"))


def feed_url(api_client, user):
    url = post(api_client(user), "/api/v1/dialogue/calendar-feed").json()["url"]
    return url.split("testserver", 1)[1]


def test_the_uk_feed_parses_and_holds_what_the_uk_may_see_and_nothing_else(world, make_user, api_client, client):
    response = client.get(feed_url(api_client, make_user("GB", "viewer")))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    summaries = sorted(e["SUMMARY"] for e in events(response.content))
    assert summaries == sorted(
        [
            "UK-EU strategic consultation 1 (United Kingdom hosting)",
            "UK-EU strategic consultation 2 (European Union hosting)",
            "Hybrid threats working group",
            "FAC with the UK (Foreign Affairs Council)",
            "Test exercise 2099",
        ]
    )


def test_the_norwegian_feed_holds_its_own_invitation_and_not_the_uk_dialogue(world, make_user, api_client, client):
    summaries = [e["SUMMARY"] for e in events(client.get(feed_url(api_client, make_user("NO", "viewer"))).content)]
    assert summaries == ["FAC with Norway (Foreign Affairs Council)"]


def test_the_exercise_a_party_takes_part_in_spans_its_days(world, make_user, api_client, client):
    parsed = events(client.get(feed_url(api_client, make_user("GB", "viewer"))).content)
    exercise = next(e for e in parsed if e["SUMMARY"] == "Test exercise 2099")
    assert (exercise["DTSTART"], exercise["DTEND"]) == ("20990901", "20991001")


def test_event_uids_do_not_change_between_fetches(world, make_user, api_client, client):
    url = feed_url(api_client, make_user("GB", "viewer"))
    first = sorted(e["UID"] for e in events(client.get(url).content))
    assert first == sorted(e["UID"] for e in events(client.get(url).content))
    assert len(set(first)) == len(first)


def test_a_revoked_feed_url_answers_404(world, make_user, api_client, client):
    user = make_user("GB", "viewer")
    url = feed_url(api_client, user)
    assert client.get(url).status_code == 200
    assert api_client(user).delete("/api/v1/dialogue/calendar-feed").json() == {"revoked": 1}
    assert client.get(url).status_code == 404


def test_a_new_feed_url_replaces_the_old_one(world, make_user, api_client, client):
    user = make_user("GB", "viewer")
    old, new = feed_url(api_client, user), feed_url(api_client, user)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_guessed_feed_url_answers_404(world, client):
    assert client.get("/dialogue/calendar/cal_not-a-real-secret.ics").status_code == 404
    assert client.get("/dialogue/calendar/anything.ics").status_code == 404


def test_the_feed_of_a_deactivated_user_answers_404(world, make_user, api_client, client):
    user = make_user("GB", "viewer")
    url = feed_url(api_client, user)
    user.is_active = False
    user.save()
    assert client.get(url).status_code == 404


def test_only_a_hash_of_the_feed_secret_is_stored(world, make_user):
    secret = services.create_feed(make_user("GB", "viewer"))
    stored = CalendarFeed.objects.get(prefix=secret[:10])
    assert secret not in (stored.secret_hash, stored.prefix) and len(stored.secret_hash) == 64


def test_the_feed_url_needs_a_signed_in_user_to_be_created(dialogue_data, api_client):
    assert api_client().post("/api/v1/dialogue/calendar-feed").status_code == 401
