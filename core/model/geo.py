"""Country geometry of the Map page: the bundled GeoJSON, label points and zoom presets.

Pure (no Streamlit): `scripts/build_geo.py` builds `data/geo/countries.geojson` from Natural Earth
and also uses the point-in-polygon helpers here, so the build and the tests agree on "inside".
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd

from core.settings import BUNDLED_DATA_DIR

GEOMETRY_PATH = BUNDLED_DATA_DIR / "geo" / "countries.geojson"
"""One Feature per country, `id` = ISO3; see "Map geometry" in data/README.md."""

LABEL_GRID = 24
"""Candidate points per side of the grid searched for a label point."""
LABEL_PASSES = 3
"""Grid searches for a label point, each on a finer grid around the previous best point."""
CENTROID_DEPTH_SHARE = 0.5
"""The centroid is the label point if it is inside and at least this share as far from the border
as the deepest grid point; otherwise the deepest grid point is."""
LABEL_WINDOWS = {"RUS": (30.0, 50.0, 75.0, 66.0)}
"""Where to look for a label point (lon_min, lat_min, lon_max, lat_max) when the whole country
would put it off the maps that matter: Russia's label sits in European Russia / western Siberia,
in view on the "Former Soviet space" preset, rather than in central Siberia."""


REGION_BOXES = {
    "Former Soviet space": ((20.0, 100.0), (33.0, 66.0)),
    "Central Asia": ((46.0, 88.0), (34.0, 56.0)),
    "South Caucasus": ((39.0, 51.5), (38.0, 44.0)),
    "Eastern Europe": ((20.0, 44.0), (43.0, 58.0)),
}
"""Longitude and latitude ranges of the regional zoom presets (the map is clipped to and fitted on
them): "Former Soviet space" runs from Moldova to Kyrgyzstan with Russia's east cut."""


def _conic(lon: tuple[float, float], lat: tuple[float, float]) -> dict:
    """A Lambert conformal conic view of a lon/lat box: centred on it, standard parallels at a
    sixth and five sixths of its height, the box's ranges clipping and fitting the map."""
    mid_lon, mid_lat = (lon[0] + lon[1]) / 2, (lat[0] + lat[1]) / 2
    sixth = (lat[1] - lat[0]) / 6
    return {
        "center": {"lon": mid_lon, "lat": mid_lat},
        "projection": {
            "type": "conic conformal",
            "rotation": {"lon": mid_lon, "lat": 0.0, "roll": 0.0},
            "parallels": [round(lat[0] + sixth, 2), round(lat[1] - sixth, 2)],
            "scale": 1.0,
        },
        "lonaxis": {"range": list(lon)},
        "lataxis": {"range": list(lat)},
    }


REGIONS = {name: _conic(*box) for name, box in REGION_BOXES.items()} | {
    "World": {
        "center": {"lon": 0.0, "lat": 0.0},
        "projection": {
            "type": "natural earth",
            "rotation": {"lon": 0.0, "lat": 0.0, "roll": 0.0},
            "scale": 1.0,
        },
        "lonaxis": {"range": [-180.0, 180.0]},
        "lataxis": {"range": [-90.0, 90.0]},
    }
}
"""Zoom presets, plain data for `fig.update_geos(**REGIONS[name])` (Plotly `layout.geo`). Each
sets center, projection (type, rotation, scale) and both axis ranges, so applying one preset after
another leaves nothing of the first behind."""
DEFAULT_REGION = "Former Soviet space"


@cache
def load_geometry() -> dict:
    """The bundled FeatureCollection (read once; do not mutate the returned dict)."""
    return json.loads(GEOMETRY_PATH.read_text(encoding="utf-8"))


