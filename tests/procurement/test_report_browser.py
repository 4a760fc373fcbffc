"""In chromium: an officer downloads the PDF of a fresh check (nothing stored), then of the
stored assessment, and the bill of materials template."""

import pytest

from accord.procurement.models import Assessment

from .test_report import BOM_CSV, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_downloads_the_pdf_of_a_check_then_of_the_stored_assessment(page, login, make_user, tmp_path):
    bom = tmp_path / "bom.csv"
    bom.write_text(BOM_CSV, encoding="utf-8")
    login(make_user("PL", "editor", username="pl-officer"))
    page.goto("/safe/assessments/new/")
    with page.expect_download() as template:
        page.click("text=Download the bill of materials template (XLSX)")
    assert template.value.suggested_filename.endswith(".xlsx")
    page.fill("#title", "Joint 155mm ammunition purchase")
    page.fill("#assessment_date", "2026-03-01")
    page.fill("#contract_signed", "2026-02-15")
    page.fill("#procurers", "PL, LT")
    page.fill("#loan_recipients", "PL")
    page.check("#category-1")
    page.fill("#contractor_name", "Polish Prime")
    page.fill("#contractor_established_in", "PL")
    page.fill("#contractor_controlled_from", "PL")
    page.set_input_files("#bom_file", str(bom))
    with page.expect_download() as fresh:
        page.click("button:has-text('Check and download PDF')")
    assert "This check was not stored" in pdf_text(fresh.value.path().read_bytes())
    assert Assessment.objects.count() == 0
    page.click("button:has-text('Assess the case')")
    page.wait_for_selector("#verdict")
    with page.expect_download() as stored:
        page.click("#download-pdf")
    text = " ".join(pdf_text(stored.value.path().read_bytes()).split())
    assert "Not eligible for SAFE financing" in text and "by pl-officer (Poland)" in text
