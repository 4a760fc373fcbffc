"""A UK firm's BOM priced in pounds, through the form in chromium: the case's currency, the
exchange rate date as day, month and year, the converted figures and the rate note in words."""

import re

import pytest

from accord.procurement.models import Assessment

from .test_procurement_form_currencies import GBP_BOM

FACTS = {
    "title": "Shells priced in pounds",
    "assessment_date": "2026-04-20",
    "procurers": "PL, LT",
    "loan_recipients": "PL",
    "contractor_name": "Polish Prime",
    "contractor_established_in": "PL",
    "contractor_controlled_from": "PL",
}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_assesses_a_bom_in_pounds_at_the_rates_of_a_date_and_reads_them_in_plain_english(
    page, login, make_user, tmp_path
):
    bom = tmp_path / "bom.csv"
    bom.write_text(GBP_BOM, encoding="utf-8")
    login(make_user("PL", "editor", username="pl-officer"))
    page.goto("/safe/assessments/new/")
    for field, value in FACTS.items():
        page.fill(f"#{field}", value)
    page.check("#category-1")
    page.set_input_files("#bom_file", str(bom))
    page.select_option("#currency", label="Pound sterling (GBP)")
    # First a date that does not exist: the error names the field by its label, nothing is stored.
    page.fill("#rates_on_day", "31")
    page.fill("#rates_on_month", "4")
    page.fill("#rates_on_year", "2026")
    page.click("button:has-text('Assess the case')")
    summary = page.inner_text(".govuk-error-summary")
    assert "Exchange rate date must be a real date" in summary
    assert Assessment.objects.count() == 0
    page.click(".govuk-error-summary a:has-text('Exchange rate date')")
    assert page.evaluate("document.activeElement.id") == "rates_on_day"
    # Good Friday 2026: no fixing that day; the fixing of 2 April is used, and the page says so.
    page.fill("#rates_on_day", "3")
    page.set_input_files("#bom_file", str(bom))
    page.click("button:has-text('Assess the case')")
    page.wait_for_selector("#verdict")
    text = page.inner_text("main")
    rates = page.inner_text("#rates")
    assert "Pound sterling (GBP)" in rates and "0.87253" in rates and "rate of 2 April 2026" in rates
    assert "fixed no euro reference rate on 3 April 2026 (Friday) for Pound sterling (GBP)" in text
    assert "the last earlier fixing, of 2 April 2026, is used" in text
    # £640 and £300 at 0.87253 to the euro: €733.50 and €343.83, not €640 and €300
    assert "733.50" in text and "343.83" in text and "1,077.33" in text
    # Dates in words only: no ISO date anywhere in the page's text (the checks' sentences too).
    assert not ISO_DATE.search(text), [text[max(0, m.start() - 80) : m.end()] for m in ISO_DATE.finditer(text)]
