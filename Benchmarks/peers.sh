#!/usr/bin/env bash
# peers.sh - side-by-side throughput of peer NMEA (and JSON) decoders.
#
# Usage: Benchmarks/peers.sh NMEA_FILE [JSON_FILE]
#
# Installs what is missing (idempotent, quiet):
#   - Debian package gpsd-clients (gpsdecode) via apt-get (sudo only if not root)
#   - PyPI pynmea2 (and orjson, if JSON_FILE is given) via pip
# then times, on the same input file:
#   - peer.gpsdecode : `gpsdecode -j < NMEA_FILE > /dev/null` (gpsd's own decoder,
#                      NMEA text on stdin -> JSON TPV/SKY reports on stdout)
#   - peer.pynmea2   : pynmea2.parse(line, check=True) on each line starting with `$`
#   - peer.json      : json.loads per line of JSON_FILE    (only if JSON_FILE given)
#   - peer.orjson    : orjson.loads per line of JSON_FILE  (only if JSON_FILE given)
#
# Output (stdout): one JSON line per tool version and one per result, e.g.
#   {"name":"peer.version","tool":"gpsdecode","version":"3.22"}
#   {"name":"peer.gpsdecode","unit":"sentences/s","value":123,"seconds":1.23,
#    "bytes":...,"sentences":...,"mb_per_s":...,"runs":[...],...}
# Progress and install chatter go to stderr.
#
# Timing: wall clock, each peer run PEERS_RUNS times (default 3), median reported
# (all runs are listed in "runs"). gpsdecode is timed as a whole process; the
# Python peers are timed inside the interpreter around open+read+parse (startup and
# imports excluded). MB = 10^6 bytes.
#
# Environment:
#   PEERS_RUNS         runs per peer (default 3)
#   PYNMEA2_MAX_BYTES  time pynmea2 only on the first N bytes of NMEA_FILE (cut at a
#                      line boundary); 0 = whole file (default: 0, since pynmea2 runs
#                      at about 0.2M sentences/s, i.e. ~4 s for 55 MB). When a cap
#                      applies, "bytes"/"sentences" are what was actually used and
#                      "capped":true is set.
#   PYTHON             python interpreter (default python3)
#
# Map-matching peers (a separate sub-command; see the "mapmatch" section below):
#   Benchmarks/peers.sh mapmatch [PBF]
# installs osrm-bindings and pyvalhalla into a CPython 3.12 venv and builds their data from PBF, for
# Benchmarks/mapmatch-peer.py. Prints where things are; times nothing itself.
set -euo pipefail
export LC_ALL=C   # '.' decimal separator in $EPOCHREALTIME and awk, byte-wise grep

log() { echo "peers.sh: $*" >&2; }

# Run a command quietly; show its output only if it fails.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then echo "$out" >&2; return 1; fi
}

# --------------------------------------------------------------- mapmatch ---
# `peers.sh mapmatch [PBF]`: set up the peer map matchers for Benchmarks/mapmatch-peer.py, then exit.
# (This section sits before the NMEA argument check because bash runs the file top to bottom.)
#
# PBF (default $MAPMATCH_PBF, else /work/shared/data/osm/monaco.osm.pbf) must be an OSM PBF: the repo's
# road-only OSM XML is not enough for the peers (no relations, so no turn restrictions), and Valhalla's
# tile builder reads PBF only.
#
# Creates, under $PEERS_DIR (default .peers at the repository root, git-ignored):
#   venv312/            CPython 3.12 venv with PyPI osrm-bindings and pyvalhalla (pinned below; both ship
#                       abi3 wheels for CPython >= 3.12 only, which is why 3.12)
#   osrm/mld/map.osrm*  OSRM car profile (the profile shipped in the wheel): osrm-extract, osrm-partition,
#                       osrm-customize (multi-level Dijkstra; the default for mapmatch-peer.py, since it
#                       matched faster than CH on Monaco, one core, tidy off: about 60k vs 43k points/s
#                       on whole traces at 1 s, 35k vs 24k at 10 s)
#   osrm/ch/map.osrm*   the same extract, osrm-contract (contraction hierarchies), for --osrm-algorithm ch
#   valhalla/           valhalla.json (the default config, no admin or timezone db), tiles/ and tiles.tar
#                       from valhalla_build_tiles and valhalla_build_extract
#   source.md5          md5 of the PBF the data was built from: a different PBF rebuilds everything
# Idempotent: an existing venv with both packages at the pinned versions and data built from the same
# PBF are kept. Building Monaco takes a few seconds; the wheels are about 300 MB installed.
#
# Environment: MAPMATCH_PBF, PEERS_DIR, PYTHON312 (a CPython 3.12 interpreter; default: python3.12 on
# PATH, else the newest 3.12 under pyenv's versions directory), OSRM_BINDINGS_VERSION (26.10.0),
# PYVALHALLA_VERSION (3.9.1).

