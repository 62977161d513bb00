#!/bin/bash
# Turn the output of bench-guest.sh runs into RESULTS/bench.csv and
# series.csv, and summarize them (bench.md, plots).
#   bench/collect.sh RESULTS_DIR VCPUS SIZE_MB "MACHINE" LOG...
# bench/run.sh uses it for the VM's logs; on a real machine, collect the
# logs of the stock and the patched kernel's boots (see bench/README.md).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 5 ] || { echo "usage: $0 RESULTS_DIR VCPUS SIZE_MB MACHINE LOG..." >&2; exit 2; }
out=$1 cpus=$2 size=$3 machine=$4
shift 4
mkdir -p "$out"
echo "rep,config,workload,fio_s,sync_s,read_kib,write_kib,wb_cpu_s,wb_runs,pauses,pause_s,files,extents,wb_cpu_by_cpu,shards,top_shard_pct" > "$out/bench.csv"
echo "rep,config,workload,t_s,dev_mibps,wb_done_mibps,dirty_mib,writeback_mib" > "$out/series.csv"
for log in "$@"; do
	awk '/^RESULT / {$1 = ""; sub(/^ /, ""); gsub(/ /, ","); print}' "$log" >> "$out/bench.csv"
	awk '/^SERIES / {$1 = ""; sub(/^ /, ""); gsub(/ /, ","); print}' "$log" >> "$out/series.csv"
done
python3 "$top/bench/summarize-bench.py" "$out" "$cpus" "$size" "$machine"
