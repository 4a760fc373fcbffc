"""The dialogue web pages: signed-in only, policy-filtered, forms that act."""

import pytest

from accord.dialogue.models import CalendarFeed, Invitation, Meeting

pytestmark = pytest.mark.django_db

PAGES = [
    "/dialogue/",
    "/dialogue/actions/overdue/",
    "/dialogue/invitations/",
    "/dialogue/exercises/",
    "/dialogue/calendar/",
]


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def meeting(dialogue_data, make_user, api_client):
    body = post(
        api_client(make_user("GB", "editor")),
        "/api/v1/dialogue/meetings",
        {
            "title": "Russia/Ukraine working group",
            "date": "2026-02-10",
            "working_group": "russia-ukraine",
            "agenda": [{"area": "sanctions-shadow-fleet", "title": "Shadow fleet listings"}],
            "actions": [{"description": "Exchange vessel lists", "owner_party": "EEAS", "due": "2026-03-01"}],
        },
    ).json()
    return Meeting.objects.get(pk=body["id"])


@pytest.fixture
def invitation(dialogue_data, make_user, api_client):
    body = post(
        api_client(make_user("COUNCIL", "editor")),
        "/api/v1/dialogue/invitations",
        {
            "body": "schuman-forum",
            "meeting_title": "Schuman Forum 2026",
            "date": "2026-06-01",
            "invitee_party": "GB",
        },
    ).json()
    return Invitation.objects.get(pk=body["id"])


def test_every_dialogue_page_asks_an_anonymous_visitor_to_sign_in(dialogue_data, client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], url


def test_every_dialogue_page_opens_for_a_signed_in_viewer(dialogue_data, make_user, client):
    client.force_login(make_user("GB", "viewer"))
    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_the_meeting_page_shows_the_agenda_by_area_and_flags_overdue_actions(meeting, make_user, client):
    client.force_login(make_user("EEAS", "viewer"))
    page = client.get(f"/dialogue/meetings/{meeting.pk}/?on=2026-03-02").content.decode()
    assert "Sanctions and the Russian shadow fleet" in page
    assert "Exchange vessel lists" in page and "overdue" in page
    on_time = client.get(f"/dialogue/meetings/{meeting.pk}/?on=2026-03-01").content.decode()
    assert "govuk-tag--red" not in on_time


def test_a_meeting_page_a_party_may_not_see_answers_404(meeting, make_user, client):
    client.force_login(make_user("FR", "viewer"))
    assert client.get(f"/dialogue/meetings/{meeting.pk}/").status_code == 404


def test_a_bad_date_on_the_overdue_report_shows_an_error_not_a_crash(meeting, make_user, client):
    client.force_login(make_user("GB", "viewer"))
    response = client.get("/dialogue/actions/overdue/?on=2026-13-01")
    assert response.status_code == 200
    html = response.content.decode()
    # The month is what is wrong: the summary says so and goes to its box; today is shown instead.
    assert (
        '<a href="#on-month">The date must be a real date, for example 10 February 2026. Showing today instead.</a>'
        in html
    )
    assert 'type="date"' not in html and 'id="on-day"' in html


def test_the_invitations_page_offers_the_invitee_its_answers_and_a_stranger_sees_nothing(invitation, make_user, client):
    client.force_login(make_user("GB", "editor"))
    page = client.get("/dialogue/invitations/").content.decode()
    assert "Schuman Forum 2026" in page and "Mark accepted" in page
    client.force_login(make_user("DE", "editor"))
    assert "Schuman Forum 2026" not in client.get("/dialogue/invitations/").content.decode()


def test_the_invitee_accepts_through_the_page(invitation, make_user, client):
    client.force_login(make_user("GB", "editor"))
    response = client.post(f"/dialogue/invitations/{invitation.pk}/state/", {"state": "accepted"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "accepted"


def test_a_refused_move_through_the_page_changes_nothing(invitation, make_user, client):
    client.force_login(make_user("GB", "editor"))
    client.post(f"/dialogue/invitations/{invitation.pk}/state/", {"state": "attended"})
    invitation.refresh_from_db()
    assert invitation.state == "invited"


def test_a_stranger_posting_to_an_invitation_gets_404(invitation, make_user, client):
    client.force_login(make_user("DE", "editor"))
    assert client.post(f"/dialogue/invitations/{invitation.pk}/state/", {"state": "accepted"}).status_code == 404


def test_the_calendar_page_shows_a_new_address_once_and_revokes_it(dialogue_data, make_user, client):
    user = make_user("GB", "viewer")
    client.force_login(user)
    page = client.post("/dialogue/calendar/", {"action": "create"}).content.decode()
    assert "/dialogue/calendar/cal_" in page
    assert "/dialogue/calendar/cal_" not in client.get("/dialogue/calendar/").content.decode()
    client.post("/dialogue/calendar/", {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_the_uk_offers_to_take_part_through_the_exercise_page(future_exercise, make_user, client):
    client.force_login(make_user("GB", "editor"))
    assert client.post(f"/dialogue/exercises/{future_exercise.code}/offer/").status_code == 302
    page = client.get("/dialogue/exercises/").content.decode()
    assert "GB: offered" in page


def test_the_offer_button_shows_only_for_exercises_still_open_to_the_party(future_exercise, make_user, client):
    client.force_login(make_user("GB", "editor"))
    page = client.get("/dialogue/exercises/").content.decode()
    assert page.count("Offer to take part") == 1  # the future exercise; the reference ones have ended
    client.post(f"/dialogue/exercises/{future_exercise.code}/offer/")
    assert "Offer to take part" not in client.get("/dialogue/exercises/").content.decode()


def test_the_owing_party_updates_an_action_from_the_meeting_page_and_others_get_no_form(meeting, make_user, client):
    action = meeting.actions.get()
    client.force_login(make_user("GB", "viewer"))
    assert "Update</button>" not in client.get(f"/dialogue/meetings/{meeting.pk}/").content.decode()
    client.force_login(make_user("EEAS", "editor"))
    assert "Update</button>" in client.get(f"/dialogue/meetings/{meeting.pk}/").content.decode()
    assert client.post(f"/dialogue/actions/{action.pk}/status/", {"status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_a_viewer_posting_a_status_changes_nothing(meeting, make_user, client):
    action = meeting.actions.get()
    client.force_login(make_user("EEAS", "viewer"))
    client.post(f"/dialogue/actions/{action.pk}/status/", {"status": "done"})
    action.refresh_from_db()
    assert action.status == "open"
