"""Tests of the map geometry: data/geo/countries.geojson, the static plotly.js base maps and
core/model/geo.py (see "Map geometry" in data/README.md)."""

from __future__ import annotations

import importlib.util
import json
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.model.countries import UN_MEMBER_STATES
from core.model.geo import (
    DEFAULT_REGION,
    GEOMETRY_PATH,
    REGIONS,
    feature_contains,
    label_points,
    load_geometry,
    polygons,
)
from core.settings import BUNDLED_DATA_DIR, PACKAGE_DIR

GEOJSON_BUDGET_BYTES = 1_500_000
TOPOJSON_BUDGET_BYTES = 600_000
STATIC_DIR = PACKAGE_DIR / "static"
WORLD_ATLAS_DIR = Path("/tmp/world-atlas-2.0.2")
"""Where scripts/build_geo.py's docstring unpacks the world-atlas 2.0.2 package."""
PLOTLY_LAYERS = {"land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits"}
"""Objects plotly.js reads from world_<res>m.json (src/plots/geo/constants.js, `layers`)."""

UN_MEMBERS = UN_MEMBER_STATES

RECOGNISED = [
    ("Simferopol, Crimea", 34.10, 44.95, "UKR"),
    ("Sevastopol, Crimea", 33.52, 44.60, "UKR"),
    ("Donetsk", 37.80, 48.00, "UKR"),
    ("Luhansk", 39.31, 48.57, "UKR"),
    ("Sukhumi, Abkhazia", 41.02, 43.00, "GEO"),
    ("Tskhinvali, South Ossetia", 43.96, 42.23, "GEO"),
    ("Tiraspol, Transnistria", 29.63, 46.84, "MDA"),
    ("Stepanakert / Khankendi, Karabakh", 46.75, 39.82, "AZE"),
    ("North Nicosia", 33.36, 35.20, "CYP"),
    ("Hargeisa, Somaliland", 44.06, 9.56, "SOM"),
]
"""Places in disputed or occupied territory and the UN-recognised state they must be drawn in."""


def _features() -> dict[str, dict]:
    return {f["id"]: f for f in load_geometry()["features"]}


