"""Creating invitations and exercises on the web: the form, "Check your answers", a confirmation.

The same services as the API store them (audited, shared as the API shares them); nothing
is stored before the answers are confirmed; permission is checked before anything else.
"""

import datetime as dt
import re

import pytest

from accord.dialogue.models import Exercise, Invitation
from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db

INVITE = "/dialogue/invitations/new/"
INVITE_CHECK = "/dialogue/invitations/new/check/"
EXERCISE = "/dialogue/exercises/new/"
EXERCISE_CHECK = "/dialogue/exercises/new/check/"

INVITATION_ANSWERS = {
    "body": "psc",
    "meeting_title": "PSC on the Western Balkans",
    "date-day": "10",
    "date-month": "3",
    "date-year": "2027",
    "invitee_party": "GB",
    "note": "Agenda item 2 only.",
}


def summary_links(html: str) -> list[tuple[str, str]]:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary on the page"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', match.group(0))


def test_an_invitation_goes_from_the_form_to_check_your_answers_to_a_confirmation(dialogue_data, make_user, client):
    client.force_login(make_user("EEAS", "editor", username="eeas-inviter"))
    assert 'href="/dialogue/invitations/new/"' in client.get("/dialogue/invitations/").content.decode()
    form = client.get(INVITE).content.decode()
    assert 'id="date-day"' in form and 'type="date"' not in form
    response = client.post(INVITE, INVITATION_ANSWERS)
    assert response.status_code == 302 and response["Location"] == INVITE_CHECK
    assert not Invitation.objects.exists()  # nothing stored before the answers are confirmed

    check = client.get(INVITE_CHECK).content.decode()
    rows = dict(
        re.findall(r'summary-list__key">([^<]+)</dt>\s*<dd class="govuk-summary-list__value">([^<]+)</dd>', check)
    )
    assert rows["Date of the meeting"] == "10 March 2027"
    assert rows["Party to invite"] == "United Kingdom (GB)"
    assert rows["Title of the meeting"] == "PSC on the Western Balkans"
    assert (
        'href="/dialogue/invitations/new/?change=1#date-day">Change<span class="govuk-visually-hidden"> date of the meeting'
        in check
    )

    # Change an answer: the form comes back filled in, and the change is what is stored.
    again = client.get(INVITE + "?change=1").content.decode()
    assert 'value="PSC on the Western Balkans"' in again and 'name="date-year" value="2027"' in again
    client.post(INVITE, {**INVITATION_ANSWERS, "date-day": "11"})
    assert "11 March 2027" in client.get(INVITE_CHECK).content.decode()

    sent = client.post(INVITE_CHECK)
    invitation = Invitation.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/dialogue/invitations/{invitation.pk}/sent/"
    assert invitation.date == dt.date(2027, 3, 11) and invitation.invitee_party.code == "GB"
    assert invitation.inviting_party.code == "EEAS" and invitation.note == "Agenda item 2 only."
    assert "GB" in set(invitation.shared_with.values_list("code", flat=True))
    created = AuditEntry.objects.get(record_type="dialogue.Invitation", record_id=str(invitation.pk), action="create")
    assert created.actor == "eeas-inviter"
    page = client.get(sent["Location"]).content.decode()
    assert "govuk-panel--confirmation" in page and "Invitation sent" in page
    assert "United Kingdom is invited to PSC on the Western Balkans" in page
    # The answers are used once: going back to check them starts again.
    assert client.get(INVITE_CHECK)["Location"] == INVITE


def test_every_problem_with_an_invitation_is_named_at_once_and_nothing_is_stored(dialogue_data, make_user, client):
    client.force_login(make_user("GB", "editor"))
    form = client.get(INVITE).content.decode()
    assert 'value="uk-meeting"' in form and 'value="psc"' not in form
    assert '<option value="EEAS"' in form and '<option value="GB"' not in form
    before = AuditEntry.objects.count()
    response = client.post(INVITE, {**INVITATION_ANSWERS, "meeting_title": "", "date-month": "", "invitee_party": "GB"})
    assert response.status_code == 422
    assert summary_links(response.content.decode()) == [
        ("body", "Select the meeting body"),  # the UK side is offered only its own meetings
        ("meeting_title", "Enter the title of the meeting"),
        ("date-month", "The date of the meeting must include a month"),
        ("invitee_party", "Select the party to invite"),  # and only parties of the other side
    ]
    assert not Invitation.objects.exists() and AuditEntry.objects.count() == before
    assert client.get(INVITE_CHECK)["Location"] == INVITE  # refused answers are not kept for checking


