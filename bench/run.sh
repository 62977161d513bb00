#!/bin/bash
# The benchmark (make bench): every workload under every configuration,
# the stock kernel against the patched one, with the noise floor of each.
#   bench/run.sh [REPS]          (default 5)
# Environment:
#   VM_CPUS    vCPUs, default the host's cores (the scaling parameter)
#   SIZE_MB    data per run, default 512 (more than the VM's dirty limit)
#   JOBS       fio jobs (writers), default 8
#   FILES      files per job of rand4k, seq1m, mixed, drain, default 8
#   NRFILES    smallfiles: files of 16 KiB per job, default 1024
#   WORKLOADS  default "rand4k seq1m smallfiles mixed drain cgrand4k cgdrain"
#   POLICIES   wbctl policies, default "rr affinity numa lb" ("" for none)
#   RESULTS    output directory, default bench/results
#   SEED       the order's seed, default the time (kept in RESULTS/seed)
#   DIRECT     0: no direct I/O runs (default 1)
#   STOCK      0: no stock kernel boots, only in-boot comparisons (default 1)
#   DEV        the device: ram0 (brd, default) or nvme0n1 (QEMU's emulated
#              NVMe controller: the nvme driver, interrupts, completions,
#              on a sparse file in the host's page cache)
# Each repetition boots, in an order drawn from SEED:
#   - the stock kernel: configurations stock and direct (fio --direct=1);
#   - the stock kernel again: stock2, the A/A partner of stock (the noise
#     floor of every ratio across boots);
#   - the patched bench kernel: nr1 and nr1b (nr_wb_shards=1 twice: the floor
#     of every ratio in one boot), default, each policy, direct-wbext
#     (direct I/O again, to compare the boots' speed).
# Inside a boot the configurations run in an order drawn from SEED too.
# Both kernels are built without lock debugging (make kernel-bench
# kernel-stock).  Writes RESULTS/bench.csv (one line per run), series.csv
# (bandwidth over time), seed, bench.md and the plots (bench/collect.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
reps=${1:-5}
seed=${SEED:-$(date +%s)}
direct=${DIRECT:-1}
with_stock=${STOCK:-1}
cpus=${VM_CPUS:-$(nproc)}
size=${SIZE_MB:-512}
nrfiles=${NRFILES:-1024}
jobs=${JOBS:-8}
files=${FILES:-8}
workloads=${WORKLOADS:-rand4k seq1m smallfiles mixed drain cgrand4k cgdrain}
policies=${POLICIES-rr affinity numa lb}
out=${RESULTS:-$top/bench/results}
dev=${DEV:-ram0}
case $dev in
ram0) devname=brd nvme_mb=0 ;;
nvme0n1) devname="QEMU's NVMe" nvme_mb=$((size * 2 + 1024)) ;;
*) echo "bench: DEV=$dev: ram0 or nvme0n1" >&2; exit 2 ;;
esac
mem=$((size * 2 + 1024 + 64 * cpus))
logs=$BUILD/bench-vm/$(basename "$out")
stock=$BUILD/out/stock/arch/x86/boot/bzImage
patched=$BUILD/out/bench/arch/x86/boot/bzImage
[ "$with_stock" = 0 ] && stock=
for k in $stock "$patched"; do
	[ -f "$k" ] || { echo "bench: no $k: run 'make kernel-bench kernel-stock'" >&2; exit 1; }
done
[ -x "$BUILD/loader/wbstat" ] || { echo "bench: no $BUILD/loader/wbstat: run 'make progs'" >&2; exit 1; }
mkdir -p "$out" "$logs"

# shuffle N WORDS...: the words in an order drawn from SEED and the
# number N (a different N for each draw)
shuffle() {
	local n=$1; shift
	printf '%s\n' "$@" | awk -v s="$seed" -v n="$n" 'BEGIN {srand(s % 1000003 * 101 + n)}
		{print rand() "\t" $0}' | LC_ALL=C sort -n | cut -f2 | tr '\n' ' '
}

logs_run=()
boot() {	# boot REP NAME KERNEL "CONFIGS"
	local log=$logs/rep$1-$2
	mkdir -p "$log"
	echo "bench: rep $1, $2 kernel: $4" >&2
	"$top/scripts/vm.sh" --kernel "$3" --cpus "$cpus" --nodes 1 --mem "$mem" \
		--timeout 3000 --logdir "$log" --nvme "$nvme_mb" \
		--append "brd.rd_nr=1 brd.rd_size=$(( (2 * size + 256) * 1024 ))" \
		-- "DEV=$dev SIZE_MB=$size NRFILES=$nrfiles JOBS=$jobs FILES=$files sh /bench/bench-guest.sh $1 '$workloads' '$4'" \
		> "$log/guest.txt" || {
		echo "bench: rep $1 on the $2 kernel failed; guest output and console in $log" >&2
		tail -n 5 "$log/guest.txt" >&2
		exit 1
	}
	logs_run+=("$log/guest.txt")
	grep '^RESULT' "$log/guest.txt" | awk '{printf "  %-8s %-10s fio %6.2fs sync %5.2fs\n", $3, $4, $5, $6}' >&2
}

echo "$seed" > "$out/seed"
d1= d2=
[ "$direct" = 0 ] || d1=direct d2=direct-wbext
start=$(date +%s)
for ((r = 1; r <= reps; r++)); do
	boots=patched
	[ "$with_stock" = 0 ] || boots="stock stock2 patched"
	for b in $(shuffle $((r * 3)) $boots); do
		case $b in
		stock) boot "$r" stock "$stock" "$(shuffle $((r * 3 + 1)) stock $d1)" ;;
		stock2) boot "$r" stock2 "$stock" stock2 ;;
		patched) boot "$r" patched "$patched" \
			"$(shuffle $((r * 3 + 2)) nr1 nr1b default $policies $d2)" ;;
		esac
	done
done
echo "bench: $reps repetitions in $(( ($(date +%s) - start) / 60 )) min" >&2
host="$(nproc) cores, $(sed -n 's/^model name.*: //p' /proc/cpuinfo | head -n1)"
"$top/bench/collect.sh" "$out" "$cpus" "$size" \
	"QEMU TCG on $host, XFS on $devname" "${logs_run[@]}"
