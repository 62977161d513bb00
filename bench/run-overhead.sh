#!/bin/bash
# Cost of a loaded wb_ext_ops policy: kernel default vs a BPF policy that
# makes the same choices, alternated within each boot of the bench kernel.
#   bench/run-overhead.sh [BOOTS]    (make bench-overhead)
# Environment: VM_CPUS (default: host cores), PAIRS per boot (default 4),
# SIZE_MB (default 512), NR_SHARDS (shards of the device, default the
# kernel's: min(vCPUs, 8)).  Writes bench/results/overhead.csv and .md, and
# overhead-progs.csv: the policy programs' own run time (bpf_stats_enabled)
# in one extra run per workload, against that run's wall time and per GiB
# written; with NR_SHARDS=N the files are overhead-nrN.*.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
boots=${1:-1}
cpus=${VM_CPUS:-$(nproc)}
pairs=${PAIRS:-4}
size=${SIZE_MB:-512}
nr_shards=${NR_SHARDS:-0}
mem=$((size * 3 + 1024))
out=$top/bench/results
mkdir -p "$out"
sfx=
[ "$nr_shards" = 0 ] || sfx=-nr$nr_shards
csv=$out/overhead$sfx.csv
kernel=$BUILD/out/bench/arch/x86/boot/bzImage
[ -f "$kernel" ] || { echo "no $kernel: run 'make kernel-bench'" >&2; exit 1; }
pcsv=$out/overhead$sfx-progs.csv
echo "boot,workload,config,pair,seconds" > "$csv"
echo "boot,workload,prog,run_time_ns,run_cnt" > "$pcsv"
for ((b = 1; b <= boots; b++)); do
	log=$("$top/scripts/vm.sh" --kernel "$kernel" --cpus "$cpus" --nodes 1 \
		--mem "$mem" --timeout 1800 --logdir "$BUILD/bench-vm" \
		--append "brd.rd_nr=1 brd.rd_size=$(( (size + 512) * 1024 ))" \
		-- "sh /bench/overhead-guest.sh $pairs $size $nr_shards")
	echo "$log" | grep -q '^RESULT' ||
		{ echo "bench: boot $b failed, see $BUILD/bench-vm" >&2; exit 1; }
	echo "$log" | awk -v b="$b" '/^RESULT/ && $3 != "stats" {print b "," $2 "," $3 "," $4 "," $5}' >> "$csv"
	echo "$log" | awk -v b="$b" '/^RESULT/ && $3 == "stats" {print b "," $2 ",run," $5 * 1e9 ",1"}
		/^PROGSTAT/ {print b "," $2 "," $3 "," $5 "," $4}' >> "$pcsv"
	echo "$log" | grep -E '^(RESULT|PROGSTAT|last_exit)'
done
python3 "$top/bench/summarize-overhead.py" "$csv" "$cpus" "$size" "$pcsv" "$nr_shards" > "$out/overhead$sfx.md"
cat "$out/overhead$sfx.md"
