"""Email notifications: sent after the change is committed, to the people of the party it
concerns, in plain English, unless they turned that kind of email off.

Django's own in-memory mail backend (locmem) collects what is sent.
"""

import datetime as dt
import re

import pytest
from django.core import mail

from accord.dialogue import services
from accord.errors import InputError
from accord.platform.models import AuditEntry
from accord.web.models import NotificationPreference

pytestmark = pytest.mark.django_db

INVITATION = {"body": "psc", "meeting_title": "PSC on Ukraine", "date": "2027-03-10", "invitee_party": "GB"}


@pytest.fixture
def people(dialogue_data, make_user):
    uk = make_user("GB", "viewer", "editor", username="uk-desk")
    uk.email, uk.first_name = "uk.desk@example.gov.uk", "Alex"
    uk.save()
    quiet = make_user("GB", "viewer", username="uk-quiet")
    quiet.email = "quiet@example.gov.uk"
    quiet.save()
    NotificationPreference.objects.create(user=quiet, invitations=False)
    make_user("GB", "viewer", username="uk-no-address")  # no email address: nothing to send
    council = make_user("COUNCIL", "editor", username="council-desk")
    council.email = "council@example.eu"
    council.save()
    french = make_user("FR", "viewer", username="fr-desk")
    french.email = "fr@example.fr"
    french.save()
    return {"uk": uk, "council": council}


def test_the_invited_party_is_emailed_once_the_invitation_is_stored(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.create_invitation(people["council"], INVITATION)
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["uk.desk@example.gov.uk"]]  # not the one who turned it off, not FR
    message = mail.outbox[0]
    assert message.subject == "Invitation to PSC on Ukraine"
    assert "Hello Alex," in message.body
    assert "Council of the European Union has invited United Kingdom to a meeting" in message.body
    assert "Political and Security Committee" in message.body and "10 March 2027" in message.body
    assert "http://127.0.0.1:8000/dialogue/invitations/" in message.body
    assert not re.search(r"\d{4}-\d\d-\d\d|\bNone\b|\bnull\b|_", message.body.replace("uk.desk", ""))


def test_nothing_is_sent_for_a_change_that_is_refused_or_rolled_back(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InputError):
        services.create_invitation(people["council"], {**INVITATION, "invitee_party": "EEAS"})
    assert mail.outbox == []


def test_the_inviting_party_is_told_of_the_decision_with_who_and_when(people, django_capture_on_commit_callbacks):
    invitation = services.create_invitation(people["council"], INVITATION)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.move_invitation(people["uk"], invitation, "declined")
    assert [m.to for m in mail.outbox] == [["council@example.eu"]]
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Invitation declined: PSC on Ukraine"
    assert "United Kingdom has declined your invitation to PSC on Ukraine on 10 March 2027." in body
    assert "Decided by uk-desk for United Kingdom on " in body
    assert re.search(r"on \d{1,2} \w+ \d{4}, \d\d:\d\d CE[S]?T\.", body)


def test_a_user_turns_decision_emails_off_on_the_preferences_page(people, client, django_capture_on_commit_callbacks):
    client.force_login(people["council"])
    page = client.get("/account/notifications/").content.decode()
    assert "Emails are sent to council@example.eu" in page and "checked" in page
    response = client.post("/account/notifications/", {"kinds": ["invitations"]})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=people["council"]).decisions is False
    assert AuditEntry.objects.filter(record_type="web.NotificationPreference").exists()
    invitation = services.create_invitation(people["council"], INVITATION)
    with django_capture_on_commit_callbacks(execute=True):
        services.move_invitation(people["uk"], invitation, "accepted")
    assert mail.outbox == []
    assert client.post("/account/notifications/", {"kinds": ["spam"]}).status_code == 422


def test_offers_answered_are_emailed_to_the_partner(
    people, make_user, future_exercise, django_capture_on_commit_callbacks
):
    offer = services.offer_participation(people["uk"], future_exercise, dt.date(2099, 1, 1))
    eeas = make_user("EEAS", "approver")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_offer(eeas, offer, "accepted", dt.date(2099, 1, 2))
    # The quiet user turned off invitations, not decisions.
    assert [m.to for m in mail.outbox] == [["uk.desk@example.gov.uk"], ["quiet@example.gov.uk"]]
    assert "Your offer to take part in Test exercise 2099 has been accepted." in mail.outbox[0].body