def _load_build_script():
    spec = importlib.util.spec_from_file_location(
        "build_geo", PACKAGE_DIR / "scripts" / "build_geo.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_un_members_list_is_complete():
    assert len(set(UN_MEMBERS)) == 193


def test_feature_collection_shape():
    geometry = load_geometry()
    assert geometry["type"] == "FeatureCollection"
    ids = [f["id"] for f in geometry["features"]]
    assert len(ids) == len(set(ids))
    for feature in geometry["features"]:
        assert feature["type"] == "Feature"
        assert feature["properties"]["iso3"] == feature["id"]
        assert feature["properties"]["name"]
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_every_country_of_the_data_has_a_feature():
    countries = pd.read_csv(BUNDLED_DATA_DIR / "countries.csv", dtype=str)
    assert set(countries["iso3"]) <= set(_features())


def test_every_un_member_has_a_feature():
    missing = sorted(set(UN_MEMBERS) - set(_features()))
    assert not missing, f"UN members without geometry: {missing}"


def test_ids_are_iso3_or_documented_user_assigned_codes():
    import pycountry

    odd = {i for i in _features() if pycountry.countries.get(alpha_3=i) is None}
    assert odd == {"XKX", "XSG"}  # Kosovo, Siachen Glacier: see data/README.md


def test_coordinates_within_the_globe_and_rings_closed():
    for feature in load_geometry()["features"]:
        for polygon in polygons(feature["geometry"]):
            for ring in polygon:
                pts = np.asarray(ring)
                assert len(pts) >= 4, feature["id"]
                assert pts[0].tolist() == pts[-1].tolist(), feature["id"]
                assert (np.abs(pts[:, 0]) <= 180).all(), feature["id"]
                assert (np.abs(pts[:, 1]) <= 90).all(), feature["id"]


def test_no_ring_jumps_across_the_antimeridian():
    """Russia and Fiji are split at 180 degrees, so planar point-in-polygon tests work (only
    Antarctica's ring, round the pole, crosses once)."""
    for feature in load_geometry()["features"]:
        for polygon in polygons(feature["geometry"]):
            jumps = int((np.abs(np.diff(np.asarray(polygon[0])[:, 0])) > 180).sum())
            assert jumps <= (1 if feature["id"] == "ATA" else 0), feature["id"]


@pytest.mark.parametrize(("place", "lon", "lat", "state"), RECOGNISED)
def test_disputed_territory_is_drawn_in_the_recognised_state(place, lon, lat, state):
    holders = [i for i, f in _features().items() if feature_contains(f, lon, lat)]
    assert holders == [state], f"{place} is drawn in {holders}"


@pytest.mark.parametrize(
    ("place", "lon", "lat", "state"),
    [
        ("Moscow", 37.62, 55.75, "RUS"),
        ("Vladivostok", 131.9, 43.12, "RUS"),
        ("Chukotka east of 180", -175.0, 67.0, "RUS"),
        ("Kyiv", 30.52, 50.45, "UKR"),
        ("Almaty", 76.9, 43.25, "KAZ"),
        ("Bishkek", 74.6, 42.87, "KGZ"),
        ("Dushanbe", 68.78, 38.56, "TJK"),
        ("Ashgabat", 58.38, 37.95, "TKM"),
        ("Tashkent", 69.24, 41.3, "UZB"),
        ("Minsk", 27.56, 53.9, "BLR"),
        ("Yerevan", 44.51, 40.18, "ARM"),
        ("Baku", 49.87, 40.41, "AZE"),
        ("Tbilisi", 44.79, 41.72, "GEO"),
        ("Chisinau", 28.86, 47.01, "MDA"),
        ("Nakhchivan", 45.41, 39.21, "AZE"),
        ("Kaliningrad", 20.5, 54.71, "RUS"),
        ("Suva, Fiji", 178.44, -18.14, "FJI"),
    ],
)
def test_known_places_are_inside_their_country(place, lon, lat, state):
    holders = [i for i, f in _features().items() if feature_contains(f, lon, lat)]
    assert holders == [state], f"{place} is drawn in {holders}"


def test_files_stay_within_budget():
    assert GEOMETRY_PATH.stat().st_size < GEOJSON_BUDGET_BYTES
    for name in ("world_110m.json", "world_50m.json"):
        assert (STATIC_DIR / name).stat().st_size < TOPOJSON_BUDGET_BYTES


def test_label_points_fall_inside_their_country():
    labels = label_points()
    features = _features()
    assert list(labels.columns) == ["iso3", "lon", "lat"]
    assert set(labels["iso3"]) == set(features)
    outside = [
        row.iso3
        for row in labels.itertuples()
        if not feature_contains(features[row.iso3], row.lon, row.lat)
    ]
    assert not outside


def test_russias_label_sits_in_european_russia_or_western_siberia():
    row = label_points().set_index("iso3").loc["RUS"]
    assert 30 <= row["lon"] <= 75
    assert 50 <= row["lat"] <= 66


def test_regions_are_plain_layout_geo_data():
    assert DEFAULT_REGION in REGIONS
    assert {"Central Asia", "South Caucasus", "Eastern Europe", "Former Soviet space", "World"} <= (
        set(REGIONS)
    )
    for spec in REGIONS.values():
        json.dumps(spec)  # plain data
        assert set(spec) == {"center", "projection", "lonaxis", "lataxis"}
        assert spec["projection"]["type"]


@pytest.mark.parametrize(
    ("region", "countries"),
    [
        ("Former Soviet space", ["MDA", "BLR", "UKR", "GEO", "ARM", "AZE", "KAZ", "KGZ", "TJK"]),
        ("Central Asia", ["KAZ", "KGZ", "TJK", "TKM", "UZB"]),
        ("South Caucasus", ["GEO", "ARM", "AZE"]),
        ("Eastern Europe", ["MDA", "BLR", "UKR"]),
    ],
)
def test_region_boxes_show_their_countries(region, countries):
    spec = REGIONS[region]
    (lon0, lon1), (lat0, lat1) = spec["lonaxis"]["range"], spec["lataxis"]["range"]
    labels = label_points().set_index("iso3")
    for iso3 in countries:
        lon, lat = labels.loc[iso3, ["lon", "lat"]]
        assert lon0 <= lon <= lon1 and lat0 <= lat <= lat1, (region, iso3)


def _topology(name: str) -> dict:
    return json.loads((STATIC_DIR / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["world_110m.json", "world_50m.json"])
def test_static_base_maps_have_what_plotly_reads(name):
    topology = _topology(name)
    assert topology["type"] == "Topology"
    assert set(topology["objects"]) == PLOTLY_LAYERS
    n_arcs = len(topology["arcs"])
    used = set()

    def walk(arcs):
        for item in arcs:
            if isinstance(item, list):
                walk(item)
            else:
                assert -n_arcs <= item < n_arcs
                used.add(item if item >= 0 else ~item)

    for obj in topology["objects"].values():
        assert obj["type"] == "GeometryCollection"
        for geometry in obj["geometries"]:
            walk(geometry["arcs"])
    assert used == set(range(n_arcs))  # no dead arcs
    coast = topology["objects"]["coastlines"]["geometries"]
    assert [g["type"] for g in coast] == ["MultiLineString"]
    ids = {g["id"] for g in topology["objects"]["countries"]["geometries"]}
    assert {"KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS", "BLR", "ARM", "AZE", "GEO", "MDA"} <= ids


@pytest.mark.parametrize("name", ["world_110m.json", "world_50m.json"])
def test_static_base_maps_draw_crimea_in_ukraine(name):
    build = _load_build_script()
    topology = _topology(name)
    arcs = build.decode_arcs(topology)
    countries = topology["objects"]["countries"]["geometries"]
    holders = []
    for country in countries:
        for polygon in build.geometry_polygons(country):
            rings = [build.to_degrees(topology, build.ring_points(arcs, r)) for r in polygon]
            if build.rings_contain(rings, 34.10, 44.95)[0]:
                holders.append(country["id"])
    assert holders == ["UKR"]


def test_static_serving_is_on():
    config = tomllib.loads((PACKAGE_DIR / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True


@pytest.mark.skipif(
    not (WORLD_ATLAS_DIR / "countries-50m.json").exists(),
    reason=f"world-atlas 2.0.2 is not unpacked at {WORLD_ATLAS_DIR} (see scripts/build_geo.py)",
)
def test_build_reproduces_the_committed_files(tmp_path):
    build = _load_build_script()
    outputs = {110: tmp_path / "world_110m.json", 50: tmp_path / "world_50m.json"}
    build.build(WORLD_ATLAS_DIR, tmp_path / "countries.geojson", outputs)
    assert (tmp_path / "countries.geojson").read_bytes() == GEOMETRY_PATH.read_bytes()
    for path in outputs.values():
        assert path.read_bytes() == (STATIC_DIR / path.name).read_bytes()