def test_permission_is_checked_before_anything_and_a_stranger_sees_no_confirmation(dialogue_data, make_user, client):
    client.force_login(make_user("EEAS", "viewer"))
    for url in (INVITE, INVITE_CHECK):
        assert client.get(url).status_code == 403
        assert client.post(url, INVITATION_ANSWERS).status_code == 403
    assert "/dialogue/invitations/new/" not in client.get("/dialogue/invitations/").content.decode()
    client.force_login(make_user("EEAS", "editor"))
    client.post(INVITE, INVITATION_ANSWERS)
    invitation_url = client.post(INVITE_CHECK)["Location"]
    client.force_login(make_user("US", "editor"))  # neither side: may not see it
    assert client.get(invitation_url).status_code == 404
    assert client.get("/dialogue/invitations/999999/sent/").status_code == 404


def test_an_exercise_is_recorded_with_unknown_dates_and_partners_left_unknown(dialogue_data, make_user, client):
    client.force_login(make_user("EEAS", "editor", username="eeas-calendar"))
    assert 'href="/dialogue/exercises/new/"' in client.get("/dialogue/exercises/").content.decode()
    answers = {"name": "MILEX 27", "code": "MILEX-27", "series": "milex", "partners_known": "no", "lead": ["EEAS"]}
    assert client.post(EXERCISE, answers)["Location"] == EXERCISE_CHECK
    check = client.get(EXERCISE_CHECK).content.decode()
    rows = dict(
        re.findall(r'summary-list__key">([^<]+)</dt>\s*<dd class="govuk-summary-list__value">([^<]+)</dd>', check)
    )
    assert rows["First day"] == "Not given" and rows["Short name"] == "milex-27"
    assert rows["Leading parties"] == "European External Action Service (EEAS)"
    done = client.post(EXERCISE_CHECK)
    exercise = Exercise.objects.get(code="milex-27")
    assert done["Location"] == "/dialogue/exercises/milex-27/recorded/"
    assert exercise.start is None and exercise.invited_partners is None and exercise.lead == ["EEAS"]
    assert AuditEntry.objects.filter(
        record_type="dialogue.Exercise", record_id=str(exercise.pk), actor="eeas-calendar"
    ).exists()
    assert "Exercise recorded" in client.get(done["Location"]).content.decode()


def test_an_exercise_that_ends_before_it_starts_or_reuses_a_short_name_is_refused_in_words(
    dialogue_data, future_exercise, make_user, client
):
    client.force_login(make_user("EEAS", "editor"))
    before = Exercise.objects.count()
    response = client.post(
        EXERCISE,
        {
            "name": "",
            "code": future_exercise.code,
            "start-day": "30",
            "start-month": "9",
            "start-year": "2099",
            "end-day": "1",
            "end-month": "9",
            "end-year": "2099",
            "partners_known": "yes",
            "invited_partners": ["ZZ"],
        },
    )
    assert response.status_code == 422
    assert summary_links(response.content.decode()) == [
        ("name", "Enter the name of the exercise"),
        ("code", "An exercise with this short name is already on the calendar: choose another short name"),
        ("end-day", "The last day of the exercise must be the same as or after the first day"),
        ("invited_partners", "Select the invited partners from the list"),
    ]
    assert Exercise.objects.count() == before


def test_only_an_editor_of_the_eu_side_records_an_exercise(dialogue_data, make_user, client):
    for user in (make_user("GB", "editor"), make_user("EEAS", "viewer")):
        client.force_login(user)
        assert client.get(EXERCISE).status_code == 403
        assert client.post(EXERCISE_CHECK).status_code == 403
    assert not Exercise.objects.filter(code="milex-27").exists()
