"""The shipped strategic network: coverage, sources, and clear errors for bad data."""

import datetime as dt

import pytest

from accord.errors import InputError
from accord.mobility.engine.network import DATA_DIR, load_network
from accord.mobility.engine.planner import default_network
from accord.mobility.engine.rules import mobility_parameters

from .network_builder import DETOUR, edge, node, write

NETWORK = default_network(mobility_parameters(), dt.date(2026, 3, 1))


def test_the_shipped_network_has_at_least_150_nodes_each_with_coordinates_country_and_source():
    assert len(NETWORK.nodes) >= 150
    for n in NETWORK.nodes:
        assert len(n.country) == 2 and n.source_title and n.source_url.startswith("https://")
        assert 34 < n.lat < 72 and -11 < n.lon < 32, n.id


def test_every_shipped_edge_has_a_mode_a_length_and_a_source():
    for e in NETWORK.edges:
        assert e.mode in ("road", "rail", "sea", "tunnel")
        assert e.length_km > 0
        assert e.source_title and e.source_url.startswith("https://")


def test_the_network_covers_the_states_named_by_the_issue():
    assert {"GB", "FR", "BE", "NL", "LU", "DE", "PL", "CZ", "EE", "LV", "LT", "FI", "SE", "NO", "DK", "RO"} <= set(
        NETWORK.countries()
    )


@pytest.mark.parametrize(
    "node_id", ["tidworth", "catterick", "marchwood", "dover", "southampton", "tapa", "sestokai", "palemonas"]
)
def test_named_places_are_in_the_network(node_id):
    assert node_id in NETWORK.index


def test_the_three_rail_gauges_are_present():
    assert {1435, 1520, 1524} <= set(NETWORK.gauges())


def test_rail_baltica_is_standard_gauge_from_the_polish_border_to_kaunas():
    gauges = {(e.a, e.b): e.gauge_mm for e in NETWORK.edges if e.mode == "rail"}
    assert gauges[("trakiszki", "mockava")] == 1435
    assert gauges[("mockava", "sestokai")] == 1435
    assert gauges[("sestokai", "palemonas")] == 1435
    assert gauges[("tartu", "tapa")] == 1520
    assert gauges[("tornio", "oulu")] == 1524


def test_every_border_node_joins_two_states():
    for n in NETWORK.nodes:
        if n.kind != "border":
            continue
        neighbours = {NETWORK.node(e.b if e.a == n.id else e.a).country for e in NETWORK.edges if n.id in (e.a, e.b)}
        assert len(neighbours | {n.country}) >= 2, n.id


def test_every_road_crossing_a_land_border_passes_a_border_crossing_node():
    for e in NETWORK.edges:
        a, b = NETWORK.node(e.a), NETWORK.node(e.b)
        if e.mode == "road" and a.country != b.country:
            assert "border" in (a.kind, b.kind), e.id


def test_unpublished_bridge_classes_stay_unknown_in_the_shipped_data():
    assert all(e.mlc_tracked is None and e.mlc_wheeled is None for e in NETWORK.edges)


def test_lengths_without_a_published_figure_use_the_detour_factor(tmp_path):
    net = write(
        tmp_path, [node("a", "DE", 50.0, 10.0), node("b", "DE", 51.0, 10.0)], [edge("e1", "road", "a", "b", "")]
    )
    straight = net.edges[0].length_km
    longer = load_network(tmp_path, detour={**DETOUR, "road": 1.5}).edges[0].length_km
    assert net.edges[0].length_computed
    assert longer == pytest.approx(straight * 1.5)


def test_a_bad_network_file_is_rejected_naming_each_line_and_field(tmp_path):
    nodes = [node("a", "DE", 50.0, 10.0), node("b", "DEU", 51.0, 10.0)]
    edges = [edge("e1", "road", "a", "zzz", 10), edge("e2", "rail", "a", "b", 10), edge("e3", "plane", "a", "b", 1)]
    with pytest.raises(InputError) as exc:
        write(tmp_path, nodes, edges)
    text = str(exc.value)
    assert "line 3" in text and "country" in text
    assert "unknown node zzz" in text
    assert "gauge_mm" in text
    assert "mode must be one of" in text


def test_the_shipped_data_directory_is_versioned():
    assert (DATA_DIR / "VERSION").read_text().strip() == NETWORK.version != "unversioned"
