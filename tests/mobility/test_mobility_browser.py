"""Browser: a movement officer plans and submits a movement; a transit state's approver grants it."""

import datetime as dt

import pytest

from accord.mobility import services

from .network_builder import future_departure

FUTURE = future_departure()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_movement_officer_plans_a_movement_to_rukla_and_submits_the_request(page, login, make_user):
    login(make_user("DE", "editor", username="de-movements"))
    page.goto("/mobility/")
    page.select_option("#origin", "bergen_hohne")
    page.select_option("#destination", "rukla")
    # Vehicles are chosen by name from a list, the departure typed as day, month and year.
    page.select_option("#vehicle_name_1", "Leopard 2A7")
    page.fill("#vehicle_count_1", "14")
    page.select_option("#vehicle_name_2", "MAN HX77")
    page.fill("#vehicle_count_2", "20")
    day = dt.date.fromisoformat(FUTURE)
    page.fill("#depart_day", str(day.day))
    page.fill("#depart_month", str(day.month))
    page.fill("#depart_year", str(day.year))
    page.fill("#filed_on", (day - dt.timedelta(days=60)).isoformat())
    page.click("button:has-text('Plan')")
    # The route is drawn on the tile-free map and each state crossed has its deadline.
    route = page.locator("svg.accord-map line[data-leg]")
    assert route.count() > 3
    box = page.locator("svg.accord-map").bounding_box()
    assert box and box["width"] > 300
    assert page.locator("#states-table tr[data-state='LT']").count() == 1
    assert "Earliest departure that meets every deadline" in page.locator("#filing").inner_text()
    page.click("button:has-text('Submit movement request')")
    assert page.locator("#movement-status").inner_text() == "Waiting for decisions"
    assert page.locator("#permissions-table tr[data-state]").count() == 2


def test_a_lithuanian_approver_grants_the_permission_from_the_inbox(page, login, make_user):
    movement = services.create_movement(
        make_user("DE", "editor"),
        {"origin": "bergen_hohne", "destination": "rukla", "depart": FUTURE, "vehicles": "Leopard 2A7:14"},
    )
    login(make_user("LT", "approver", username="lt-approver"))
    page.goto("/mobility/inbox/")
    row = page.locator(f"#inbox-table tr[data-movement='{movement.pk}']")
    assert "Waiting for a decision" in row.inner_text()
    assert not row.locator("input[name=decision]:checked").count()  # no default decision
    row.locator("input[name=decision][value=granted_with_conditions]").check()
    row.locator("textarea[name=conditions]").fill("Night moves only")
    row.locator("button:has-text('Record decision')").click()
    assert "Decision recorded" in page.locator(".govuk-notification-banner").inner_text()
    decided = page.locator(f"#inbox-table tr[data-movement='{movement.pk}']").inner_text()
    assert "Granted with conditions: Night moves only" in decided and "By lt-approver" in decided
    assert not page.locator(f"#inbox-table tr[data-movement='{movement.pk}'] form").count()  # final once made
