#!/usr/bin/env python3
# geofence-peer.py - the shapely 2 (GEOS) peer of `fixstream-bench geofence.check`.
#
# Run from the repository root:
#   swift run -c release fixstream-bench --write-inputs /tmp/bench     # also writes the geofence inputs
#   python3 Benchmarks/geofence-peer.py /tmp/bench                     # then this
#
# Reads DIR/geofence-fences.geojson (the same 10,000 polygons) and DIR/geofence-points.csv (lon,lat per line,
# the same ~1 M points), builds a shapely STRtree over the polygons (not timed, like the Swift index build),
# then times the vectorized "which fences contain each point" query on one core:
#   points = shapely.points(coords)                       (timed: the Swift side starts from raw coordinates)
#   tree.query(points, predicate="intersects")             (bulk STRtree query, GEOS prepared predicates)
# and prints one JSON line:
#   {"name":"peer.shapely","unit":"points/s","value":...,"containments":...,"shapely":"<version>",...}
# "containments" counts (point, polygon) pairs with the point inside or on the boundary; "within" counts the
# strictly-inside pairs (predicate="within"), which is what the Swift side counts (signedDistance < 0).
# Installs shapely 2 with pip if it is missing (falls back to --break-system-packages where pip refuses to
# touch a system Python). Environment: PEER_RUNS (default 5; the median is reported).
import json
import os
import statistics
import subprocess
import sys
import time


def ensure_shapely():
    try:
        import shapely  # noqa: F401

        if int(shapely.__version__.split(".")[0]) >= 2:
            return
    except ImportError:
        pass
    base = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "shapely>=2"]
    print("geofence-peer: installing shapely 2 (pip)", file=sys.stderr)
    if subprocess.run(base, stdout=sys.stderr, stderr=sys.stderr).returncode != 0:
        subprocess.run(base + ["--break-system-packages"], check=True, stdout=sys.stderr, stderr=sys.stderr)


def main():
    if len(sys.argv) != 2:
        print("usage: geofence-peer.py DIR (written by fixstream-bench --write-inputs DIR)", file=sys.stderr)
        sys.exit(2)
    directory = sys.argv[1]
    ensure_shapely()
    import numpy as np
    import shapely

    with open(os.path.join(directory, "geofence-fences.geojson"), "rb") as f:
        document = json.load(f)
    polygons = []
    for feature in document["features"]:
        rings = feature["geometry"]["coordinates"]
        polygons.append(shapely.Polygon(rings[0], rings[1:]))
    geometries = np.array(polygons, dtype=object)
    coords = np.loadtxt(os.path.join(directory, "geofence-points.csv"), delimiter=",", dtype=np.float64)

    tree = shapely.STRtree(geometries)
    runs = int(os.environ.get("PEER_RUNS", "5"))
    times = []
    containments = 0
    tree.query(shapely.points(coords[:1000]), predicate="intersects")  # warm-up
    for _ in range(runs):
        start = time.perf_counter()
        points = shapely.points(coords)
        pairs = tree.query(points, predicate="intersects")
        times.append(time.perf_counter() - start)
        containments = pairs.shape[1]
    seconds = statistics.median(times)
    within = tree.query(shapely.points(coords), predicate="within").shape[1]
    print(
        json.dumps(
            {
                "name": "peer.shapely",
                "unit": "points/s",
                "value": round(len(coords) / seconds),
                "containments": int(containments),
                "within": int(within),
                "points": len(coords),
                "fences": len(polygons),
                "median_s": round(seconds, 4),
                "runs": [round(t, 4) for t in times],
                "shapely": shapely.__version__,
                "geos": shapely.geos_version_string,
                "query": 'STRtree.query(points, predicate="intersects")',
            }
        )
    )


if __name__ == "__main__":
    main()