def polygons(geometry: dict) -> list[list[list[list[float]]]]:
    """The polygons of a Polygon or MultiPolygon geometry, each a list of rings."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"not a polygon geometry: {geometry['type']}")


def rings_contain(rings: list, lon: np.ndarray | float, lat: np.ndarray | float) -> np.ndarray:
    """Whether each point (lon, lat) is inside the polygon made of `rings` (even-odd rule, so holes
    are outside). Rings are lists of [lon, lat] in degrees, closed or not."""
    x = np.atleast_1d(np.asarray(lon, dtype=float))
    y = np.atleast_1d(np.asarray(lat, dtype=float))
    inside = np.zeros(x.shape, dtype=bool)
    for ring in rings:
        pts = np.asarray(ring, dtype=float)
        x1, y1 = pts[:, 0], pts[:, 1]
        x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
        crosses = (y1[None, :] > y[:, None]) != (y2[None, :] > y[:, None])
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x1 + (y[:, None] - y1) * (x2 - x1) / (y2 - y1)
        inside ^= (crosses & (x[:, None] < x_at)).sum(axis=1) % 2 == 1
    return inside


def feature_contains(feature: dict, lon: float, lat: float) -> bool:
    """Whether the point (lon, lat) is inside any polygon of `feature`."""
    return any(bool(rings_contain(p, lon, lat)[0]) for p in polygons(feature["geometry"]))


def ring_area(ring: list) -> float:
    """Signed planar area of a ring in square degrees (shoelace formula)."""
    pts = np.asarray(ring, dtype=float)
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _border_distance(rings: list, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Distance in degrees (longitude shrunk by cos(latitude)) from each point to the nearest
    edge."""
    best = np.full(lon.shape, np.inf)
    shrink = np.cos(np.radians(np.clip(lat, -89.0, 89.0)))[:, None]
    for ring in rings:
        pts = np.asarray(ring, dtype=float)
        ax, ay = pts[:-1, 0][None, :], pts[:-1, 1][None, :]
        bx, by = pts[1:, 0][None, :], pts[1:, 1][None, :]
        px, py = lon[:, None], lat[:, None]
        dx, dy = (bx - ax) * shrink, by - ay
        qx, qy = (px - ax) * shrink, py - ay
        length2 = dx * dx + dy * dy
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(np.where(length2 > 0, (qx * dx + qy * dy) / length2, 0.0), 0.0, 1.0)
        dist = np.hypot(qx - t * dx, qy - t * dy).min(axis=1)
        best = np.minimum(best, dist)
    return best


def _deepest_point(rings: list, box: tuple[float, float, float, float]) -> tuple[float, float]:
    """The grid point inside `rings` and `box` farthest from the border (a coarse grid, then finer
    ones around the best point so far): a pole-of-inaccessibility-ish interior point."""
    lon_min, lat_min, lon_max, lat_max = box
    best = None
    for _ in range(LABEL_PASSES):
        xs = np.linspace(lon_min, lon_max, LABEL_GRID)
        ys = np.linspace(lat_min, lat_max, LABEL_GRID)
        gx, gy = (a.ravel() for a in np.meshgrid(xs, ys))
        inside = rings_contain(rings, gx, gy)
        if not inside.any():
            break
        gx, gy = gx[inside], gy[inside]
        depth = _border_distance(rings, gx, gy)
        i = int(np.argmax(depth))
        best = (float(gx[i]), float(gy[i]), float(depth[i]))
        step_x = (lon_max - lon_min) / (LABEL_GRID - 1)
        step_y = (lat_max - lat_min) / (LABEL_GRID - 1)
        lon_min, lon_max = best[0] - step_x, best[0] + step_x
        lat_min, lat_max = best[1] - step_y, best[1] + step_y
    if best is None:  # a sliver thinner than the grid: fall back to a vertex
        return float(rings[0][0][0]), float(rings[0][0][1])
    return best[0], best[1]


def label_point(feature: dict) -> tuple[float, float]:
    """A point inside the feature's largest polygon for a text label or a click target: its
    centroid when that is well inside, else the deepest point of a grid search."""
    rings = max(polygons(feature["geometry"]), key=lambda p: abs(ring_area(p[0])))
    pts = np.asarray(rings[0], dtype=float)
    box = (pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max())
    window = LABEL_WINDOWS.get(feature["id"])
    if window:
        box = (max(box[0], window[0]), max(box[1], window[1]))
        box += (min(pts[:, 0].max(), window[2]), min(pts[:, 1].max(), window[3]))
    deep = _deepest_point(rings, box)
    if window:
        return deep
    x, y = pts[:-1, 0], pts[:-1, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area = cross.sum() / 2
    if area == 0:
        return deep
    cx = float(((x + np.roll(x, -1)) * cross).sum() / (6 * area))
    cy = float(((y + np.roll(y, -1)) * cross).sum() / (6 * area))
    if not rings_contain(rings, cx, cy)[0]:
        return deep
    depths = _border_distance(rings, np.array([cx, deep[0]]), np.array([cy, deep[1]]))
    return (cx, cy) if depths[0] >= CENTROID_DEPTH_SHARE * depths[1] else deep


@cache
def _label_table() -> pd.DataFrame:
    rows = []
    for feature in load_geometry()["features"]:
        lon, lat = label_point(feature)
        rows.append({"iso3": feature["id"], "lon": round(lon, 3), "lat": round(lat, 3)})
    return pd.DataFrame(rows, columns=["iso3", "lon", "lat"])


def label_points() -> pd.DataFrame:
    """One row per country of the geometry: iso3, lon, lat of its label point (a copy)."""
    return _label_table().copy()
