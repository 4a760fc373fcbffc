"""Browser: a movement officer plans and submits a movement; a transit state's approver grants it."""

import pytest

from accord.mobility import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_movement_officer_plans_a_movement_to_rukla_and_submits_the_request(page, login, make_user):
    login(make_user("DE", "editor", username="de-movements"))
    page.goto("/mobility/")
    page.select_option("#origin", "bergen_hohne")
    page.select_option("#destination", "rukla")
    page.fill("#vehicles", "Leopard 2A7:14,MAN HX77:20")
    page.fill("#depart", "2026-03-02")
    page.fill("#filed_on", "2026-01-05")
    page.click("button:has-text('Plan')")
    # The route is drawn on the tile-free map and each state crossed has its deadline.
    route = page.locator("svg.accord-map line[data-leg]")
    assert route.count() > 3
    box = page.locator("svg.accord-map").bounding_box()
    assert box and box["width"] > 300
    assert page.locator("#states-table tr[data-state='LT']").count() == 1
    assert "Earliest feasible departure" in page.locator("#filing").inner_text()
    page.click("button:has-text('Submit movement request')")
    assert page.locator("#movement-status").inner_text() == "pending"
    assert page.locator("#permissions-table tr[data-state]").count() == 2


def test_a_lithuanian_approver_grants_the_permission_from_the_inbox(page, login, make_user):
    movement = services.create_movement(make_user("DE", "editor"), {
        "origin": "bergen_hohne", "destination": "rukla", "depart": "2026-03-02", "vehicles": "Leopard 2A7:14"})
    login(make_user("LT", "approver", username="lt-approver"))
    page.goto("/mobility/inbox/")
    row = page.locator(f"#inbox-table tr[data-movement='{movement.pk}']")
    assert "Pending" in row.inner_text()
    row.locator("select[name=decision]").select_option("granted_with_conditions")
    row.locator("input[name=conditions]").fill("Night moves only")
    row.locator("button:has-text('Record decision')").click()
    assert "Decision for LT recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert "Granted with conditions: Night moves only" in page.locator(f"#inbox-table tr[data-movement='{movement.pk}']").inner_text()
