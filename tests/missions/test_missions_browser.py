"""An EEAS officer opens a mission page in Debian's chromium: requirements,
contributions, the gap chart and its table, the participation steps and the
Committee of Contributors."""

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2026, 1, 15)


def seed(make_user):
    from accord.missions import services
    from accord.missions.models import Mission
    from accord.missions.reference import load_missions

    load_missions()
    eeas = make_user("EEAS", "editor", "approver", username="eeas-officer")
    council = make_user("COUNCIL", "approver")
    norway = make_user("NO", "approver")
    france = make_user("FR", "editor")
    mission = Mission.objects.get(acronym="EUFOR ALTHEA")
    services.add_requirement(
        eeas,
        mission,
        {
            "id": "R1",
            "capability": "infantry_company",
            "quantity": 2,
            "needed_from": "2026-03-01",
            "duration_days": 180,
            "tasks": ["patrol"],
            "area": "Mostar",
        },
        DAY,
    )
    services.add_requirement(
        eeas,
        mission,
        {"id": "R2", "capability": "role2_medical", "quantity": 1, "needed_from": "2026-03-01", "duration_days": 180},
        DAY,
    )
    services.add_offer(
        france,
        mission,
        {"id": "FR-1", "capability": "infantry_company", "quantity": 1, "available_from": "2026-02-01"},
        DAY,
    )
    p = services.invite(council, mission, "NO", DAY)
    services.take_step(eeas, p, "call_for_contributions", DAY)
    services.add_offer(
        norway,
        mission,
        {
            "id": "NO-1",
            "capability": "infantry_company",
            "quantity": 1,
            "available_from": "2026-01-20",
            "excluded_areas": ["Sarajevo"],
        },
        DAY,
    )
    return eeas


def test_an_eeas_officer_reads_the_gaps_and_recommends_norways_offer(page, login, make_user):
    eeas = seed(make_user)
    login(eeas)
    page.click("text=CSDP missions")
    page.select_option("#type", "military")
    page.select_option("#region", "Western Balkans")
    page.fill("#on", "2026-01-15")
    page.click("button:has-text('Filter')")
    assert page.locator("#missions-table tbody tr").count() == 1
    page.click("#missions-table >> text=EUFOR ALTHEA")
    assert page.locator("h1").inner_text() == "EUFOR ALTHEA"

    assert page.locator("#requirements-table tr[data-requirement]").count() == 2
    assert page.locator("#offers-table tr[data-offer]").count() == 2

    # The gap chart is drawn: R1 filled (green, two units), R2 missing (red).
    chart = page.locator("svg#gap-chart")
    assert chart.get_attribute("role") == "img"
    filled = chart.locator('g[data-requirement="R1"] rect.filled').bounding_box()
    missing = chart.locator('g[data-requirement="R2"] rect.missing').bounding_box()
    assert filled and filled["width"] > 100 and filled["height"] > 10
    assert missing and missing["width"] > 50
    assert chart.locator('g[data-requirement="R1"] rect.missing').count() == 0
    # ... and the table says the same, with the reason.
    r2 = page.locator('#gaps-table tr[data-requirement="R2"]').inner_text()
    assert "no offer of Role 2 medical facility" in r2

    # Norway has an FPA: no mission-specific agreement needed. The EEAS recommends.
    norway_row = page.locator('#participations-table tr[data-state="NO"]')
    assert "offered" in norway_row.inner_text()
    assert "Framework Participation Agreement" in norway_row.inner_text()
    norway_row.locator("button:has-text('Recommend acceptance')").click()
    assert "done" in page.locator(".govuk-notification-banner").inner_text()
    assert "recommended" in page.locator('#participations-table tr[data-state="NO"]').inner_text()
    assert "no third state's contribution has been accepted yet" in page.locator("#committee-list").inner_text()
