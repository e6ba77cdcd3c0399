"""The map figure: shapes from the given GeoJSON, values as colours and words, click targets."""

from __future__ import annotations

import pandas as pd

from figures.map import (
    BACKGROUND_FILL,
    NO_EVIDENCE_FILL,
    NO_EVIDENCE_LINE,
    NO_EVIDENCE_TEXT,
    SELECT,
    build_map,
    index_values,
    issue_values,
)
from figures.palette import NOT_APPLICABLE_COLOUR, NOT_APPLICABLE_TEXT, SCORE_COLOURS

T = pd.Timestamp


def square(iso3: str, lon: float) -> dict:
    ring = [[lon, 40], [lon + 5, 40], [lon + 5, 45], [lon, 45], [lon, 40]]
    return {"type": "Feature", "id": iso3, "properties": {"name": iso3},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip


GEOMETRY = {
    "type": "FeatureCollection",
    "features": [square("KAZ", 60), square("RUS", 40), square("ARM", 45), square("FRA", 0)],
}
POINTS = pd.DataFrame(
    {"iso3": ["KAZ", "RUS", "ARM", "FRA"], "lon": [62.5, 42.5, 47.5, 2.5], "lat": [42.5] * 4}
)
VIEW = {"projection_type": "conic conformal", "center": {"lon": 60, "lat": 50}}


def cells(**overrides) -> pd.DataFrame:
    """One issue's cells for three countries, one per state."""
    base = {
        "country": ["KAZ", "ARM", "RUS"],
        "issue": ["troop_request"] * 3,
        "state": ["scored", "no_evidence", "not_applicable"],
        "label": ["Refused <b>", None, None],
        "score": [2.0, None, None],
        "date": [T("2022-03-02"), pd.NaT, pd.NaT],
        "date_precision": ["day", None, None],
        "summary": ["Said <script>no</script>.", None, None],
        "country_name": ["Kazakhstan", "Armenia", "Russia"],
        "issue_label": ["Troop request"] * 3,
    }
    base.update(overrides)
    return pd.DataFrame(base)


def traces(fig, name):
    return [t for t in fig.data if t.name == name]


def test_each_state_gets_its_colour_outline_and_words():
    fig = build_map(issue_values(cells()), GEOMETRY, POINTS, view=VIEW, title="Troops")
    (positions,) = traces(fig, "positions")
    colour = dict(zip(positions.locations, positions.z, strict=True))
    scale = dict(positions.colorscale)
    band = {loc: scale[min(k for k in scale if abs(k * positions.zmax - z) <= 0.5)]
            for loc, z in colour.items()}  # fmt: skip
    assert band == {"KAZ": SCORE_COLOURS[2], "ARM": NO_EVIDENCE_FILL, "RUS": NOT_APPLICABLE_COLOUR}
    lines = dict(zip(positions.locations, positions.marker.line.color, strict=True))
    assert lines["ARM"] == NO_EVIDENCE_LINE
    (labels,) = traces(fig, SELECT)
    words = dict(zip([c[0] for c in labels.customdata], labels.text, strict=True))
    assert words["KAZ"].endswith("+2") and words["ARM"].endswith(NO_EVIDENCE_TEXT)
    assert words["RUS"].endswith(NOT_APPLICABLE_TEXT)
    table = issue_values(cells()).set_index("country")["words"]
    assert table["KAZ"] == "Refused <b> (+2), 2 Mar 2022" and "No evidence" in table["ARM"]


def test_hover_says_what_the_issue_asks():
    values = issue_values(cells(question=["Did it send troops to <the CSTO>?"] * 3))
    assert all("Did it send troops to &lt;the CSTO&gt;?" in h for h in values["hover"])


def test_text_from_data_is_escaped_in_hover():
    values = issue_values(cells())
    hover = values.set_index("country").at["KAZ", "hover"]
    assert "&lt;script&gt;" in hover and "Refused &lt;b&gt;" in hover
    assert "<script>" not in " ".join(values["hover"])


def test_countries_without_data_are_the_quiet_base_layer():
    fig = build_map(issue_values(cells()), GEOMETRY, POINTS, view=VIEW, title="Troops")
    geo = fig.layout.geo
    assert geo.showland and geo.landcolor == BACKGROUND_FILL and geo.showcountries
    coloured = {loc for t in fig.data if t.type == "choropleth" for loc in t.locations}
    assert "FRA" not in coloured


def test_labels_are_click_targets_naming_country_and_issue():
    fig = build_map(issue_values(cells()), GEOMETRY, POINTS, view=VIEW, title="Troops")
    (labels,) = traces(fig, SELECT)
    assert sorted(map(tuple, labels.customdata)) == [
        ("ARM", "troop_request"), ("KAZ", "troop_request"), ("RUS", "troop_request")
    ]  # fmt: skip
    assert fig.layout.clickmode == "event+select"


def test_shapes_come_from_the_given_geojson_and_the_view_frames_it():
    fig = build_map(issue_values(cells()), GEOMETRY, POINTS, view=VIEW, title="Troops")
    for trace in fig.data:
        if trace.type == "choropleth":
            assert trace.featureidkey == "id" and trace.geojson["features"]
    assert fig.layout.geo.projection.type == "conic conformal"
    assert fig.layout.geo.center.lon == 60


def test_index_colours_ranked_states_and_marks_the_rest_as_too_little_evidence():
    scores = pd.DataFrame(
        {"country": ["KAZ", "RUS"], "country_name": ["Kazakhstan", "Russia"],
         "index": [0.75, None], "n_scored": [5, 1], "n_applicable": [9, 8],
         "ranked": [True, False]}
    )  # fmt: skip
    fig = build_map(index_values(scores), GEOMETRY, POINTS, view=VIEW, title="Index", index=True)
    (index,) = traces(fig, "index")
    assert list(index.locations) == ["KAZ"] and list(index.z) == [0.75]
    assert (index.zmin, index.zmax) == (-2, 2)
    (labels,) = traces(fig, SELECT)
    words = dict(zip([c[0] for c in labels.customdata], labels.text, strict=True))
    assert words["KAZ"].endswith("+0.8") and words["RUS"].endswith(NO_EVIDENCE_TEXT)
    table = index_values(scores).set_index("country")["words"]
    assert table["KAZ"] == "index +0.75, scored on 5 of 9 applicable issues"
    assert table["RUS"].startswith("too little evidence")


def test_focus_outlines_a_state():
    fig = build_map(
        issue_values(cells()), GEOMETRY, POINTS, view=VIEW, title="Troops", focus=("KAZ",)
    )
    (positions,) = traces(fig, "positions")
    widths = dict(zip(positions.locations, positions.marker.line.width, strict=True))
    assert widths["KAZ"] > widths["RUS"]


def test_a_country_missing_from_the_geometry_is_left_out_not_an_error():
    values = issue_values(cells(country=["KAZ", "ARM", "XKX"]))
    fig = build_map(values, GEOMETRY, POINTS, view=VIEW, title="Troops")
    (positions,) = traces(fig, "positions")
    assert "XKX" not in list(positions.locations)


def test_labels_on_the_dark_ends_of_the_scale_are_white():
    values = issue_values(cells(score=[-2.0, None, None]))
    fig = build_map(values, GEOMETRY, POINTS, view=VIEW, title="Troops")
    (labels,) = traces(fig, SELECT)
    ink = dict(zip([c[0] for c in labels.customdata], labels.textfont.color, strict=True))
    assert ink["KAZ"] == "#ffffff" and ink["ARM"] == "#000000"


def test_only_the_coloured_outlines_are_sent_each_once():
    fig = build_map(issue_values(cells()), GEOMETRY, POINTS, view=VIEW, title="Troops")
    sent = [f["id"] for t in fig.data if t.type == "choropleth" for f in t.geojson["features"]]
    assert sorted(sent) == ["ARM", "KAZ", "RUS"]
