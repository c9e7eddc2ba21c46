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
set -euo pipefail
export LC_ALL=C   # '.' decimal separator in $EPOCHREALTIME and awk, byte-wise grep

usage() { echo "usage: $0 NMEA_FILE [JSON_FILE]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
NMEA_FILE=$1
JSON_FILE=${2:-}
[[ -r $NMEA_FILE ]] || { echo "peers.sh: cannot read $NMEA_FILE" >&2; exit 2; }
[[ -z $JSON_FILE || -r $JSON_FILE ]] || { echo "peers.sh: cannot read $JSON_FILE" >&2; exit 2; }

RUNS=${PEERS_RUNS:-3}
PYNMEA2_MAX_BYTES=${PYNMEA2_MAX_BYTES:-0}
PYTHON=${PYTHON:-python3}

log() { echo "peers.sh: $*" >&2; }

# ---------------------------------------------------------------- install ---

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# Run a command quietly; show its output only if it fails.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then echo "$out" >&2; return 1; fi
}

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
