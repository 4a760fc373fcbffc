"""The SAFE case form takes what files and the API take: the case's currency, the exchange rate
date (a GOV.UK date input) and the case's own rates; bad input is an error summary, nothing stored."""

from __future__ import annotations

from fractions import Fraction

import pytest

from accord.procurement.models import Assessment

from .test_procurement_web import FORM, signed_in, upload

pytestmark = pytest.mark.django_db

# A BOM with no currency column: its amounts are in the case's currency.
GBP_BOM = "id,parent,quantity,purchased,unit_cost,origin\nSHELL,,1,false,,\nBODY,SHELL,1,true,640,PL\nFUZE,SHELL,1,true,300,GB\n"


def post(client, **fields):
    return client.post("/safe/assessments/new/", {**FORM, "bom_file": upload(GBP_BOM), **fields})


def errors_of(response) -> str:
    assert response.status_code == 422, response.status_code
    page = response.content.decode()
    assert "There is a problem" in page
    return page


def test_the_form_offers_the_currencies_of_the_rates_source_by_their_plain_names(make_user):
    page = signed_in(make_user("PL", "editor")).get("/safe/assessments/new/").content.decode()
    assert '<option value="GBP">Pound sterling (GBP)</option>' in page
    assert '<option value="EUR">Euro (EUR)</option>' in page
    assert "Cyprus pound (CYP), rates until 31 December 2007" in page  # a currency of any year
    for part in ("rates_on_day", "rates_on_month", "rates_on_year"):
        assert f'name="{part}"' in page
    assert 'name="rates"' in page


def test_a_gbp_bom_is_converted_at_the_rates_of_the_date_given_in_three_fields(make_user):
    client = signed_in(make_user("PL", "editor"))
    response = post(client, currency="GBP", rates_on_day="3", rates_on_month="4", rates_on_year="2026")
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment = Assessment.objects.get()
    assert assessment.case["currency"] == "GBP" and assessment.case["rates_on"] == "2026-04-03"
    # Good Friday 2026: no fixing; the fixing of 2 April (0.87253 GBP to the euro) is used.
    body = Fraction(640) / Fraction("0.87253")
    assert assessment.verdict["cost_by_origin"]["PL"] == pytest.approx(float(body), abs=0.005)
    page = client.get(response["Location"]).content.decode()
    assert "Pound sterling (GBP)" in page and "0.87253" in page
    assert "on 3 April 2026 (Friday)" in page and "of 2 April 2026, is used" in page
    assert "2026-04-0" not in page


def test_own_rates_are_read_one_a_line_with_a_decimal_point_or_comma(make_user):
    client = signed_in(make_user("PL", "editor"))
    response = post(client, currency="GBP", rates="\r\ngbp 0,8\r\n")
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment = Assessment.objects.get()
    assert assessment.case["rates"] == {"GBP": 0.8}
    assert assessment.verdict["cost_by_origin"]["GB"] == pytest.approx(375.0)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rates_on_day": "3", "rates_on_year": "2026"}, "Exchange rate date must include a month"),
        (
            {"rates_on_day": "31", "rates_on_month": "2", "rates_on_year": "2026"},
            "Exchange rate date must be a real date",
        ),
        ({"rates_on_day": "3", "rates_on_month": "4", "rates_on_year": "26"}, "the year must have 4 numbers"),
        ({"rates_on_day": "3", "rates_on_month": "April", "rates_on_year": "2026"}, "must be a real date, in numbers"),
        ({"currency": "XXX"}, "Select the currency of the bill of materials from the list"),
        (
            {"rates": "GBP 0.85\nUSD 1,1x"},
            "Your own exchange rates, line 2: the rate for USD must be a positive number",
        ),
        ({"rates": "GBP 0.85\n\nGBP 0.86"}, "Your own exchange rates, line 3: GBP is given twice"),
        ({"rates": "XYZ 1.2"}, "Your own exchange rates, line 1: ‘XYZ’ is not a currency code we know"),
        ({"rates": "0.85 pounds to the euro"}, "line 1: ‘0.85 pounds to the euro’ is not a currency code and a rate"),
        ({"rates": "GBP 0"}, "the rate for GBP must be a positive number, such as 0.8523, not ‘0’"),
        ({"rates": "GBP\u200b 0.85 🙂"}, "line 1: ‘GBP\ufffd 0.85 🙂’ is not a currency code and a rate"),
    ],
)
def test_a_bad_currency_date_or_rate_is_an_error_naming_the_field_and_nothing_is_stored(make_user, fields, message):
    page = errors_of(post(signed_in(make_user("PL", "editor")), **fields))
    assert message in page.replace("&#x27;", "'")
    assert Assessment.objects.count() == 0


def test_the_error_summary_links_the_date_to_its_first_field(make_user):
    page = errors_of(post(signed_in(make_user("PL", "editor")), rates_on_month="4"))
    assert 'href="#rates_on_day"' in page
    assert "Exchange rate date must include day and year" in page
    assert 'value="4"' in page  # what was typed stays


def test_a_rate_date_with_no_ecb_rate_is_refused_in_words_not_iso(make_user):
    page = errors_of(
        post(
            signed_in(make_user("PL", "editor")),
            currency="GBP",
            rates_on_day="2",
            rates_on_month="1",
            rates_on_year="1990",
        )
    )
    assert "European Central Bank reference rate for Pound sterling (GBP) on 2 January 1990" in page
    assert Assessment.objects.count() == 0
