"""Recording a dialogue meeting and its actions on the web, through the API's own services."""

import datetime as dt
import re

import pytest
from django.test import Client

from accord.dialogue import services
from accord.dialogue.models import Action, Meeting
from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW = "/dialogue/meetings/new/"

FORM = {
    "title": "Western Balkans working group",
    "date": "2026-02-10",
    "working_group": "western-balkans",
    "location": "Brussels",
    "agenda-0-area": "western-balkans",
    "agenda-0-title": "EUFOR Althea",
    "agenda-2-area": "russia",  # a row left empty between two filled ones is skipped
    "agenda-2-title": "Disinformation in the region",
    "attendee-0-name": "Director, Europe",
    "attendee-0-party": "GB",
    "attendee-1-name": "Managing Director",
    "attendee-1-party": "EEAS",
    "outcomes": "Agreed to exchange assessments.",
}


def error_summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


@pytest.fixture
def gb_meeting(dialogue_data, make_user):
    return services.create_meeting(
        make_user("GB", "editor"),
        {
            "title": "Russia/Ukraine working group",
            "date": "2026-02-10",
            "working_group": "russia-ukraine",
            "agenda": [{"area": "sanctions-shadow-fleet", "title": "Shadow fleet listings"}],
        },
    )


# --- record a meeting --------------------------------------------------------------


def test_an_editor_of_either_side_sees_the_link_to_record_a_meeting_and_a_viewer_does_not(
    dialogue_data, make_user, client
):
    for party in ("GB", "EEAS"):
        client.force_login(make_user(party, "editor"))
        assert 'href="/dialogue/meetings/new/"' in client.get("/dialogue/").content.decode(), party
    client.force_login(make_user("GB", "viewer"))
    assert "/dialogue/meetings/new/" not in client.get("/dialogue/").content.decode()


def test_a_recorded_meeting_is_stored_shared_with_both_sides_and_audited(dialogue_data, make_user, client):
    client.force_login(make_user("GB", "editor", username="gb-recorder"))
    response = client.post(NEW, FORM)
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Western Balkans working group")
    assert response["Location"] == f"/dialogue/meetings/{meeting.pk}/"
    assert meeting.date == dt.date(2026, 2, 10) and meeting.owner.code == "GB"
    assert meeting.working_group.code == "western-balkans" and meeting.location == "Brussels"
    assert meeting.agenda == [
        {"area": "western-balkans", "title": "EUFOR Althea"},
        {"area": "russia", "title": "Disinformation in the region"},
    ]
    assert meeting.attendees == [
        {"name": "Director, Europe", "party": "GB"},
        {"name": "Managing Director", "party": "EEAS"},
    ]
    assert meeting.outcomes == "Agreed to exchange assessments."
    assert {"EU", "EEAS", "COM", "COUNCIL"} <= set(meeting.shared_with.values_list("code", flat=True))
    created = AuditEntry.objects.get(record_type="dialogue.Meeting", record_id=str(meeting.pk), action="create")
    assert created.actor == "gb-recorder" and created.actor_party == "GB"
    page = client.get(response["Location"]).content.decode()
    assert "Meeting recorded: Western Balkans working group." in page and "EUFOR Althea" in page


def test_a_meeting_of_a_stored_consultation_is_linked_to_it(dialogue_data, make_user, client):
    consultation = services.generate_consultations(make_user("GB", "administrator"), 1)[0]
    client.force_login(make_user("COUNCIL", "editor"))
    assert f'<option value="{consultation.pk}"' in client.get(NEW).content.decode()
    response = client.post(
        NEW, {"title": consultation.title, "date": consultation.date.isoformat(), "consultation": str(consultation.pk)}
    )
    assert response.status_code == 302
    assert Meeting.objects.get(title=consultation.title).consultation == consultation


def test_a_bad_date_shows_the_error_summary_naming_the_field_keeps_what_was_typed_and_stores_nothing(
    dialogue_data, make_user, client
):
    client.force_login(make_user("GB", "editor"))
    before = AuditEntry.objects.count()
    response = client.post(NEW, {**FORM, "date": "2026-13-01"})
    assert response.status_code == 422
    html = response.content.decode()
    summary = error_summary(html)
    assert "There is a problem" in summary
    # The month is what is wrong: the summary goes to its box, and the boxes show what was typed.
    assert (
        '<a href="#date-month">The date of the meeting must be a real date, for example 10 February 2026</a>' in summary
    )
    assert re.search(r'govuk-form-group--error">\s*<fieldset class="govuk-fieldset" role="group"', html)
    assert re.search(r'name="date-month" value="13" id="date-month"[^>]*govuk-input--error', html)
    assert 'name="date-year" value="2026"' in html
    assert 'value="Western Balkans working group"' in html and 'value="EUFOR Althea"' in html
    assert '<option value="russia" selected>' in html
    assert re.search(r">\s*Agreed to exchange assessments.</textarea>", html)
    assert "<title>Error: Record a meeting" in html
    assert Meeting.objects.count() == 0 and AuditEntry.objects.count() == before


