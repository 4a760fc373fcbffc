"""The shared SVG bar chart is accessible and honest about missing figures."""

from accord.web.charts import Bar, ReferenceLine, bar_chart


def test_a_chart_has_a_title_and_description_for_screen_readers():
    svg = bar_chart(
        [Bar("Poland", 4.48)], title="Defence spending", description="Per cent of GDP, 2025", unit="%", decimals=2
    )
    assert 'role="img"' in svg and "<title" in svg and "Per cent of GDP, 2025" in svg
    assert "4.48%" in svg


def test_a_missing_figure_is_shown_as_no_figure_not_as_zero():
    svg = bar_chart([Bar("Malta", None), Bar("Poland", 4.0)], title="Spending", unit="%")
    assert "no figure" in svg and svg.count("<rect") == 1


def test_reference_lines_are_drawn_and_labelled():
    svg = bar_chart(
        [Bar("UK", 2.4)], title="Spending", unit="%", decimals=1, reference_lines=[ReferenceLine("NATO 2%", 2.0)]
    )
    assert "NATO 2% (2.0%)" in svg and "stroke-dasharray" in svg


def test_labels_are_escaped():
    svg = bar_chart([Bar("<script>alert(1)</script>", 1)], title="x")
    assert "<script>" not in svg


def test_no_inline_style_attributes_so_the_csp_holds():
    svg = bar_chart([Bar("A", 1), Bar("B", 2)], title="x", reference_lines=[ReferenceLine("cap", 1.5)])
    assert "style=" not in svg
