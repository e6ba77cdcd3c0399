"""Build the offline country geometry of the Map page from Natural Earth (npm world-atlas).

Input: the npm package world-atlas 2.0.2 (Natural Earth 4.1.0 Admin 0 countries as TopoJSON),
unpacked into a folder. To get it (only this step needs the network):

    npm pack world-atlas@2.0.2
    mkdir -p /tmp/world-atlas-2.0.2
    tar xzf world-atlas-2.0.2.tgz -C /tmp/world-atlas-2.0.2 --strip-components=1

Then, from the repository root:

    .venv/bin/python scripts/build_geo.py /tmp/world-atlas-2.0.2

Output (same input, same bytes):

- data/geo/countries.geojson: one Feature per country, `id` = ISO3. Countries whose bounding box
  meets DETAIL_WINDOW (the former Soviet space and its neighbours) come from the 1:50m file,
  simplified; all others from the 1:110m file (or, when too small to be in it, the 1:50m one or,
  for ONLY_AT_10M, the 1:10m one, unsimplified). Coordinates rounded to DECIMALS; a polygon
  crossing the antimeridian is split in two at 180 degrees.
- static/world_110m.json, static/world_50m.json: TopoJSON base maps in the shape plotly.js fetches
  from `config.topojsonURL` (objects land, ocean, lakes, rivers, coastlines, countries, subunits),
  so the app fetches nothing from a CDN. Served by Streamlit at /app/static/.

Borders are drawn as the UN recognises them: Natural Earth features without an ISO numeric code
that the UN counts as part of a member state are merged into it (MERGE_INTO), and every point of
RECOGNISED_POINTS must fall inside its recognised state; a separate polygon drawn in the wrong
state is moved (and merged) into the right one, anything else stops the build.

Pure Python + numpy + pycountry; no other dependency.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pycountry

from core.model.geo import rings_contain

ROOT = Path(__file__).resolve().parent.parent

GEOJSON_OUT = ROOT / "data" / "geo" / "countries.geojson"
TOPOJSON_OUT = {110: ROOT / "static" / "world_110m.json", 50: ROOT / "static" / "world_50m.json"}
SOURCE_FILES = {110: "countries-110m.json", 50: "countries-50m.json", 10: "countries-10m.json"}
ONLY_AT_10M = {"TUV"}
"""UN members Natural Earth draws only at 1:10m (Tuvalu's atolls): taken from that file."""

DETAIL_WINDOW = (10.0, 25.0, 150.0, 80.0)
"""lon_min, lat_min, lon_max, lat_max: a country whose 1:50m bounding box meets this window is
drawn at 1:50m, so the map reads at Central Asian scale; elsewhere 1:110m keeps the file light."""
SIMPLIFY_DEGREES = 0.02
"""Douglas-Peucker tolerance for the 1:50m arcs (each shared arc is simplified once, so
neighbours still meet exactly)."""
MIN_RING_SQ_DEGREES = 0.002
"""1:50m islands and holes smaller than this (about 20 km2 at the equator) are dropped; a country
always keeps its largest polygon."""
DECIMALS = {10: 3, 50: 3, 110: 2}
"""Decimal places of the GeoJSON coordinates per source scale."""

MERGE_INTO = {
    "N. Cyprus": "CYP",  # UN Security Council resolution 541 (1983): part of Cyprus
    "Somaliland": "SOM",  # not recognised by the UN; part of Somalia
    "Ashmore and Cartier Is.": "AUS",  # an Australian external territory sharing code 036
}
"""Natural Earth features (by name) merged into the feature of a UN-recognised state."""
NAMED_IDS = {
    "Kosovo": "XKX",  # not a UN member; XKX is the user-assigned code the EU and World Bank use
    "Siachen Glacier": "XSG",  # disputed India/Pakistan, undetermined on UN maps: kept neutral
}
"""Features without an ISO numeric code kept as their own feature, with a user-assigned X code."""
DROP = {"Indian Ocean Ter."}
"""Features dropped: Christmas Island and Cocos (Keeling) Islands together under no single code
(outside DETAIL_WINDOW and too small for 1:110m anyway)."""

RECOGNISED_POINTS = {
    "Simferopol (Crimea)": (34.10, 44.95, "UKR"),
    "Sevastopol (Crimea)": (33.52, 44.60, "UKR"),
    "Donetsk": (37.80, 48.00, "UKR"),
    "Luhansk": (39.31, 48.57, "UKR"),
    "Sukhumi (Abkhazia)": (41.02, 43.00, "GEO"),
    "Tskhinvali (South Ossetia)": (43.96, 42.23, "GEO"),
    "Tiraspol (Transnistria)": (29.63, 46.84, "MDA"),
    "Stepanakert / Khankendi (Karabakh)": (46.75, 39.82, "AZE"),
    "Nicosia north (N. Cyprus)": (33.36, 35.20, "CYP"),
    "Hargeisa (Somaliland)": (44.06, 9.56, "SOM"),
}
"""Points and the UN-recognised state that must contain them (checked in both scales)."""

EMPTY_LAYERS = ("ocean", "lakes", "rivers", "subunits")
"""plotly.js base-map layers this build leaves empty (the app keeps them hidden)."""


def load_topology(folder: Path, scale: int) -> dict:
    """The world-atlas TopoJSON of `scale` (110 or 50)."""
    return json.loads((folder / SOURCE_FILES[scale]).read_text(encoding="utf-8"))


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Absolute quantized positions of every arc (delta-decoded, as int64 arrays of (x, y))."""
    return [np.cumsum(np.asarray(arc, dtype=np.int64), axis=0) for arc in topology["arcs"]]


def to_degrees(topology: dict, points: np.ndarray) -> np.ndarray:
    """Quantized positions to (lon, lat) with the topology's transform."""
    scale = np.asarray(topology["transform"]["scale"], dtype=float)
    translate = np.asarray(topology["transform"]["translate"], dtype=float)
    return points * scale + translate


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Indices of `points` kept by Douglas-Peucker; ends always kept. A closed arc is split at its
    point farthest from the start, so it keeps at least a triangle."""
    n = len(points)
    if n <= 2:
        return np.arange(n)
    if np.array_equal(points[0], points[-1]):
        far = int(np.argmax(np.hypot(*(points - points[0]).T)))
        if far == 0:
            return np.array([0, n - 1])
        head = douglas_peucker(points[: far + 1], tolerance)
        tail = douglas_peucker(points[far:], tolerance) + far
        return np.concatenate([head, tail[1:]])
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = points[first], points[last]
        seg = points[first + 1 : last]
        d = b - a
        norm = np.hypot(*d)
        if norm == 0:
            dist = np.hypot(*(seg - a).T)
        else:
            dist = np.abs(d[0] * (seg[:, 1] - a[1]) - d[1] * (seg[:, 0] - a[0])) / norm
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            mid = first + 1 + i
            keep[mid] = True
            stack += [(first, mid), (mid, last)]
    return np.flatnonzero(keep)


def simplify_arcs(topology: dict, arcs: list[np.ndarray], tolerance: float) -> list[np.ndarray]:
    """Every arc simplified with Douglas-Peucker in degrees (kept points are original ones)."""
    return [arc[douglas_peucker(to_degrees(topology, arc), tolerance)] for arc in arcs]


def arc_points(arcs: list[np.ndarray], index: int) -> np.ndarray:
    """An arc by TopoJSON index: a negative index ~i is arc i reversed."""
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring_points(arcs: list[np.ndarray], ring: list[int]) -> np.ndarray:
    """The positions of a ring made of arcs (each arc's first point repeats the previous last)."""
    parts = [arc_points(arcs, i) for i in ring]
    return np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])


