"""In chromium: the date input, the party autocomplete and the "Check your answers" journey."""

import datetime as dt

import pytest

from accord.dialogue.models import Invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_official_invites_the_uk_through_check_your_answers_in_the_browser(page, login, make_user):
    from accord.dialogue.reference import load_reference

    load_reference()
    refused = []  # the Content-Security-Policy forbids inline script and style: chromium reports any breach
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    login(make_user("EEAS", "editor", username="eeas-browser-inviter"))
    page.goto("/dialogue/invitations/")
    page.click("text=Invite the other side to a meeting")
    page.wait_for_selector("h1:has-text('Invite the other side to a meeting')")

    page.check("label:has-text('Political and Security Committee')")
    page.fill("#meeting_title", "PSC with the United Kingdom")
    page.fill("#date-day", "10")  # no month: the summary names what is missing and goes to its box
    page.fill("#date-year", "2027")
    # The party select is an autocomplete: "UK" finds the United Kingdom.
    page.fill("#invitee_party", "UK")
    page.locator("#invitee_party__listbox li", has_text="United Kingdom (GB)").first.click()
    page.click("#continue")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "The date of the meeting must include a month" in summary.inner_text()
    summary.locator("a[href='#date-month']").click()
    assert page.evaluate("document.activeElement.id") == "date-month"
    assert page.input_value("#date-day") == "10" and page.input_value("#meeting_title") == "PSC with the United Kingdom"
    assert page.input_value("#invitee_party") == "United Kingdom (GB)"  # kept after the refusal
    page.fill("#date-month", "3")
    page.click("#continue")

    page.wait_for_selector("h1:has-text('Check your answers')")
    rows = page.locator(".govuk-summary-list__row")
    assert "10 March 2027" in rows.filter(has_text="Date of the meeting").inner_text()
    assert Invitation.objects.count() == 0
    rows.filter(has_text="Date of the meeting").locator("a:has-text('Change')").click()
    page.wait_for_selector("h1:has-text('Invite the other side to a meeting')")
    page.fill("#date-day", "11")
    page.click("#continue")
    page.wait_for_selector("h1:has-text('Check your answers')")
    assert "11 March 2027" in page.locator(".govuk-summary-list").inner_text()
    page.click("#send")

    page.wait_for_selector(".govuk-panel--confirmation")
    assert "Invitation sent" in page.locator(".govuk-panel__title").inner_text()
    invitation = Invitation.objects.get()
    assert invitation.date == dt.date(2027, 3, 11) and invitation.invitee_party.code == "GB"
    assert invitation.body == "psc"
    assert refused == []


def test_without_javascript_the_party_select_still_works(_browser, live_server, reference_data, make_user):
    from accord.dialogue.reference import load_reference
    from tests.conftest import PASSWORD

    load_reference()
    context = _browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    user = make_user("EEAS", "editor", username="eeas-no-js")
    page.goto("/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.goto("/dialogue/invitations/new/")
    page.select_option("#invitee_party", "GB")
    page.check("label:has-text('Political and Security Committee')")
    page.fill("#meeting_title", "PSC without script")
    page.fill("#date-day", "1")
    page.fill("#date-month", "4")
    page.fill("#date-year", "2027")
    page.click("#continue")
    page.wait_for_selector("h1:has-text('Check your answers')")
    assert "United Kingdom (GB)" in page.locator(".govuk-summary-list").inner_text()
    context.close()
