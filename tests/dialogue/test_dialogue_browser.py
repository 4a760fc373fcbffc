"""A UK official accepts an invitation to the Schuman Forum in chromium."""

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_uk_official_accepts_an_invitation_and_the_page_says_so(page, login, make_user):
    from accord.dialogue import services
    from accord.dialogue.reference import load_reference

    load_reference()
    services.create_invitation(
        make_user("COUNCIL", "editor"),
        {
            "body": "schuman-forum",
            "meeting_title": "Schuman Security and Defence Forum",
            "date": dt.date(2026, 6, 1),
            "invitee_party": "GB",
        },
    )
    login(make_user("GB", "editor", username="gb-official"))
    page.goto("/dialogue/invitations/")
    row = page.locator("tr", has_text="Schuman Security and Defence Forum")
    assert "invited" in row.inner_text()
    row.locator("button", has_text="Mark accepted").click()
    page.wait_for_selector("text=Success")
    row = page.locator("tr", has_text="Schuman Security and Defence Forum")
    assert "accepted" in row.inner_text()
    assert row.locator("button").count() == 0  # nothing more for the invitee to do