is_python312() { [[ -n $1 ]] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; }

# A CPython 3.12 interpreter that runs (a pyenv shim on PATH may point at an inactive version).
find_python312() {
  local candidate root
  root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
  for candidate in "${PYTHON312:-}" "$(command -v python3.12 || true)" \
      $(ls -d "$root"/versions/3.12.*/bin/python3.12 2>/dev/null | sort -rV || true); do
    is_python312 "$candidate" && { echo "$candidate"; return 0; }
  done
  return 1
}

mapmatch_setup() {
  local pbf=${1:-${MAPMATCH_PBF:-/work/shared/data/osm/monaco.osm.pbf}}
  local here peers venv py osrm_v valhalla_v sum bin pkg
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  peers=${PEERS_DIR:-$here/.peers}
  venv=$peers/venv312
  osrm_v=${OSRM_BINDINGS_VERSION:-26.10.0}
  valhalla_v=${PYVALHALLA_VERSION:-3.9.1}
  [[ -r $pbf ]] || { log "cannot read $pbf"; exit 2; }
  case $pbf in *.pbf) ;; *) log "$pbf: need an OSM PBF (.osm.pbf), not XML"; exit 2 ;; esac
  pbf=$(cd "$(dirname "$pbf")" && pwd)/$(basename "$pbf")
  mkdir -p "$peers"

  # venv: CPython 3.12 + the two packages at the pinned versions.
  if ! is_python312 "$venv/bin/python"; then
    py=$(find_python312) || { log "no CPython 3.12 found (set PYTHON312, or: pyenv install 3.12)"; exit 1; }
    log "creating $venv with $py"
    rm -rf "$venv"
    quiet "$py" -m venv "$venv"
  fi
  if ! "$venv/bin/python" - "$osrm_v" "$valhalla_v" <<'EOF' >/dev/null 2>&1
