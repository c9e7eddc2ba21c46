#!/usr/bin/env python3
"""mapmatch-peer.py - the peer map matchers (OSRM match, Valhalla Meili) on the map-matching grid.

Set up first (once; idempotent): `Benchmarks/peers.sh mapmatch [PBF]` builds a CPython 3.12 venv with the PyPI
packages osrm-bindings and pyvalhalla under .peers/ and the OSRM and Valhalla data for PBF. Then run this script
with that venv's python, from the repository root:

    .peers/venv312/bin/python Benchmarks/mapmatch-peer.py accuracy --grid DIR --out DIR2 [--peer osrm|valhalla|both]
    taskset -c 1 .peers/venv312/bin/python Benchmarks/mapmatch-peer.py throughput --grid DIR [--peer ...] [--runs N]
Both take --osrm-algorithm mld|ch (default mld) and --osrm-tidy yes|no|both (default yes; both: throughput only).

Input: DIR holds grid files named `interval-{S}s-noise-{N}m.csv` with the header `trace_id,seq,t,lat,lon,accuracy`
(t in seconds, accuracy = 1-sigma GPS error in metres; empty or <= 0 means "unknown": the peer's own default is
used). Fixes are grouped by trace_id (in order of first appearance) and sorted by seq.

accuracy: for every trace of every grid file, matches the whole trace and writes
`DIR2/{peer}-interval-{S}s-noise-{N}m.jsonl`, one line per trace:
    {"trace":"s0000","coordinates":[[lon,lat],...],"parts":[0,...]}
"coordinates" is the matched route in driving order; an empty list when the peer failed on the trace. When the
peer split the trace (OSRM returns several matchings, Valhalla several trips) the parts are concatenated
in input order and "parts" lists the index in "coordinates" where each part starts, so a scorer can skip
the straight jump between two parts (or ignore the key). One summary JSON line per file goes to stdout, with the
failure count and the error messages.

throughput: on one core, prints one JSON line per result:
  - mode "whole": whole-trace matching of interval-1s-noise-0m.csv and interval-10s-noise-0m.csv, in points/s
    (input fixes matched per second);
  - mode "online": for each new fix of the same files, re-match the window of the last --window fixes (default 10;
    windows start at the second fix of a trace, since a match needs two fixes) and take the last fix's matched
    position, in fixes/s.
  Each measurement runs once untimed (warm-up: page cache, tile cache, allocator), then --runs times (default 3).
  "seconds" and "rate" use the median wall-clock run, and "runs" lists all runs; "cpu_seconds" and "cpu_rate" use
  the median of the runs' process CPU times, which other load on the machine disturbs less. Timed: building the
  request, the peer call, and reading the result into Python lists (geometry, or the last matched point). Not
  timed: reading the CSV, writing output.
  Pin the process with `taskset -c 1`; a warning is printed when more than one CPU is allowed. Rows also give
  "failures" (calls that raised, with the messages in "errors") and, in mode online, "last_unmatched" (windows
  where the peer answered but left the last fix unmatched); failed calls are still counted in the rate.

Peer options (everything not listed is left at the peer's default):
  OSRM (libosrm through osrm-bindings; the dataset built by peers.sh, MLD by default, --osrm-algorithm ch for the
  contracted one; MLD matched faster on Monaco):
    timestamps = t of each fix (rounded to whole seconds: the API takes integers)
    radiuses   = accuracy of each fix (OSRM's standard deviation of the GPS error; it searches candidates within
                 3x that); null (= OSRM's default 5 m) where accuracy is unknown
    gaps       = ignore   (do not split the trace at large time gaps; the grid has 60 s sampling)
    tidy       = true     (--osrm-tidy yes, the default here; OSRM's own default is false). tidy thins out fixes
                 that lie too close together in space or time before matching. On test grids made from the
                 Monaco synthetic traces (rough scorer, 10 m tolerance) it cut the route mismatch at 1 s sampling
                 with 20 m noise from ~0.37 to ~0.05, left 5 s and sparser sampling about unchanged, and left
                 fewer sliding windows without an answer for the last fix (6% vs 9% at 1 s). It also drops
                 most 1 s fixes, so OSRM's 1 s points/s with tidy are not "every fix matched":
                 `--osrm-tidy both` times OSRM both ways (throughput only; each row says "tidy").
    overview   = full, geometries = geojson in mode accuracy and whole (the full route geometry as coordinates);
    overview   = false in mode online (only the tracepoints are read)
  Valhalla (Meili through pyvalhalla's Actor, tiles built by peers.sh):
    costing = auto, shape_match = map_snap (always run the HMM matcher, never the exact edge walk)
    shape   = the fixes as {lat, lon, time} (time lets Meili bound the route time between two fixes)
    trace_options.gps_accuracy  = accuracy of the trace (the median over its fixes; grid files use one value),
                                  capped at 100 m (the service limit); omitted (Meili default 5 m) if unknown
    trace_options.search_radius = max(50, 3 x gps_accuracy) capped at 100 m: Meili's own default for auto (50 m)
                                  widened to 3 sigma for noisy data, as OSRM does, within the service limit
                                  (100 m); omitted if accuracy is unknown
    accuracy and whole: the trace_route action with directions_type = none (no maneuvers or narrative); the
      route shape is the concatenation of the legs' polyline6 shapes. When Meili's match is discontinuous,
      trace_route returns one trip per continuous piece, the first in "trip" and the others in "alternates"
      (they are not alternatives); the pieces are put in input order (by their locations' original_index).
    online: the trace_attributes action with filters include [matched.point, matched.type]; the last fix's
      match is the last matched point unless its type is "unmatched".

Environment: PEERS_DIR (default: .peers at the repository root) is where peers.sh put the venv and the data.
"""

