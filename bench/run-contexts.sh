#!/bin/bash
# Writeback contexts benchmark: stock kernel, patched with nr_wb_ctx=1 and
# patched default (one context per vCPU), alternated within one run.
#   bench/run-contexts.sh [REPS]    (make bench-contexts)
# Environment: VM_CPUS (default: host cores), SIZE_MB (default 1536).
# Writes bench/results/contexts.csv and contexts.md.  Use the non-debug
# kernels (make kernel-bench kernel-stock): lockdep distorts every figure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
reps=${1:-3}
cpus=${VM_CPUS:-$(nproc)}
size=${SIZE_MB:-1536}
mem=$((size * 3 + 1024))
out=$top/bench/results
mkdir -p "$out"
csv=$out/contexts.csv
stock=$BUILD/out/stock/arch/x86/boot/bzImage
patched=$BUILD/out/bench/arch/x86/boot/bzImage
for k in "$stock" "$patched"; do
	[ -f "$k" ] || { echo "no $k: run 'make kernel-bench kernel-stock'" >&2; exit 1; }
done
echo "config,figure,rep,seconds,fill_seconds" > "$csv"
configs=("stock|$stock|" "nr1|$patched|nr_wb_ctx=1" "default|$patched|")
for ((r = 1; r <= reps; r++)); do
	for fig in drain e2e; do
		for c in "${configs[@]}"; do
			IFS='|' read -r name kernel append <<< "$c"
			line=$("$top/scripts/vm.sh" --kernel "$kernel" --cpus "$cpus" \
				--nodes 1 --mem "$mem" --timeout 600 \
				--logdir "$BUILD/bench-vm" \
				--append "brd.rd_nr=1 brd.rd_size=$(( (size + 512) * 1024 )) $append" \
				-- "sh /bench/wb-guest.sh $fig $size" | grep '^RESULT' || true)
			[ -n "$line" ] || { echo "bench: $name $fig rep $r failed, see $BUILD/bench-vm" >&2; exit 1; }
			secs=$(echo "$line" | awk '{print $4}')
			fill=$(echo "$line" | sed 's/.*fill=//')
			echo "$name,$fig,$r,$secs,$fill" >> "$csv"
			echo "rep $r $fig $name: ${secs}s (fill ${fill}s) [$line]"
		done
	done
done
python3 "$top/bench/summarize.py" "$csv" "$cpus" "$size" > "$out/contexts.md"
cat "$out/contexts.md"
