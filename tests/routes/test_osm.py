"""Tests of osmnx interoperability on a hand-written OSM XML fixture (no downloads)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import osmnx as ox
import pytest
import requests

from routemap.errors import NetworkDataError
from routemap.routes import osm, overland
from routemap.routes.leg import LegRequest, Stop
from tests.routes.networks import six_node_network

EXTRACT = Path(__file__).parent / "data" / "rail_extract.osm"


@pytest.fixture(scope="module")
def extract():
    return osm.network_from_osm_xml(EXTRACT)


@pytest.mark.parametrize(("mode", "nodes", "edges"), [("rail", 7, 6), ("road", 2, 1)])
def test_network_from_osm_xml_keeps_the_mode(mode, nodes, edges):
    network = osm.network_from_osm_xml(EXTRACT, mode=mode)
    assert (network.n_nodes, network.n_edges) == (nodes, edges)
    assert network.mode == mode
    assert "OpenStreetMap" in network.attribution


def test_abandoned_track_is_dropped(extract):
    # node 8 (only on the railway=abandoned way) is gone; the others are in Russia
    assert not np.any(np.isclose(extract.lat, 43.9) & np.isclose(extract.lon, 132.05))
    assert set(extract.country_codes().tolist()) == {"RU"}


def test_settings_are_restored():
    before = list(ox.settings.useful_tags_way)
    osm.network_from_osm_xml(EXTRACT)
    assert ox.settings.useful_tags_way == before


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(NetworkDataError):
        osm.network_from_osm_xml(tmp_path / "missing.osm")


def test_extract_replaces_the_bundled_network(extract):
    stops = (Stop("a", "Main start", 43.8, 131.95), Stop("b", "Branch end", 43.86, 131.93))
    routed = overland.route_leg(LegRequest("rail", stops, within=("RU",)), extract)
    assert routed.distance_km == pytest.approx(2 * 2.742 + 2 * 2.650, rel=1e-3)
    assert routed.network.startswith("rail_extract (OpenStreetMap extract")


def test_to_multidigraph_is_osmnx_compatible():
    network = six_node_network()
    g = osm.to_multidigraph(network)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.graph["crs"] == "EPSG:4326"
    assert g.number_of_nodes() == 6 and g.number_of_edges() == 12
    assert g.nodes[4]["x"] == pytest.approx(31.5) and g.nodes[4]["y"] == pytest.approx(51.0)
    assert g.edges[0, 1, 0]["length"] == pytest.approx(72_000.0)
    path = ox.routing.shortest_path(g, 0, 5, weight="length")
    assert path == [0, 1, 2, 3, 5]


def test_round_trip_through_networkx():
    network = six_node_network()
    g = osm.to_multidigraph(network)
    for _, _, data in g.edges(data=True):
        data["railway"] = "rail"
    again = osm.network_from_graph(g, codes=network.country_codes())
    np.testing.assert_allclose(again.weights, network.weights)
    assert again.countries == network.countries


def _raise(exc):
    def fail(*args, **kwargs):
        raise exc
    return fail


def _parse_error(text, position):
    import xml.etree.ElementTree as ET

    exc = ET.ParseError(text)
    exc.position = position
    return exc


@pytest.mark.parametrize(("mode", "exc", "message"), [
    ("rail", FileNotFoundError(2, "No such file or directory", "x.osm"),
     "cannot open the OpenStreetMap extract '{path}'; check its name and that it may be read "
     "(from the file system: [Errno 2] No such file or directory: 'x.osm')"),
    ("rail", _parse_error("unclosed token: line 3, column 4", (3, 4)),
     "'{path}' is not OpenStreetMap XML (it stops being valid XML at line 3, column 5); export "
     "the area again as an .osm file, e.g. from JOSM or Overpass (from the XML parser: unclosed "
     "token: line 3, column 4)"),
    ("rail", ox._errors.InsufficientResponseError(
        "No data elements in server response. Check query location/filters and log."),
     "cannot build a rail network from the OpenStreetMap extract '{path}': it holds no nodes and "
     "ways that osmnx can use; export the area again with its railways (ways tagged "
     "railway=rail, light_rail or narrow_gauge) (from osmnx: No data elements in server "
     "response. Check query location/filters and log.)"),
    ("road", ox._errors.InsufficientResponseError("No data elements in server response."),
     "cannot build a road network from the OpenStreetMap extract '{path}': it holds no nodes and "
     "ways that osmnx can use; export the area again with its roads (ways tagged highway=*) "
     "(from osmnx: No data elements in server response.)"),
])
def test_unreadable_extract_is_our_error(tmp_path, monkeypatch, mode, exc, message):
    path = tmp_path / "x.osm"
    monkeypatch.setattr(ox, "graph_from_xml", _raise(exc))
    with pytest.raises(NetworkDataError) as caught:
        osm.network_from_osm_xml(path, mode=mode)
    assert str(caught.value) == message.format(path=path)
    assert caught.value.__cause__ is exc


def test_malformed_extract_is_our_error_with_the_real_parser(tmp_path):
    path = tmp_path / "cut.osm"
    path.write_text('<?xml version="1.0"?>\n<osm version="0.6">\n  <node id="1"')
    with pytest.raises(NetworkDataError, match=r"^'.*cut\.osm' is not OpenStreetMap XML \(it stops "
                                               r"being valid XML at line 3, column \d+\); export"):
        osm.network_from_osm_xml(path)


@pytest.mark.parametrize(("exc", "detail"), [
    (ox._errors.InsufficientResponseError("Nominatim could not geocode query 'Atlantis'"),
     "Nominatim could not geocode query 'Atlantis'"),
    (requests.exceptions.ConnectionError("Max retries exceeded with url: /api/interpreter"),
     "Max retries exceeded with url: /api/interpreter"),
])
def test_failed_download_is_our_error(monkeypatch, exc, detail):
    monkeypatch.setattr(ox, "graph_from_place", _raise(exc))
    before = list(ox.settings.useful_tags_way)
    with pytest.raises(NetworkDataError) as caught:
        osm.download_rail_extract("Atlantis")
    assert str(caught.value) == (
        "cannot download the railways of 'Atlantis' from OpenStreetMap; check the place name (as "
        "Nominatim knows it) and the internet connection, or save an extract of the area and read "
        f"it with network_from_osm_xml (from osmnx: {detail})")
    assert ox.settings.useful_tags_way == before
