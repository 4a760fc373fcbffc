"""A person opens the commitments chart page in Debian's chromium and reads it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_official_reads_spending_against_targets_on_the_chart_and_in_the_table(page, login, make_user):
    from accord.commitments.reference import load_safe_allocations, load_spending_figures

    load_spending_figures()
    load_safe_allocations()
    login(make_user("GB", "viewer", username="gb-analyst"))
    page.click("text=Commitments")
    page.fill("#on", "2025-10-01")
    page.click("button:has-text('Show')")
    assert page.locator("h1").inner_text() == "Defence spending against targets"

    chart = page.locator("#spending-figure svg")
    assert chart.get_attribute("role") == "img"
    assert "Defence spending as % of GDP" in chart.locator("title").first.text_content()
    # The chart is drawn: 24 bars with a real size, Poland's the longest, in GOV.UK green (met).
    bars = chart.locator("rect")
    assert bars.count() == 24
    poland = bars.first.bounding_box()
    assert poland and poland["width"] > 300 and poland["height"] > 10
    assert page.eval_on_selector("#spending-figure svg rect", "el => getComputedStyle(el).fill") == "rgb(0, 112, 60)"
    # The NATO target lines are drawn (dashed), and each bar says its status in words.
    assert chart.locator("line[stroke-dasharray]").count() >= 2
    text = chart.text_content()
    assert "4.48% met" in text and "2.40% on track; GB 2.5% by 2027: on track" in text
    assert chart.locator("text", has_text="no figure").count() == 12  # gaps stay gaps, never zero bars

    # The table alternative gives the same figures with their sources.
    uk_row = page.locator('#spending-table tr[data-state="GB"]')
    assert "2.40%" in uk_row.inner_text() and "On track" in uk_row.inner_text()
    assert "Defence Expenditure of NATO Countries" in page.locator("#sources").inner_text()

    page.click("text=SAFE allocations")
    assert "51.09%" in page.locator("#allocation-checks").inner_text()