def test_every_problem_is_said_in_plain_english_naming_the_field_all_at_once(dialogue_data, make_user, client):
    client.force_login(make_user("GB", "editor"))
    response = client.post(
        NEW,
        {
            "title": "",
            "date": "",
            "working_group": "no-such-group",
            "agenda-1-title": "No area chosen",
            "attendee-5-name": "Nobody",
            "attendee-5-party": "ZZ",
        },
    )
    texts = re.findall(r'<a href="#[^"]+">([^<]+)</a>', error_summary(response.content.decode()))
    assert texts == [
        "Enter the title of the meeting",
        "Enter the date of the meeting",
        "Select a working group from the list",
        "Agenda item 2: select an area of common interest",
        "Attendee 6: select the party of the attendee",
    ]


def test_a_date_typed_as_people_write_it_is_read(dialogue_data, make_user, client):
    client.force_login(make_user("GB", "editor"))
    response = client.post(NEW, {**FORM, "date": "10/02/2026"})
    assert response.status_code == 302
    assert Meeting.objects.get().date.isoformat() == "2026-02-10"


def test_every_problem_links_to_the_row_it_is_about(dialogue_data, make_user, client):
    client.force_login(make_user("GB", "editor"))
    response = client.post(
        NEW,
        {
            "title": "",
            "date": "",
            "consultation": "not-a-number",
            "working_group": "no-such-group",
            "agenda-1-title": "No area chosen",
            "agenda-3-area": "atlantis",
            "agenda-3-title": "Lost",
            "attendee-4-party": "GB",
            "attendee-5-name": "Nobody",
            "attendee-5-party": "ZZ",
        },
    )
    assert response.status_code == 422
    links = re.findall(r'<a href="#([^"]+)">', error_summary(response.content.decode()))
    texts = re.findall(r'<a href="#attendee-4-name">([^<]+)</a>', error_summary(response.content.decode()))
    assert texts == ["Attendee 5: enter the name of the attendee"]
    assert links == [
        "title",
        "date-day",
        "consultation",
        "working_group",
        "agenda-1-area",
        "agenda-3-area",
        "attendee-4-name",
        "attendee-5-party",
    ]
    assert Meeting.objects.count() == 0


def test_an_oversized_or_odd_input_is_refused_without_a_crash(dialogue_data, make_user, client):
    client.force_login(make_user("GB", "editor"))
    response = client.post(
        NEW, {**FORM, "title": "x" * 500, "agenda_rows": "many", "attendee_rows": "100000", "date": "2026-02-10T10:00"}
    )
    assert response.status_code == 422
    assert {"#title", "#date-day"} <= set(re.findall(r'<a href="(#[^"]+)">', error_summary(response.content.decode())))
    assert Meeting.objects.count() == 0


def test_more_rows_are_added_without_storing_and_the_values_are_kept(dialogue_data, make_user, client):
    client.force_login(make_user("GB", "editor"))
    response = client.post(NEW, {**FORM, "agenda_rows": "4", "more": "agenda"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="agenda-6-title"' in html and 'id="agenda-7-title"' not in html
    assert 'value="EUFOR Althea"' in html
    assert Meeting.objects.count() == 0


def test_a_party_not_in_the_partnership_and_a_viewer_may_not_record_a_meeting(dialogue_data, make_user, client):
    for user in (make_user("FR", "editor"), make_user("GB", "viewer"), make_user("EEAS", "approver")):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, FORM).status_code == 403
    assert Meeting.objects.count() == 0


def test_the_form_needs_a_csrf_token(dialogue_data, make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("GB", "editor"))
    page = client.get(NEW).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert client.post(NEW, FORM).status_code == 403
    assert Meeting.objects.count() == 0


def test_the_form_pages_have_no_inline_script_or_style(gb_meeting, make_user, client):
    client.force_login(make_user("GB", "editor"))
    for url in (NEW, f"/dialogue/meetings/{gb_meeting.pk}/"):
        response = client.get(url)
        html = response.content.decode()
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), url


# --- add an action ------------------------------------------------------------------


def test_the_recording_party_adds_an_action_from_the_meeting_page(gb_meeting, make_user, client):
    client.force_login(make_user("GB", "editor", username="gb-actions"))
    url = f"/dialogue/meetings/{gb_meeting.pk}/"
    assert f'action="/dialogue/meetings/{gb_meeting.pk}/actions/"' in client.get(url).content.decode()
    response = client.post(
        url + "actions/", {"description": "Exchange vessel lists", "owner_party": "EEAS", "due": "2026-03-01"}
    )
    assert response.status_code == 302 and response["Location"] == url
    action = Action.objects.get(meeting=gb_meeting)
    assert (action.description, action.owner_party.code, action.due, action.status) == (
        "Exchange vessel lists",
        "EEAS",
        dt.date(2026, 3, 1),
        "open",
    )
    assert AuditEntry.objects.filter(
        record_type="dialogue.Action", record_id=str(action.pk), action="create", actor="gb-actions"
    ).exists()
    assert "Exchange vessel lists" in client.get(url + "?on=2026-03-02").content.decode()


