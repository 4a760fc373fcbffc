"""The OpenStreetMap importer honours mlc:*, maxheight, maxweight and gauge (pyosmium)."""

import datetime as dt

import pytest

from accord.errors import InputError
from accord.mobility.engine.network import load_network
from accord.mobility.engine.osm_import import (
    import_osm,
    parse_maxheight,
    parse_maxweight,
    write_network,
)
from accord.mobility.engine.planner import PlanRequest, plan
from accord.mobility.engine.rules import mobility_parameters
from accord.mobility.engine.vehicles import Catalogue, Vehicle

PARAMS = mobility_parameters()
HIGHWAYS = PARAMS["mobility.osm.road_class_by_highway"].values[-1][1]

EXTRACT = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="accord-test">
  <node id="1" lat="54.3600" lon="23.4500"><tag k="name" v="West"/></node>
  <node id="2" lat="54.3650" lon="23.4700"/>
  <node id="3" lat="54.3700" lon="23.4900"><tag k="name" v="Junction"/></node>
  <node id="4" lat="54.3900" lon="23.5200"><tag k="name" v="East"/></node>
  <node id="5" lat="54.3500" lon="23.5200"><tag k="name" v="South"/></node>
  <node id="6" lat="54.4100" lon="23.5600"><tag k="name" v="Yard"/></node>
  <way id="10">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="primary"/><tag k="name" v="Bridge road"/>
    <tag k="mlc:tracked" v="50"/><tag k="mlc:wheeled" v="60"/>
    <tag k="maxheight" v="14'6&quot;"/><tag k="maxweight" v="40"/>
  </way>
  <way id="11"><nd ref="3"/><nd ref="4"/><tag k="highway" v="motorway"/><tag k="mlc" v="80"/></way>
  <way id="12"><nd ref="3"/><nd ref="5"/><tag k="highway" v="residential"/><tag k="maxheight" v="3.8 m"/></way>
  <way id="13"><nd ref="4"/><nd ref="6"/><tag k="railway" v="rail"/><tag k="gauge" v="1520"/></way>
  <way id="14"><nd ref="1"/><nd ref="5"/><tag k="waterway" v="river"/></way>
</osm>
"""


@pytest.fixture
def extract(tmp_path):
    path = tmp_path / "extract.osm"
    path.write_text(EXTRACT, encoding="utf-8")
    return path


def edges_by_way(extract):
    _, edges = import_osm(extract, country="LT", road_class_by_highway=HIGHWAYS)
    return {e["source_title"].split()[-1]: e for e in edges}


def test_mlc_tags_become_the_edge_load_classes(extract):
    edges = edges_by_way(extract)
    assert (edges["10"]["mlc_tracked"], edges["10"]["mlc_wheeled"]) == ("50", "60")
    assert (edges["11"]["mlc_tracked"], edges["11"]["mlc_wheeled"]) == ("80", "80")  # plain mlc=* sets both


def test_maxheight_in_feet_and_inches_and_in_metres_is_read_in_metres(extract):
    edges = edges_by_way(extract)
    assert edges["10"]["max_height_m"] == "4.42"
    assert edges["12"]["max_height_m"] == "3.8"


def test_maxweight_and_gauge_are_read(extract):
    edges = edges_by_way(extract)
    assert edges["10"]["max_weight_t"] == "40"
    assert edges["13"]["gauge_mm"] == 1520 and edges["13"]["mode"] == "rail"


def test_ways_that_are_not_roads_railways_or_ferries_are_ignored(extract):
    assert "14" not in edges_by_way(extract)


def test_ways_are_split_at_junctions_and_lengths_follow_the_geometry(extract):
    nodes, edges = import_osm(extract, country="LT", road_class_by_highway=HIGHWAYS)
    assert {n["id"] for n in nodes} == {"osm-n1", "osm-n3", "osm-n4", "osm-n5", "osm-n6"}  # node 2 is an inner point
    assert float(edges_by_way(extract)["10"]["length_km"]) > 2.5


@pytest.mark.parametrize("raw, metres", [("4", 4.0), ("4.5 m", 4.5), ("13'", 3.962), ("none", None), ("default", None)])
def test_maxheight_forms(raw, metres):
    assert parse_maxheight(raw) == metres


@pytest.mark.parametrize(
    "raw, tonnes", [("7.5", 7.5), ("7.5 t", 7.5), ("10 st", 9.072), ("3500 kg", 3.5), ("unsigned", None)]
)
def test_maxweight_forms(raw, tonnes):
    assert parse_maxweight(raw) == tonnes


def test_the_imported_network_is_planned_on_and_its_mlc_50_bridge_stops_an_mlc_70_tank(extract, tmp_path):
    nodes, edges = import_osm(extract, country="LT", road_class_by_highway=HIGHWAYS)
    write_network(tmp_path / "net", nodes, edges, "test")
    net = load_network(tmp_path / "net", detour={"road": 1, "rail": 1, "sea": 1})
    tracks = PARAMS.with_overrides({"mobility.network.tracked_self_propelled_on_roads": True}, scenario="t")
    tank = Vehicle(name="Tank 70", kind="tracked", mass_t=60, mlc=70)
    truck = Vehicle(name="Truck", kind="wheeled", mass_t=20, mlc=30)
    ok = plan(
        PlanRequest("osm-n1", "osm-n4", dt.date(2026, 3, 2), [(truck, 1)]),
        network=net,
        catalogue=Catalogue((truck,)),
        params=tracks,
    )
    assert [one_leg["edge"] for one_leg in ok["packets"][0]["legs"]][0].startswith("osm-w10")
    with pytest.raises(InputError, match="blocked by load class"):
        plan(
            PlanRequest("osm-n1", "osm-n4", dt.date(2026, 3, 2), [(tank, 1)]),
            network=net,
            catalogue=Catalogue((tank,)),
            params=tracks,
        )


def test_a_missing_file_is_a_clear_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        import_osm(tmp_path / "none.osm", country="LT", road_class_by_highway=HIGHWAYS)


def test_a_railway_without_gauge_is_reported_unless_a_default_is_given(tmp_path):
    path = tmp_path / "r.osm"
    path.write_text(EXTRACT.replace('<tag k="gauge" v="1520"/>', ""), encoding="utf-8")
    with pytest.raises(InputError, match="railway without gauge"):
        import_osm(path, country="LT", road_class_by_highway=HIGHWAYS)
    _, edges = import_osm(path, country="LT", road_class_by_highway=HIGHWAYS, default_gauge_mm=1520)
    assert any(e["gauge_mm"] == 1520 for e in edges)
