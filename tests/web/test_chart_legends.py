"""Every chart has a visible key, a caption, and its figures as a table."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def spending(reference_data):
    from accord.commitments.reference import load_spending_figures

    load_spending_figures()


def test_the_spending_chart_has_a_visible_key_a_caption_and_the_same_figures_as_a_table(spending, make_user, client):
    client.force_login(make_user("GB", "viewer"))
    html = client.get("/commitments/", {"on": "2025-07-01"}).content.decode()
    key = re.search(r'<ul class="govuk-list commitments-legend"[^>]*>(.*?)</ul>', html, re.S).group(1)
    assert "Met" in key and "Behind" in key  # the colours of the bars
    assert re.search(r"Dashed line: [^<]*\(\d+(\.\d+)?% of GDP\)", key)  # the target lines, not only hidden in the SVG
    figure = re.search(r'<figure[^>]*id="spending-figure">(.*?)</figure>', html, re.S).group(1)
    assert "<svg" in figure and "<figcaption" in figure and 'href="#spending-table"' in figure
    bars = re.findall(r'<rect x="\d+(?:\.\d+)?" y="[\d.]+" width', figure)
    table_rows = re.findall(r'<tr class="govuk-table__row" data-state="', html)
    assert bars and len(table_rows) >= len(bars)  # every bar has its row (and states with no figure too)