import sys
from importlib import metadata
ok = (metadata.version("osrm-bindings"), metadata.version("pyvalhalla")) == tuple(sys.argv[1:3])
import osrm, valhalla  # noqa: E401,F401  (the native modules load)
sys.exit(0 if ok else 1)
EOF
  then
    log "installing osrm-bindings==$osrm_v pyvalhalla==$valhalla_v (pip, into $venv)"
    quiet "$venv/bin/python" -m pip install -q --disable-pip-version-check \
      "osrm-bindings==$osrm_v" "pyvalhalla==$valhalla_v"
  fi
  pkg=$("$venv/bin/python" -c 'import osrm, os; print(os.path.dirname(osrm.__file__))')

  # Data, rebuilt when the PBF changes or an output is missing.
  sum=$(md5sum "$pbf" | cut -d' ' -f1)
  if [[ $(cat "$peers/source.md5" 2>/dev/null) != "$sum" \
        || ! -e $peers/osrm/mld/map.osrm.mldgr || ! -e $peers/osrm/ch/map.osrm.hsgr \
        || ! -e $peers/valhalla/tiles.tar ]]; then
    rm -rf "$peers/osrm" "$peers/valhalla" "$peers/source.md5"

    log "OSRM: extract (car profile), partition + customize (MLD), contract (CH)"
    mkdir -p "$peers/osrm/mld" "$peers/osrm/ch"
    ln -s "$pbf" "$peers/osrm/mld/map.osm.pbf"
    quiet "$venv/bin/python" -m osrm extract -p "$pkg/share/profiles/car.lua" "$peers/osrm/mld/map.osm.pbf"
    rm "$peers/osrm/mld/map.osm.pbf"
    cp "$peers"/osrm/mld/map.osrm* "$peers/osrm/ch/"
    quiet "$venv/bin/python" -m osrm partition "$peers/osrm/mld/map.osrm"
    quiet "$venv/bin/python" -m osrm customize "$peers/osrm/mld/map.osrm"
    quiet "$venv/bin/python" -m osrm contract "$peers/osrm/ch/map.osrm"

    log "Valhalla: config, tiles, tile extract"
    mkdir -p "$peers/valhalla/tiles"
    # pyvalhalla's console scripts look themselves up on PATH.
    bin=$venv/bin
    PATH=$bin:$PATH "$bin/valhalla_build_config" \
      --mjolnir-tile-dir "$peers/valhalla/tiles" --mjolnir-tile-extract "$peers/valhalla/tiles.tar" \
      --mjolnir-admin "" --mjolnir-timezone "" --mjolnir-traffic-extract "" \
      --mjolnir-concurrency "$(nproc)" \
      >"$peers/valhalla/valhalla.json" 2>/dev/null
    PATH=$bin:$PATH quiet "$bin/valhalla_build_tiles" -c "$peers/valhalla/valhalla.json" "$pbf"
    PATH=$bin:$PATH quiet "$bin/valhalla_build_extract" -c "$peers/valhalla/valhalla.json" -v
    echo "$sum" >"$peers/source.md5"
  fi

  printf '{"name":"peer.version","tool":"osrm-bindings","version":"%s"}\n' "$osrm_v"
  printf '{"name":"peer.version","tool":"pyvalhalla","version":"%s"}\n' "$valhalla_v"
  printf '{"name":"peer.mapmatch","python":"%s","peers_dir":"%s","pbf":"%s","pbf_md5":"%s"}\n' \
    "$venv/bin/python" "$peers" "$pbf" "$sum"
  log "ready: $venv/bin/python Benchmarks/mapmatch-peer.py {accuracy,throughput} --grid DIR ..."
}

