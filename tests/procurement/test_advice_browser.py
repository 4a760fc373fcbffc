"""A firm's officer reads which parts to re-source, pins one, and uploads suppliers' prices, in chromium."""

import pytest

from accord.procurement import services

from .test_advice_resource import hand_built

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_goes_from_the_verdict_to_the_plan_pins_a_part_and_uploads_prices(page, login, make_user, tmp_path):
    user = make_user("PL", "editor", username="pl-firm")
    assessment = services.create_assessment(user, hand_built())
    login(user)
    page.goto(f"/safe/assessments/{assessment.pk}/")
    assert page.inner_text("#parts-table tbody tr:first-child th") == "P1"  # the largest non-eligible part
    page.click("#resource-link")
    page.wait_for_selector("#plan")
    assert "Re-source 1 part (€80.00 of non-eligible cost)" in page.inner_text("#plan")
    page.check("input[name=pin][value=P0]")
    prices = tmp_path / "quotes.csv"
    prices.write_text("part;unit_cost;supplier\nP0;95;A\nP1;225;B\nP2;205;C\nP3;90;D\n", encoding="utf-8")
    page.set_input_files("#candidates", str(prices))
    page.click("button:has-text('Plan again')")
    page.wait_for_selector("#plan")
    assert "P0: pinned" in page.inner_text("#cannot-move")
    assert "P0" not in page.inner_text("#moves")
    assert "Passes" in page.inner_text("#plan")
