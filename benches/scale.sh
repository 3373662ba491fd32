#!/usr/bin/env bash
# The scale benchmark of issue 20: a normal month (100 files × 30 rows) and a
# large one (1,000 files × 80 rows, about 94,000 items), built with every
# output, timed with hyperfine and measured for peak memory with
# /usr/bin/time; the normal month is also read with pandas for the ratio.
#
#   benches/scale.sh [SHARED_TOOLS_DIR]   (default ../shared/tools)
#
# Needs: hyperfine, GNU time (/usr/bin/time), python3 with openpyxl (to
# generate the months) and pandas (for the baseline; skipped without it).
# The months are made once under ${SCALE_DIR:-/tmp/shiryo-scale}.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=${1:-../shared/tools}
dir=${SCALE_DIR:-/tmp/shiryo-scale}
mkdir -p "$dir"
cargo build --release --quiet
bin=$PWD/target/release/shiryo

month() { # name files rows seed
  [ -d "$dir/$1" ] || python3 "$tools/gen_corpus.py" --out "$dir/$1" --files "$2" --rows "$3" --seed "$4" >/dev/null
}
month m100x30 100 30 42
month m1000x80 1000 80 7

measure() { # name runs
  local name=$1 runs=$2 out=$dir/out-$1
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$dir/$name.json" \
    "$bin build $dir/$name -o $out --date 2026-11-24" >/dev/null 2>&1 || true
  local mean peak
  mean=$(python3 -c "import json,sys; r=json.load(open('$dir/$name.json'))['results'][0]; print(f\"{r['mean']:.2f} s ± {r['stddev']:.2f}\")")
  peak=$(/usr/bin/time -f '%M' "$bin" build "$dir/$name" -o "$out" --date 2026-11-24 2>&1 >/dev/null | tail -1)
  local items
  items=$(python3 -c "import json; print(json.load(open('$out/matrix.json'))['counts']['items'])" 2>/dev/null || echo '?')
  printf '| %s | %s | %s | %d MB |\n' "$name" "$items" "$mean" $((peak / 1024))
}

echo '| month | items | build (all outputs) | peak memory |'
echo '|---|---|---|---|'
measure m100x30 10
measure m1000x80 3

if python3 -c 'import pandas, openpyxl' 2>/dev/null; then
  for i in 1 2 3; do python3 "$tools/bench_read.py" pandas "$dir/m100x30"; done | tee "$dir/pandas.txt"
  # The issue's ratio: shiryo's mean over pandas' fastest and slowest read.
  python3 - "$dir" <<'PY'
import json, re, sys
d = sys.argv[1]
ours = json.load(open(f"{d}/m100x30.json"))["results"][0]["mean"]
reads = [float(x) for x in re.findall(r"elapsed=([0-9.]+)s", open(f"{d}/pandas.txt").read())]
print(f"ratio (shiryo / pandas read): {ours / max(reads):.2f}–{ours / min(reads):.2f} (target ≤ 0.30)")
PY
else
  echo 'pandas not installed: no baseline (pip install pandas openpyxl)'
fi
