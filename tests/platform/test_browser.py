"""A person signs in with Debian's chromium and opens a party page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_official_signs_in_and_reads_the_uks_memberships(page, login, make_user):
    user = make_user("FR", "viewer", username="fr-official")
    login(user)
    page.click("text=Parties")
    page.click("text=United Kingdom")
    assert page.locator("h1").inner_text() == "United Kingdom"
    eu_row = page.locator("tr", has_text="European Union (membership)")
    assert "31 January 2020" in eu_row.inner_text()
    assert "19 May 2025" in page.locator("tr", has_text="Security and Defence Partnership").inner_text()
    # GOV.UK Frontend's stylesheet really loaded (the header is black, not unstyled).
    background = page.eval_on_selector(".govuk-header", "el => getComputedStyle(el).backgroundColor")
    assert background in ("rgb(11, 12, 12)", "rgb(29, 112, 184)")
    page.click("text=Sign out")
    page.wait_for_selector("text=Sign in")