import argparse
import csv
import json
import os
import re
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GRID_NAME = re.compile(r"^interval-(\d+)s-noise-(\d+)m\.csv$")
PEERS = ("osrm", "valhalla")


def log(msg):
    print(f"mapmatch-peer: {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ input ---


class Fix:
    __slots__ = ("lon", "lat", "t", "accuracy")

    def __init__(self, lon, lat, t, accuracy):
        self.lon, self.lat, self.t, self.accuracy = lon, lat, t, accuracy


def read_grid_file(path):
    """Returns [(trace_id, [Fix, ...]), ...] in order of first appearance, fixes sorted by seq."""
    traces = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            acc = row.get("accuracy") or ""
            fix = Fix(float(row["lon"]), float(row["lat"]), float(row["t"]), float(acc) if acc.strip() else 0.0)
            traces.setdefault(row["trace_id"], []).append((int(row["seq"]), fix))
    return [(tid, [fx for _, fx in sorted(rows, key=lambda r: r[0])]) for tid, rows in traces.items()]


def grid_files(grid_dir):
    """Returns [(interval_s, noise_m, path), ...] for the grid files in grid_dir, sorted."""
    found = []
    for p in Path(grid_dir).iterdir():
        m = GRID_NAME.match(p.name)
        if m:
            found.append((int(m.group(1)), int(m.group(2)), p))
    return sorted(found)


def trace_accuracy(fixes):
    """The trace's GPS accuracy (median of the known per-fix values), or None when unknown."""
    known = [f.accuracy for f in fixes if f.accuracy > 0]
    return statistics.median(known) if known else None


# ------------------------------------------------------------------ peers ---


class MatchFailed(Exception):
    pass


def join_parts(parts):
    """Concatenates polylines in order; returns (coordinates, part start indices). A part whose first point
    repeats the previous part's last point continues it (no new part index)."""
    coords, starts = [], []
    for part in parts:
        if not part:
            continue
        if coords and coords[-1] == part[0]:
            coords.extend(part[1:])
        else:
            starts.append(len(coords))
            coords.extend(part)
    return coords, starts


class OsrmPeer:
    name = "osrm"

    def __init__(self, peers_dir, algorithm="mld", tidy=False):
        import osrm

        self.osrm = osrm
        self.algorithm = algorithm.upper()
        self.tidy = tidy
        path = Path(peers_dir) / "osrm" / algorithm.lower() / "map.osrm"
        if not Path(str(path) + ".properties").exists():
            sys.exit(f"mapmatch-peer: no OSRM dataset at {path}: run Benchmarks/peers.sh mapmatch first")
        self.engine = osrm.OSRM(storage_config=str(path), algorithm=self.algorithm, use_shared_memory=False)

    def info(self):
        return {"version": metadata.version("osrm-bindings"), "algorithm": self.algorithm, "tidy": self.tidy}

    def _params(self, fixes, overview):
        return self.osrm.MatchParameters(
            coordinates=[(f.lon, f.lat) for f in fixes],
            timestamps=[int(round(f.t)) for f in fixes],
            radiuses=[f.accuracy if f.accuracy > 0 else None for f in fixes],
            gaps="ignore",
            tidy=self.tidy,
            overview=overview,
            geometries="geojson",
        )

    def match(self, fixes):
        """Whole trace -> (coordinates, part starts). Raises MatchFailed."""
        try:
            res = self.engine.Match(self._params(fixes, "full"))
        except RuntimeError as e:
            raise MatchFailed(str(e).split(" - ")[0]) from None
        matchings = res["matchings"]
        order = range(len(matchings))
        if len(matchings) > 1:
            # Sub-matchings in the order of the first fix each one holds.
            first = {}
            for i, tp in enumerate(res["tracepoints"]):
                if tp is not None:
                    first.setdefault(int(tp["matchings_index"]), i)
            order = sorted(order, key=lambda k: first.get(k, len(first)))
        return join_parts([[list(p) for p in matchings[k]["geometry"]["coordinates"]] for k in order])

    def match_last(self, fixes):
        """Window -> the last fix's matched [lon, lat], or None when OSRM dropped it. Raises MatchFailed."""
        try:
            res = self.engine.Match(self._params(fixes, "false"))
        except RuntimeError as e:
            raise MatchFailed(str(e).split(" - ")[0]) from None
        last = res["tracepoints"][len(fixes) - 1]
        return None if last is None else list(last["location"])


def decode_polyline6(s):
    """Decodes an encoded polyline with 6 decimal digits into [[lon, lat], ...]."""
    coords, lat, lon, i, n = [], 0, 0, 0, len(s)
    while i < n:
        deltas = []
        for _ in range(2):
            shift = value = 0
            while True:
                b = ord(s[i]) - 63
                i += 1
                value |= (b & 0x1F) << shift
                shift += 5
                if b < 0x20:
                    break
            deltas.append(~(value >> 1) if value & 1 else value >> 1)
        lat += deltas[0]
        lon += deltas[1]
        coords.append([round(lon * 1e-6, 6), round(lat * 1e-6, 6)])
    return coords


class ValhallaPeer:
    name = "valhalla"
    MAX_RADIUS = 100.0  # service_limits.trace.max_search_radius and max_gps_accuracy in the default config
    DEFAULT_RADIUS = 50.0  # meili.auto.search_radius in the default config

    def __init__(self, peers_dir):
        import valhalla

        self.valhalla = valhalla
        config = Path(peers_dir) / "valhalla" / "valhalla.json"
        if not config.exists():
            sys.exit(f"mapmatch-peer: no Valhalla config at {config}: run Benchmarks/peers.sh mapmatch first")
        cfg = json.loads(config.read_text())
        cfg.setdefault("logging", {})["type"] = ""  # Valhalla logs to stdout otherwise
        self.actor = valhalla.Actor(cfg)

    def info(self):
        return {"version": metadata.version("pyvalhalla")}

    def _request(self, fixes):
        req = {
            "shape": [{"lat": f.lat, "lon": f.lon, "time": f.t} for f in fixes],
            "costing": "auto",
            "shape_match": "map_snap",
        }
        acc = trace_accuracy(fixes)
        if acc is not None:
            acc = min(acc, self.MAX_RADIUS)
            req["trace_options"] = {
                "gps_accuracy": acc,
                "search_radius": min(self.MAX_RADIUS, max(self.DEFAULT_RADIUS, 3.0 * acc)),
            }
        return req

    def match(self, fixes):
        """Whole trace -> (coordinates, part starts). Raises MatchFailed."""
        req = self._request(fixes)
        req["directions_type"] = "none"
        try:
            res = json.loads(self.actor.trace_route(json.dumps(req)))
        except RuntimeError as e:  # valhalla.ValhallaError is a RuntimeError
            raise MatchFailed(str(e)) from None
        # A discontinuous match comes back as several trips: "trip" and "alternates"[i]["trip"]. Each trip's
        # locations carry the index of the input fix they stand for; order the trips by it.
        trips = [res["trip"]] + [alt["trip"] for alt in res.get("alternates", ())]
        if len(trips) > 1:
            trips.sort(key=lambda trip: min(loc.get("original_index", 0) for loc in trip["locations"]))
        return join_parts([decode_polyline6(leg["shape"]) for trip in trips for leg in trip["legs"]])

    def match_last(self, fixes):
        """Window -> the last fix's matched [lon, lat], or None when Meili left it unmatched. Raises MatchFailed."""
        req = self._request(fixes)
        req["filters"] = {"attributes": ["matched.point", "matched.type"], "action": "include"}
        try:
            res = json.loads(self.actor.trace_attributes(json.dumps(req)))
        except RuntimeError as e:
            raise MatchFailed(str(e)) from None
        last = res["matched_points"][-1]
        return None if last.get("type") == "unmatched" else [last["lon"], last["lat"]]


def make_peers(args):
    names = PEERS if args.peer == "both" else (args.peer,)
    peers = []
    for name in names:
        if name == "osrm":
            for tidy in {"yes": (True,), "no": (False,), "both": (True, False)}[args.osrm_tidy]:
                peers.append(OsrmPeer(args.peers_dir, args.osrm_algorithm, tidy))
        else:
            peers.append(ValhallaPeer(args.peers_dir))
    return peers


# --------------------------------------------------------------- accuracy ---


def run_accuracy(args):
    files = grid_files(args.grid)
    if not files:
        sys.exit(f"mapmatch-peer: no interval-*s-noise-*m.csv files in {args.grid}")
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    peers = make_peers(args)
    for peer in peers:
        print(json.dumps({"peer": peer.name, **peer.info()}), flush=True)
    for interval, noise, path in files:
        traces = read_grid_file(path)
        for peer in peers:
            failures, split, errors = 0, 0, {}
            t0 = time.perf_counter()
            out_path = out_dir / f"{peer.name}-interval-{interval}s-noise-{noise}m.jsonl"
            with open(out_path, "w") as out:
                for tid, fixes in traces:
                    coords, starts = [], []
                    try:
                        coords, starts = peer.match(fixes)
                        if not coords:
                            raise MatchFailed("empty geometry")
                    except MatchFailed as e:
                        failures += 1
                        errors[str(e)] = errors.get(str(e), 0) + 1
                        coords, starts = [], []
                    if len(starts) > 1:
                        split += 1
                    out.write(json.dumps({"trace": tid, "coordinates": coords, "parts": starts}, separators=(",", ":")))
                    out.write("\n")
            print(json.dumps({
                "peer": peer.name, "mode": "accuracy", "interval": interval, "noise": noise,
                "traces": len(traces), "points": sum(len(f) for _, f in traces), "failures": failures,
                "split_traces": split, "errors": errors, "seconds": round(time.perf_counter() - t0, 3),
                "out": str(out_path),
            }), flush=True)


# ------------------------------------------------------------- throughput ---


def pass_whole(peer, traces):
    """One pass of whole-trace matching; returns ({error: count}, 0)."""
    errors = {}
    for _, fixes in traces:
        try:
            peer.match(fixes)
        except MatchFailed as e:
            errors[str(e)] = errors.get(str(e), 0) + 1
    return errors, 0


def pass_online(peer, traces, window):
    """One pass of sliding-window matching; returns ({error: count}, windows whose last fix was left unmatched)."""
    errors, unmatched = {}, 0
    for _, fixes in traces:
        for i in range(1, len(fixes)):
            try:
                if peer.match_last(fixes[max(0, i + 1 - window): i + 1]) is None:
                    unmatched += 1
            except MatchFailed as e:
                errors[str(e)] = errors.get(str(e), 0) + 1
    return errors, unmatched


def run_throughput(args):
    cpus = len(os.sched_getaffinity(0))
    if cpus > 1:
        log(f"warning: {cpus} CPUs allowed; pin to one core with `taskset -c 1` for comparable figures")
    peers = make_peers(args)
    for peer in peers:
        print(json.dumps({"peer": peer.name, **peer.info(), "python": sys.version.split()[0], "cpus": cpus}),
              flush=True)
    for interval in args.intervals:
        path = Path(args.grid) / f"interval-{interval}s-noise-0m.csv"
        if not path.exists():
            log(f"skipping interval {interval}: no {path}")
            continue
        traces = read_grid_file(path)
        points = sum(len(f) for _, f in traces)
        for peer in peers:
            for mode in args.modes:
                if mode == "whole":
                    count, unit = points, "points/s"
                    def one_pass():
                        return pass_whole(peer, traces)
                else:
                    count, unit = sum(max(0, len(f) - 1) for _, f in traces), "fixes/s"
                    def one_pass():
                        return pass_online(peer, traces, args.window)
                log(f"{peer.name} {mode} interval {interval}s: warm-up + {args.runs} runs")
                errors, unmatched = one_pass()
                runs, cpu_runs = [], []
                for _ in range(args.runs):
                    t0, c0 = time.perf_counter(), time.process_time()
                    one_pass()
                    runs.append(time.perf_counter() - t0)
                    cpu_runs.append(time.process_time() - c0)
                secs, cpu_secs = statistics.median(runs), statistics.median(cpu_runs)
                result = {"peer": peer.name, "mode": mode, "interval": interval}
                result["points" if mode == "whole" else "fixes"] = count
                result.update({"seconds": round(secs, 4), "rate": int(count / secs), "unit": unit,
                               "runs": [round(r, 4) for r in runs], "cpu_seconds": round(cpu_secs, 4),
                               "cpu_rate": int(count / cpu_secs), "failures": sum(errors.values()),
                               "errors": errors})
                if mode == "online":
                    result.update({"window": args.window, "last_unmatched": unmatched})
                if peer.name == "osrm":
                    result.update({"algorithm": peer.algorithm, "tidy": peer.tidy})
                print(json.dumps(result), flush=True)


# ------------------------------------------------------------------- main ---


def main():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--grid", required=True, help="directory of interval-{S}s-noise-{N}m.csv files")
    common.add_argument("--peer", choices=(*PEERS, "both"), default="both")
    common.add_argument("--peers-dir", default=os.environ.get("PEERS_DIR", str(REPO / ".peers")),
                        help="where peers.sh put the data (default: $PEERS_DIR or .peers at the repository root)")
    common.add_argument("--osrm-algorithm", choices=("mld", "ch"), default="mld",
                        help="OSRM dataset to use (default mld: the faster one for matching on Monaco)")
    common.add_argument("--osrm-tidy", choices=("yes", "no", "both"), default="yes",
                        help="OSRM's tidy option (default yes); both = time OSRM with and without (throughput only)")
    ap = argparse.ArgumentParser(description="Peer map matchers (OSRM, Valhalla) on the map-matching grid.")
    sub = ap.add_subparsers(dest="command", required=True)
    acc = sub.add_parser("accuracy", parents=[common],
                         help="match every trace of every grid file, write the geometries")
    acc.add_argument("--out", required=True, help="directory for the {peer}-interval-{S}s-noise-{N}m.jsonl files")
    thr = sub.add_parser("throughput", parents=[common], help="time whole-trace and sliding-window matching")
    thr.add_argument("--runs", type=int, default=int(os.environ.get("PEER_RUNS", "3")),
                     help="timed runs per measurement, after one warm-up run (default $PEER_RUNS or 3)")
    thr.add_argument("--window", type=int, default=10, help="fixes per sliding window in mode online (default 10)")
    thr.add_argument("--intervals", type=lambda s: [int(x) for x in s.split(",")], default=[1, 10],
                     help="comma-separated sampling intervals to time (default 1,10)")
    thr.add_argument("--modes", type=lambda s: s.split(","), default=["whole", "online"],
                     help="comma-separated: whole,online (default both)")
    args = ap.parse_args()
    if args.command == "accuracy":
        if args.osrm_tidy == "both":
            ap.error("--osrm-tidy both is for throughput only")
        run_accuracy(args)
    else:
        if args.runs < 1 or args.window < 2 or not set(args.modes) <= {"whole", "online"}:
            ap.error("need --runs >= 1, --window >= 2, --modes from whole,online")
        run_throughput(args)


if __name__ == "__main__":
    main()
