#!/usr/bin/env bash
# Reproduces the table in bench/linkage/README.md: sijill and Splink (PyPI, DuckDB
# backend) on FEBRL4 5k x 5k and on the generator's four lists at 10k and 1M records.
# Precision, recall and F1 are pairwise over the final clusters; wall time and peak
# memory are of the whole process (/usr/bin/time -v). Usage: bench/linkage/run.sh
# (SIJILL_BENCH_SKIP_1M=1 leaves out the 1M runs, which take minutes and ~10 GB for Splink).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/out
PY=bench/.venv/bin/python
mkdir -p "$OUT"

if [ ! -x "$PY" ]; then
  python3 -m venv bench/.venv
fi
"$PY" -m pip install -q "splink==5.0.0" "recordlinkage==0.16"

cargo build --release -p sijill -p sijill-synth
SIJILL=target/release/sijill
SYNTH=target/release/sijill-synth

# measure NAME CMD...: runs CMD under /usr/bin/time -v, keeping its log and resource use.
measure() {
  local name=$1
  shift
  echo "== $name" >&2
  /usr/bin/time -v "$@" >"$OUT/$name.log" 2>"$OUT/$name.time"
}

uptime >"$OUT/load_before.txt"

"$PY" bench/linkage/prepare.py febrl "$OUT/febrl"
measure sijill_febrl "$SIJILL" link --input "$OUT/febrl/febrl_a.csv" --input "$OUT/febrl/febrl_b.csv" \
  --output "$OUT/sijill_febrl.csv" --extra-field date_of_birth --extra-field soc_sec_id \
  --extra-field street_number --extra-field postcode
measure splink_febrl "$PY" bench/linkage/splink_run.py febrl "$OUT/febrl" "$OUT/splink_febrl.csv"

sizes="10000"
if [ "${SIJILL_BENCH_SKIP_1M:-0}" != 1 ]; then
  sizes="10000 1000000"
fi
for n in $sizes; do
  d="$OUT/synth_$n"
  "$SYNTH" --records "$n" --seed 1 --out "$d"
  measure "sijill_synth_$n" "$SIJILL" link --input "$d/shuhada_ar.csv" --input "$d/monitor_ar.csv" \
    --input "$d/ngo_en.csv" --input "$d/local_en.csv" --output "$OUT/sijill_synth_$n.csv"
  measure "splink_synth_$n" "$PY" bench/linkage/splink_run.py synth "$d" "$OUT/splink_synth_$n.csv"
done

uptime >"$OUT/load_after.txt"
"$PY" bench/linkage/report.py "$OUT" >bench/linkage/README.md
echo "wrote bench/linkage/README.md" >&2
