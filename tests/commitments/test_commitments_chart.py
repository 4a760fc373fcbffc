"""What the spending chart draws: highest spender first, gaps last, NATO target lines, statuses in words."""

import datetime as dt

from accord.commitments import chart, reports

ON = dt.date(2025, 10, 1)


def built(on=ON):
    return chart.build(reports.spending_data(on), reports.status_data(on))


def test_bars_run_from_the_highest_spender_down_and_states_without_a_figure_come_last():
    rows = built()["rows"]
    assert rows[0]["state"] == "PL"
    with_figures = [r for r in rows if r["has_figure"]]
    assert all(not r["has_figure"] for r in rows[len(with_figures) :])
    assert len(with_figures) == 24 and len(rows) - len(with_figures) == 12


def test_a_missing_figure_is_drawn_as_no_figure_never_as_a_zero_bar():
    svg = str(built()["svg"])
    assert svg.count("<rect") == 24 and svg.count(">no figure<") == 12


def test_the_nato_targets_are_dashed_lines_and_the_uk_targets_are_named_on_its_bar():
    svg = str(built()["svg"])
    assert "NATO 2% guideline (2.00%)" in svg and "NATO 3.5% core defence by 2035 (3.50%)" in svg
    assert "2.40% on track; GB 2.5% by 2027: on track; GB 3.5% by 2035: on track" in svg


def test_the_bars_are_coloured_against_the_hague_core_target_once_it_is_in_force():
    assert built()["colour_by"]["id"] == "nato_hague_2035_core"
    assert built(dt.date(2025, 6, 1))["colour_by"]["id"] == "nato_wales_2014"


def test_states_outside_nato_are_drawn_but_not_assessed_against_nato_targets():
    data = built()
    ireland = next(r for r in data["rows"] if r["state"] == "IE")
    assert ireland["has_figure"] and ireland["status"] == "not_assessed"
    assert "0.24% not assessed" in str(data["svg"])


def test_the_description_counts_the_statuses_for_screen_readers():
    data = built()
    assert (
        "Against NATO 3.5% core defence by 2035 (The Hague, 2025): 3 met, 17 on track, 12 no figure, 4 not assessed."
        in str(data["svg"])
    )