def test_a_bad_action_shows_the_error_summary_on_the_meeting_page_and_stores_nothing(gb_meeting, make_user, client):
    client.force_login(make_user("GB", "editor"))
    response = client.post(
        f"/dialogue/meetings/{gb_meeting.pk}/actions/",
        {"description": "Brief the PSC", "owner_party": "", "due": "2026-02-31"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    links = re.findall(r'<a href="#([^"]+)">', error_summary(html))
    assert links == ["action-owner_party", "action-due-day"]
    texts = re.findall(r'<a href="#[^"]+">([^<]+)</a>', error_summary(html))
    assert texts == [
        "Select the party that owns the action",
        "The due date of the action must be a real date, for example 10 February 2026",
    ]
    assert re.search(r">\s*Brief the PSC</textarea>", html)
    assert 'name="due-day" value="31"' in html and 'name="due-month" value="02"' in html
    assert "Shadow fleet listings" in html  # still the meeting page
    assert not Action.objects.exists()


def test_only_the_recording_party_may_add_an_action_and_a_stranger_gets_404(gb_meeting, make_user, client):
    url = f"/dialogue/meetings/{gb_meeting.pk}/"
    action = {"description": "Brief the PSC", "owner_party": "EEAS", "due": "2026-03-15"}
    for user in (make_user("EEAS", "editor"), make_user("GB", "viewer")):  # sees the meeting, did not record it
        client.force_login(user)
        assert "Add an action" not in client.get(url).content.decode()
        assert client.post(url + "actions/", action).status_code == 403
    client.force_login(make_user("FR", "editor"))  # may not see the meeting at all
    assert client.post(url + "actions/", action).status_code == 404
    assert client.post("/dialogue/meetings/999999/actions/", action).status_code == 404
    assert not Action.objects.exists()


def test_adding_an_action_only_takes_a_post(gb_meeting, make_user, client):
    client.force_login(make_user("GB", "editor"))
    assert client.get(f"/dialogue/meetings/{gb_meeting.pk}/actions/").status_code == 405


# --- in chromium --------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_official_records_a_meeting_and_an_action_in_the_browser(page, login, make_user):
    from accord.dialogue.reference import load_reference

    load_reference()
    refused = []  # the Content-Security-Policy forbids inline script and style: chromium reports any breach
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    login(make_user("GB", "editor", username="gb-browser-recorder"))
    page.goto("/dialogue/")
    page.click("text=Record a meeting")
    page.wait_for_selector("h1:has-text('Record a meeting')")

    page.fill("#title", "Indo-Pacific working group")
    page.fill("#date-day", "31")  # a bad date first (no 31 April): the summary names the field
    page.fill("#date-month", "4")
    page.fill("#date-year", "2026")
    page.select_option("#working_group", "indo-pacific")
    page.select_option("#agenda-0-area", "east-asia")
    page.fill("#agenda-0-title", "Maritime security in the South China Sea")
    page.fill("#attendee-0-name", "Director, Asia-Pacific")
    page.fill("#attendee-0-party", "UK")  # the party select is an autocomplete where JavaScript runs
    page.locator("#attendee-0-party__listbox li", has_text="United Kingdom (GB)").first.click()
    page.fill("#outcomes", "Agreed a joint statement.")
    page.click("#record-meeting")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "must be a real date" in summary.inner_text()
    assert page.locator(".govuk-form-group--error #date-day.govuk-input--error").count() == 1
    assert page.input_value("#title") == "Indo-Pacific working group"
    assert page.input_value("#agenda-0-title") == "Maritime security in the South China Sea"
    assert Meeting.objects.count() == 0
    summary.locator("a[href='#date-day']").click()
    assert page.evaluate("document.activeElement.id") == "date-day"
    page.fill("#date-day", "30")
    page.press("#date-year", "Enter")  # Enter saves; it does not add rows

    page.wait_for_selector("text=Success")
    assert page.locator("h1").inner_text() == "Indo-Pacific working group"
    assert "Maritime security in the South China Sea" in page.content()
    meeting = Meeting.objects.get(title="Indo-Pacific working group")
    assert meeting.date == dt.date(2026, 4, 30) and meeting.owner.code == "GB"
    assert meeting.agenda == [{"area": "east-asia", "title": "Maritime security in the South China Sea"}]

    page.fill("#action-description", "Circulate the joint statement")
    page.fill("#action-owner_party", "EEAS")
    page.locator("#action-owner_party__listbox li", has_text="(EEAS)").first.click()
    page.fill("#action-due-day", "15")
    page.fill("#action-due-month", "5")
    page.fill("#action-due-year", "2026")
    page.click("button:has-text('Add the action')")
    page.wait_for_selector("text=Action added")
    row = page.locator("tr", has_text="Circulate the joint statement")
    assert "EEAS" in row.inner_text() and "15 May 2026" in row.inner_text()
    assert Action.objects.get(meeting=meeting).owner_party.code == "EEAS"
    assert refused == []