def geometry_polygons(geometry: dict) -> list[list[list[int]]]:
    """A TopoJSON Polygon or MultiPolygon as a list of polygons of arc-index rings."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def signed_area(points: np.ndarray) -> float:
    """Shoelace area (positive = counter-clockwise in x/y)."""
    x, y = points[:, 0].astype(float), points[:, 1].astype(float)
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def merge_polygons(polys: list[list[list[int]]], arcs: list[np.ndarray]) -> list[list[list[int]]]:
    """The union of polygons that share borders, by arcs: an arc used by two of the rings is
    internal and removed, the others are stitched back into rings (like topojson.merge).
    Exteriors keep their orientation; holes are given to the exterior that contains them."""
    uses = defaultdict(int)
    for poly in polys:
        for ring in poly:
            for i in ring:
                uses[i if i >= 0 else ~i] += 1
    kept = [i for poly in polys for ring in poly for i in ring if uses[i if i >= 0 else ~i] == 1]
    by_start = defaultdict(list)
    for i in kept:
        by_start[tuple(arc_points(arcs, i)[0])].append(i)
    rings, used = [], set()
    for i in kept:
        if i in used:
            continue
        ring, current = [], i
        while current is not None and current not in used:
            used.add(current)
            ring.append(current)
            end = tuple(arc_points(arcs, current)[-1])
            current = next((j for j in by_start[end] if j not in used), None)
        rings.append(ring)
    exterior_sign = np.sign(signed_area(ring_points(arcs, polys[0][0])))
    outers = [r for r in rings if np.sign(signed_area(ring_points(arcs, r))) == exterior_sign]
    holes = [r for r in rings if np.sign(signed_area(ring_points(arcs, r))) != exterior_sign]
    merged = [[r] for r in outers]
    for hole in holes:
        x, y = ring_points(arcs, hole)[0]
        home = next(
            (p for p in merged if rings_contain([ring_points(arcs, p[0])], x, y)[0]), merged[0]
        )
        home.append(hole)
    return merged


def country_table(topology: dict, only: set[str] | None = None) -> dict[str, dict]:
    """ISO3 (or NAMED_IDS code) -> {"name", "polygons"} of arc-index polygons, after MERGE_INTO
    and DROP (merges are only noted here; see `place_recognised`). With `only`, just those
    ISO3 codes and nothing else is looked at."""
    table: dict[str, dict] = {}
    merges = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        if only is not None:
            country = pycountry.countries.get(numeric=geometry.get("id") or "")
            if country and country.alpha_3 in only:
                table[country.alpha_3] = {"name": name, "polygons": geometry_polygons(geometry)}
            continue
        if name in DROP or not geometry_polygons(geometry):
            continue
        if name in MERGE_INTO:
            merges.append((MERGE_INTO[name], geometry_polygons(geometry)))
            continue
        if name in NAMED_IDS:
            code = NAMED_IDS[name]
        else:
            country = pycountry.countries.get(numeric=geometry.get("id") or "")
            if country is None:
                raise SystemExit(f"{name!r} has no ISO numeric code: add it to NAMED_IDS/DROP")
            code = country.alpha_3
        if code in table:
            raise SystemExit(f"two features for {code}: {table[code]['name']!r} and {name!r}")
        table[code] = {"name": name, "polygons": list(geometry_polygons(geometry))}
    for code, polys in merges:
        if code in table:
            table[code]["merge"] = polys
    return table


def merge_into(table: dict[str, dict], code: str, polys: list, arcs: list[np.ndarray]) -> None:
    """Add `polys` to country `code`, dissolving the borders they share with it."""
    own = table[code]["polygons"]
    theirs = {i if i >= 0 else ~i for p in polys for r in p for i in r}
    touching = [p for p in own if any((i if i >= 0 else ~i) in theirs for r in p for i in r)]
    rest = [p for p in own if p not in touching]
    table[code]["polygons"] = rest + merge_polygons(touching + polys, arcs)


def place_recognised(topology: dict, table: dict[str, dict], arcs: list[np.ndarray]) -> list[str]:
    """Apply MERGE_INTO, then make every RECOGNISED_POINTS point fall inside its state: a polygon of
    another country holding it is moved into the recognised state. Returns what was moved."""
    for code, entry in table.items():
        if "merge" in entry:
            merge_into(table, code, entry.pop("merge"), arcs)
    moved = []
    for place, (lon, lat, state) in RECOGNISED_POINTS.items():
        holder = None
        for code, entry in table.items():
            for poly in entry["polygons"]:
                rings = [to_degrees(topology, ring_points(arcs, r)) for r in poly]
                if rings_contain(rings, lon, lat)[0]:
                    holder = (code, poly)
        if holder is None:
            raise SystemExit(f"{place} ({lon}, {lat}) is in no country")
        code, poly = holder
        if code == state:
            continue
        if len(table[code]["polygons"]) == 1:
            raise SystemExit(f"{place} is inside the whole of {code}: it would need clipping")
        table[code]["polygons"].remove(poly)
        merge_into(table, state, [poly], arcs)
        moved.append(f"{place}: polygon moved from {code} to {state}")
    return moved


def clip_half(ring: np.ndarray, west: bool) -> np.ndarray:
    """Sutherland-Hodgman clip of an unwrapped ring (longitudes in [0, 360)) to x <= 180 (west of
    the antimeridian, `west`) or x >= 180."""
    inside = (ring[:, 0] <= 180.0) if west else (ring[:, 0] >= 180.0)
    out = []
    for k in range(len(ring) - 1):
        p, q = ring[k], ring[k + 1]
        if inside[k] != inside[k + 1]:
            t = (180.0 - p[0]) / (q[0] - p[0])
            out.append([180.0, p[1] + t * (q[1] - p[1])])
        if inside[k + 1]:
            out.append(list(q))
    if not out:
        return np.zeros((0, 2))
    pts = np.asarray([*out, out[0]])
    return pts if west else pts - [360.0, 0.0]


def split_antimeridian(rings: list[np.ndarray]) -> list[list[np.ndarray]]:
    """A polygon whose exterior crosses the antimeridian twice (an edge jumping more than 180
    degrees of longitude: Russia's Chukotka, Wrangel Island, Fiji) as two polygons, one each side,
    so planar tools (point-in-polygon, areas) see them right. Other polygons, and Antarctica's
    ring round the pole (one jump), are returned unchanged."""
    x = rings[0][:, 0]
    jumps = int((np.abs(np.diff(x)) > 180.0).sum())
    if jumps != 2:
        if jumps > 2:
            raise SystemExit(f"a ring crosses the antimeridian {jumps} times: split it by hand")
        return [rings]
    halves: list[list[np.ndarray]] = [[], []]
    for ring in rings:
        unwrapped = ring.copy()
        unwrapped[unwrapped[:, 0] < 0, 0] += 360.0
        for side, west in enumerate((True, False)):
            part = clip_half(unwrapped, west)
            if len(part) >= 4:
                halves[side].append(part)
    return [h for h in halves if h]


def polygon_coordinates(
    topology: dict, arcs: list[np.ndarray], poly: list[list[int]], decimals: int, min_area: float
) -> list[list]:
    """A polygon as GeoJSON coordinates (a list of polygons: two if it crosses the antimeridian),
    rounded; rings that collapse or are smaller than `min_area` are dropped."""
    rings = [to_degrees(topology, ring_points(arcs, ring)) for ring in poly]
    return [
        p
        for part in split_antimeridian(rings)
        if (p := rounded_polygon(part, decimals, min_area)) is not None
    ]


def rounded_polygon(rings: list[np.ndarray], decimals: int, min_area: float) -> list | None:
    """Rings rounded to `decimals`, repeated points removed; rings that collapse or are smaller
    than `min_area` are dropped (None when the exterior is)."""
    out = []
    for ring in rings:
        pts = np.round(ring, decimals) + 0.0
        pts = np.clip(pts, [-180.0, -90.0], [180.0, 90.0])
        keep = np.ones(len(pts), dtype=bool)
        keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)
        pts = pts[keep]
        if len(pts) < 4 or abs(signed_area(pts)) <= min_area:
            if not out:
                return None
            continue
        out.append([[float(x), float(y)] for x, y in pts])
    return out


def bbox(topology: dict, arcs: list[np.ndarray], polys: list) -> tuple[float, ...]:
    """lon_min, lat_min, lon_max, lat_max of polygons."""
    pts = np.concatenate([to_degrees(topology, ring_points(arcs, p[0])) for p in polys])
    return (*pts.min(axis=0), *pts.max(axis=0))


def meets_window(box: tuple[float, ...]) -> bool:
    """Whether a bounding box intersects DETAIL_WINDOW."""
    w = DETAIL_WINDOW
    return box[0] <= w[2] and box[2] >= w[0] and box[1] <= w[3] and box[3] >= w[1]


def feature(
    code: str, entry: dict, topology: dict, arcs: list[np.ndarray], decimals: int, min_area: float
) -> dict | None:
    """A GeoJSON Feature for one country (None if every polygon collapsed)."""
    polys = [
        part
        for poly in entry["polygons"]
        for part in polygon_coordinates(topology, arcs, poly, decimals, min_area)
    ]
    if not polys:
        return None
    geometry = (
        {"type": "Polygon", "coordinates": polys[0]}
        if len(polys) == 1
        else {"type": "MultiPolygon", "coordinates": polys}
    )
    return {
        "type": "Feature",
        "id": code,
        "properties": {"name": entry["name"], "iso3": code},
        "geometry": geometry,
    }


def build_scale(folder: Path, scale: int) -> dict:
    """Everything derived from one source file: topology, raw and simplified arcs, the table."""
    topology = load_topology(folder, scale)
    arcs = decode_arcs(topology)
    if scale == 10:
        table = country_table(topology, only=ONLY_AT_10M)
        return {"topology": topology, "arcs": arcs, "simple": arcs, "table": table, "moved": []}
    table = country_table(topology)
    moved = place_recognised(topology, table, arcs)
    simple = simplify_arcs(topology, arcs, SIMPLIFY_DEGREES) if scale == 50 else arcs
    return {"topology": topology, "arcs": arcs, "simple": simple, "table": table, "moved": moved}


def pick_scale(parts: dict[int, dict], code: str) -> tuple[int, bool]:
    """The source scale of a country and whether to simplify it: 1:50m, simplified, if its 1:50m
    bounding box meets DETAIL_WINDOW; else 1:110m; else (too small for 1:110m) 1:50m or 1:10m
    as they are."""
    fifty = parts[50]
    if code in fifty["table"]:
        box = bbox(fifty["topology"], fifty["arcs"], fifty["table"][code]["polygons"])
        if meets_window(box):
            return 50, True
    if code in parts[110]["table"]:
        return 110, False
    return (50 if code in fifty["table"] else 10), False


def build_geojson(parts: dict[int, dict]) -> tuple[list[dict], dict[str, int]]:
    """The features of countries.geojson and the scale each country was taken from."""
    features, scales = [], {}
    for code in sorted(set().union(*(part["table"] for part in parts.values()))):
        scale, simplify = pick_scale(parts, code)
        part = parts[scale]
        entry = part["table"][code]
        arcs = part["simple"] if simplify else part["arcs"]
        min_area = MIN_RING_SQ_DEGREES if simplify else 0.0
        made = feature(code, entry, part["topology"], arcs, DECIMALS[scale], min_area)
        if made is None:  # simplified away: keep the largest polygon, unsimplified
            largest = max(
                entry["polygons"],
                key=lambda p: abs(signed_area(ring_points(part["arcs"], p[0]))),
            )
            one = {"name": entry["name"], "polygons": [largest]}
            made = feature(code, one, part["topology"], part["arcs"], DECIMALS[scale], 0.0)
        if made is None:
            raise SystemExit(f"{code}: no polygon left")
        features.append(made)
        scales[code] = scale
    return features, scales


def encode_arc(points: np.ndarray) -> list[list[int]]:
    """Absolute quantized positions back to TopoJSON deltas."""
    deltas = np.diff(points, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return deltas.tolist()


def build_topojson(part: dict) -> dict:
    """A plotly.js base-map topology: countries (id ISO3), land, coastlines (the land's rings as a
    MultiLineString) and empty EMPTY_LAYERS, keeping only the arcs in use (renumbered)."""
    table, topology = part["table"], part["topology"]
    land = geometry_polygons(topology["objects"]["land"]["geometries"][0])
    objects = {
        "countries": [
            (code, table[code]["name"], table[code]["polygons"]) for code in sorted(table)
        ],
        "land": land,
    }
    renumber: dict[int, int] = {}

    def arc_id(i: int) -> int:
        base = i if i >= 0 else ~i
        if base not in renumber:
            renumber[base] = len(renumber)
        return renumber[base] if i >= 0 else ~renumber[base]

    def polys_arcs(polys: list) -> list:
        return [[[arc_id(i) for i in ring] for ring in poly] for poly in polys]

    countries = [
        {"type": "MultiPolygon", "id": code, "properties": {"name": name}, "arcs": polys_arcs(p)}
        for code, name, p in objects["countries"]
    ]
    land_arcs = polys_arcs(land)
    layers = {
        "countries": {"type": "GeometryCollection", "geometries": countries},
        "land": {
            "type": "GeometryCollection",
            "geometries": [{"type": "MultiPolygon", "arcs": land_arcs}],
        },
        "coastlines": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "MultiLineString", "arcs": [ring for poly in land_arcs for ring in poly]}
            ],
        },
    }
    layers.update({name: {"type": "GeometryCollection", "geometries": []} for name in EMPTY_LAYERS})
    order = sorted(renumber, key=renumber.get)
    return {
        "type": "Topology",
        "transform": topology["transform"],
        "objects": {name: layers[name] for name in sorted(layers)},
        "arcs": [encode_arc(part["simple"][i]) for i in order],
    }


def write_geojson(features: list[dict], path: Path) -> None:
    """A FeatureCollection, one feature per line (readable diffs), compact otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def write_topojson(topology: dict, path: Path) -> None:
    """Compact JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(topology, separators=(",", ":"), ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def build(folder: Path, geojson_out: Path = GEOJSON_OUT, topojson_out: dict | None = None) -> dict:
    """Build every output from the unpacked package `folder`; returns a summary."""
    topojson_out = topojson_out or TOPOJSON_OUT
    parts = {scale: build_scale(folder, scale) for scale in (110, 50, 10)}
    features, scales = build_geojson(parts)
    write_geojson(features, geojson_out)
    for scale, path in topojson_out.items():  # 110 and 50 only: plotly.js has no 1:10m map
        write_topojson(build_topojson(parts[scale]), path)
    return {
        "features": len(features),
        "at_50m": sorted(c for c, s in scales.items() if s == 50),
        "at_10m": sorted(c for c, s in scales.items() if s == 10),
        "moved": {scale: part["moved"] for scale, part in parts.items() if scale != 10},
        "sizes": {
            str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p): p.stat().st_size
            for p in [geojson_out, *topojson_out.values()]
        },
    }


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    summary = build(Path(sys.argv[1]))
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