if [[ ${1:-} == mapmatch ]]; then
  shift
  [[ $# -le 1 ]] || { echo "usage: $0 mapmatch [PBF]" >&2; exit 2; }
  mapmatch_setup "$@"
  exit 0
fi

usage() { echo "usage: $0 NMEA_FILE [JSON_FILE]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
NMEA_FILE=$1
JSON_FILE=${2:-}
[[ -r $NMEA_FILE ]] || { echo "peers.sh: cannot read $NMEA_FILE" >&2; exit 2; }
[[ -z $JSON_FILE || -r $JSON_FILE ]] || { echo "peers.sh: cannot read $JSON_FILE" >&2; exit 2; }

RUNS=${PEERS_RUNS:-3}
PYNMEA2_MAX_BYTES=${PYNMEA2_MAX_BYTES:-0}
PYTHON=${PYTHON:-python3}

# ---------------------------------------------------------------- install ---

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if ! command -v gpsdecode >/dev/null 2>&1; then
  log "installing gpsd-clients (apt-get)"
  apt_install() { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gpsd-clients; }
  # A fresh machine may have no package lists yet: update once and retry.
  quiet apt_install || { quiet as_root apt-get update -qq && quiet apt_install; }
fi

py_has() { "$PYTHON" -c "import $1" >/dev/null 2>&1; }
pip_install() {
  log "installing $1 (pip)"
  quiet "$PYTHON" -m pip install -q --disable-pip-version-check "$1"
}
py_has pynmea2 || pip_install pynmea2
if [[ -n $JSON_FILE ]]; then py_has orjson || pip_install orjson; fi

# --------------------------------------------------------------- versions ---

gpsdecode_version=$(gpsdecode -V 2>&1 | sed -n 's/.*revision //p')   # prints to stderr
gpsd_pkg=$(dpkg-query -W -f='${Version}' gpsd-clients 2>/dev/null || echo unknown)
printf '{"name":"peer.version","tool":"gpsdecode","version":"%s","package":"gpsd-clients %s"}\n' \
  "$gpsdecode_version" "$gpsd_pkg"
printf '{"name":"peer.version","tool":"pynmea2","version":"%s"}\n' \
  "$("$PYTHON" -c 'import pynmea2; print(pynmea2.__version__)')"
printf '{"name":"peer.version","tool":"python","version":"%s"}\n' \
  "$("$PYTHON" -c 'import platform; print(platform.python_version())')"
if [[ -n $JSON_FILE ]]; then
  printf '{"name":"peer.version","tool":"orjson","version":"%s"}\n' \
    "$("$PYTHON" -c 'import orjson; print(orjson.__version__)')"
fi

# ---------------------------------------------------------------- helpers ---

# median_runs FILE: FILE has one run per line, seconds first. Prints the median
# run's line (lower middle for an even count), then a JSON array of all seconds.
median_runs() {
  sort -g "$1" | awk -v n="$(wc -l <"$1")" 'NR == int((n + 1) / 2) { print }'
  awk '{ s = s (NR > 1 ? "," : "") sprintf("%.4f", $1) } END { print "[" s "]" }' "$1"
}

# rate COUNT SECONDS -> integer COUNT/SECONDS; mbps BYTES SECONDS -> MB/s
rate() { awk -v c="$1" -v s="$2" 'BEGIN { printf "%d", (s > 0 ? c / s : 0) }'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? b / s / 1e6 : 0) }'; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

nmea_bytes=$(stat -c %s "$NMEA_FILE")
# Sentences as gpsdecode's lexer sees them: lines holding a `$` (a few lines of
# real logs start with a NUL byte before the `$`).
nmea_sentences=$(grep -ac '\$' "$NMEA_FILE" || true)

# -------------------------------------------------------------- gpsdecode ---
# gpsdecode reads NMEA (or binary GPS) on stdin and writes gpsd JSON reports;
# -j (JSON) is the default output format, passed explicitly for clarity.

# Sanity check before timing: a small sample must decode into TPV reports.
head -n 200 "$NMEA_FILE" | gpsdecode -j >"$WORK/sample.json"
if ! grep -q '"class":"TPV"' "$WORK/sample.json"; then
  log "gpsdecode produced no TPV report on the first 200 lines; refusing to time it"
  exit 1
fi

# Untimed full run: what it emits (report counts per class).
gpsdecode_classes=$(gpsdecode -j <"$NMEA_FILE" | grep -ao '^{"class":"[A-Z0-9]*"' \
  | cut -d'"' -f4 | sort | uniq -c \
  | awk '{ s = s (NR > 1 ? "," : "") "\"" $2 "\":" $1 } END { print "{" s "}" }')

log "timing gpsdecode x$RUNS"
: >"$WORK/gpsdecode.runs"
for ((i = 0; i < RUNS; i++)); do
  t0=$EPOCHREALTIME
  gpsdecode -j <"$NMEA_FILE" >/dev/null
  t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$WORK/gpsdecode.runs"
done
{ read -r secs; read -r runs; } < <(median_runs "$WORK/gpsdecode.runs")
printf '{"name":"peer.gpsdecode","unit":"sentences/s","value":%s,"seconds":%.4f,"bytes":%s,"sentences":%s,"mb_per_s":%s,"runs":%s,"flags":"-j","output_classes":%s}\n' \
  "$(rate "$nmea_sentences" "$secs")" "$secs" "$nmea_bytes" "$nmea_sentences" \
  "$(mbps "$nmea_bytes" "$secs")" "$runs" "$gpsdecode_classes"

# ---------------------------------------------------------------- pynmea2 ---
# One run per process; prints "seconds bytes_used ok failed skipped".
# Lines not starting with `$` are skipped (counted); decode + parse errors are
# counted as failed.
PY_NMEA=$(cat <<'EOF'
import sys, time
import pynmea2
path, max_bytes = sys.argv[1], int(sys.argv[2])
ok = failed = skipped = used = 0
parse = pynmea2.parse
t0 = time.perf_counter()
with open(path, 'rb') as f:
    for line in f:
        if max_bytes and used + len(line) > max_bytes:
            break
        used += len(line)
        if not line.startswith(b'$'):
            skipped += 1
            continue
        try:
            parse(line.decode('ascii'), check=True)
            ok += 1
        except Exception:
            failed += 1
t = time.perf_counter() - t0
print(f"{t:.6f} {used} {ok} {failed} {skipped}")
EOF
)

log "timing pynmea2 x$RUNS"
: >"$WORK/pynmea2.runs"
for ((i = 0; i < RUNS; i++)); do
  "$PYTHON" -c "$PY_NMEA" "$NMEA_FILE" "$PYNMEA2_MAX_BYTES" >>"$WORK/pynmea2.runs"
done
{ read -r secs used ok failed skipped; read -r runs; } < <(median_runs "$WORK/pynmea2.runs")
capped=false; [[ $used -lt $nmea_bytes ]] && capped=true
printf '{"name":"peer.pynmea2","unit":"sentences/s","value":%s,"seconds":%.4f,"bytes":%s,"sentences":%s,"mb_per_s":%s,"runs":%s,"ok":%s,"failed":%s,"skipped_lines":%s,"capped":%s,"file_bytes":%s}\n' \
  "$(rate $((ok + failed)) "$secs")" "$secs" "$used" $((ok + failed)) \
  "$(mbps "$used" "$secs")" "$runs" "$ok" "$failed" "$skipped" "$capped" "$nmea_bytes"

# ------------------------------------------------------- JSON (optional) ---
# json.loads / orjson.loads on each non-empty line; prints "seconds ok failed".
if [[ -n $JSON_FILE ]]; then
  PY_JSON=$(cat <<'EOF'
import sys, time, importlib
loads = importlib.import_module(sys.argv[1]).loads
ok = failed = 0
t0 = time.perf_counter()
with open(sys.argv[2], 'rb') as f:
    for line in f:
        if not line.strip():
            continue
        try:
            loads(line)
            ok += 1
        except Exception:
            failed += 1
t = time.perf_counter() - t0
print(f"{t:.6f} {ok} {failed}")
EOF
)
  json_bytes=$(stat -c %s "$JSON_FILE")
  for mod in json orjson; do
    log "timing $mod.loads x$RUNS"
    : >"$WORK/$mod.runs"
    for ((i = 0; i < RUNS; i++)); do
      "$PYTHON" -c "$PY_JSON" "$mod" "$JSON_FILE" >>"$WORK/$mod.runs"
    done
    { read -r secs ok failed; read -r runs; } < <(median_runs "$WORK/$mod.runs")
    printf '{"name":"peer.%s","unit":"objects/s","value":%s,"seconds":%.4f,"bytes":%s,"objects":%s,"mb_per_s":%s,"runs":%s,"failed":%s}\n' \
      "$mod" "$(rate "$ok" "$secs")" "$secs" "$json_bytes" "$ok" \
      "$(mbps "$json_bytes" "$secs")" "$runs" "$failed"
  done
fi
