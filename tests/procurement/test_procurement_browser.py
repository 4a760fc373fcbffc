"""A Polish procurement officer creates a SAFE case through the form in chromium and reads the verdict."""

import pytest

from .test_procurement_bom import CSV_BOM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_uploads_a_bom_through_the_form_and_sees_the_verdict_with_its_checks(
    page, login, make_user, tmp_path
):
    bom = tmp_path / "bom.csv"
    bom.write_text(CSV_BOM, encoding="utf-8")
    login(make_user("PL", "editor", username="pl-officer"))
    page.goto("/safe/")
    page.click("text=Assess a new case")
    page.fill("#title", "Joint 155mm ammunition purchase")
    page.fill("#assessment_date", "2026-03-01")
    page.fill("#contract_signed", "2026-02-15")
    page.fill("#procurers", "PL, LT")
    page.fill("#loan_recipients", "PL")
    page.check("#category-1")
    page.fill("#contractor_name", "Polish Prime")
    page.fill("#contractor_established_in", "PL")
    page.fill("#contractor_controlled_from", "PL")
    page.click("text=Add up to 3 subcontractors")
    page.fill("#sub1_name", "UK Fuzes Ltd")
    page.fill("#sub1_established_in", "GB")
    page.fill("#sub1_controlled_from", "GB")
    page.fill("#sub1_share", "20")
    page.fill("#sub1_contract_before", "2024-01-01")
    page.set_input_files("#bom_file", str(bom))
    page.click("button:has-text('Assess the case')")
    page.wait_for_selector("#verdict")
    assert "Not eligible" in page.inner_text("#verdict")
    checks = page.inner_text("#checks")
    assert "Component cost (35% rule)" in checks and "Art. 16(10)" in checks
    assert "Subcontractor UK Fuzes Ltd" in checks and "Art. 16(4)" in checks
    assert "€10.00" in page.inner_text("#headroom") and "€15.39" in page.inner_text("#headroom")
    assert page.locator("svg.accord-chart").count() == 1
    page.select_option("#compare", "uk-participation")
    page.click("button:has-text('Compare')")
    page.wait_for_selector("#comparison-table")
    assert "uk-participation" in page.inner_text("#comparison-table")
